// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/vessel_network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::centerline {
namespace {

double distance_m(const Vector3& a, const Vector3& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

bool is_finite(const Vector3& p) {
  return std::isfinite(p[0]) && std::isfinite(p[1]) && std::isfinite(p[2]);
}

std::string text(const Vector3& p) { return fmt::format("[{}, {}, {}]", p[0], p[1], p[2]); }

[[noreturn]] void reject(std::string_view source, const std::string& field, const std::string& value,
                         std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", source, field), printable_value(value), std::move(rule));
}

void check_nodes(const VesselNetwork& network, std::string_view source) {
  if (network.nodes.empty()) reject(source, "nodes", "[]", "must hold at least an inlet and an outlet");
  std::set<std::string, std::less<>> names;
  for (std::size_t n = 0; n < network.nodes.size(); ++n) {
    const auto& node = network.nodes[n];
    const auto field = fmt::format("nodes[{}]", n);
    if (node.name.empty()) reject(source, field + ".name", "\"\"", "must be a non-empty string");
    if (!names.insert(node.name).second) {
      reject(source, field + ".name", node.name, "is used by an earlier node; names must be unique");
    }
    if (!is_finite(node.position_m)) {
      reject(source, fmt::format("{} ({}).position_m", field, node.name), text(node.position_m),
             "must be three finite numbers (metres)");
    }
  }
}

void check_stenosis(const VesselSegment& segment, std::size_t s, std::string_view field,
                    std::string_view source) {
  const auto& st = segment.stenoses[s];
  const auto where = fmt::format("{}.stenoses[{}]", field, s);
  if (st.point_index >= segment.points_m.size()) {
    reject(source, where + ".point_index", fmt::format("{}", st.point_index),
           fmt::format("must be below the segment's {} points", segment.points_m.size()));
  }
  const double length = segment.length_m();
  if (!(st.arc_length_m >= 0.0 && st.arc_length_m <= length + kNodeTolerance_m)) {
    reject(source, where + ".arc_length_m", fmt::format("{}", st.arc_length_m),
           fmt::format("must lie within the segment's length of {} m", length));
  }
  if (!is_finite(st.position_m)) {
    reject(source, where + ".position_m", text(st.position_m), "must be three finite numbers (metres)");
  }
  if (!(st.reference_radius_m > 0.0 && std::isfinite(st.reference_radius_m))) {
    reject(source, where + ".reference_radius_m", fmt::format("{}", st.reference_radius_m),
           "must be a positive finite radius (metres)");
  }
  if (!(st.minimal_radius_m > 0.0 && st.minimal_radius_m <= st.reference_radius_m)) {
    reject(source, where + ".minimal_radius_m", fmt::format("{}", st.minimal_radius_m),
           fmt::format("must be positive and at most reference_radius_m ({})", st.reference_radius_m));
  }
  if (!(st.diameter_reduction >= 0.0 && st.diameter_reduction < 1.0)) {
    reject(source, where + ".diameter_reduction", fmt::format("{}", st.diameter_reduction),
           "must be a fraction from 0 (inclusive) to 1 (exclusive)");
  }
  if (!(st.length_m >= 0.0 && std::isfinite(st.length_m))) {
    reject(source, where + ".length_m", fmt::format("{}", st.length_m), "must be a finite length >= 0 (metres)");
  }
}

void check_segment(const VesselNetwork& network, std::size_t index, std::string_view source) {
  const auto& segment = network.segments[index];
  const auto field = fmt::format("segments[{}] ({})", index, segment.name);
  for (const auto& [node, key] : {std::pair{segment.proximal_node, "proximal"},
                                 std::pair{segment.distal_node, "distal"}}) {
    if (node >= network.nodes.size()) {
      reject(source, fmt::format("{}.{}", field, key), fmt::format("{}", node), "is not a node");
    }
  }
  if (segment.proximal_node == segment.distal_node) {
    reject(source, field + ".distal", network.nodes[segment.distal_node].name,
           "must differ from the proximal node");
  }
  if (segment.points_m.size() < 2) {
    reject(source, field + ".points_m", fmt::format("{} points", segment.points_m.size()),
           "must hold at least 2 points");
  }
  if (segment.radius_m.size() != segment.points_m.size()) {
    reject(source, field + ".radius_m", fmt::format("{} values", segment.radius_m.size()),
           fmt::format("must hold one radius per point ({})", segment.points_m.size()));
  }
  for (std::size_t p = 0; p < segment.points_m.size(); ++p) {
    if (!is_finite(segment.points_m[p])) {
      reject(source, fmt::format("{}.points_m[{}]", field, p), text(segment.points_m[p]),
             "must be three finite numbers (metres)");
    }
    if (!(segment.radius_m[p] > 0.0 && std::isfinite(segment.radius_m[p]))) {
      reject(source, fmt::format("{}.radius_m[{}]", field, p), fmt::format("{}", segment.radius_m[p]),
             "must be a positive finite radius (metres)");
    }
  }
  for (const auto& [point, node, key] :
       {std::tuple{segment.points_m.front(), segment.proximal_node, "points_m[0]"},
        std::tuple{segment.points_m.back(), segment.distal_node, "points_m[last]"}}) {
    const auto& at = network.nodes[node];
    if (distance_m(point, at.position_m) > kNodeTolerance_m) {
      reject(source, fmt::format("{}.{}", field, key), text(point),
             fmt::format("must lie at its node {} ({}) within {} m", at.name, text(at.position_m),
                         kNodeTolerance_m));
    }
  }
  if (!(segment.length_m() > 0.0)) reject(source, field + ".points_m", "length 0", "must have a positive length");
  for (std::size_t s = 0; s < segment.stenoses.size(); ++s) check_stenosis(segment, s, field, source);
}

void check_topology(const VesselNetwork& network, std::string_view source) {
  const std::size_t n = network.nodes.size();
  std::vector<std::size_t> incoming(n, 0), outgoing(n, 0);
  std::set<std::string, std::less<>> names;
  for (std::size_t s = 0; s < network.segments.size(); ++s) {
    const auto& segment = network.segments[s];
    if (segment.name.empty() || !names.insert(segment.name).second) {
      reject(source, fmt::format("segments[{}].name", s), segment.name, "must be non-empty and unique");
    }
    ++outgoing[segment.proximal_node];
    ++incoming[segment.distal_node];
  }
  std::size_t inlets = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const auto& node = network.nodes[v];
    const auto field = fmt::format("nodes[{}] ({})", v, node.name);
    const auto degree = fmt::format("{} segments in, {} out", incoming[v], outgoing[v]);
    switch (node.kind) {
      case NodeKind::Inlet:
        ++inlets;
        if (incoming[v] != 0 || outgoing[v] != 1) reject(source, field, degree, "an inlet must start exactly one segment and end none");
        break;
      case NodeKind::Outlet:
        if (incoming[v] != 1 || outgoing[v] != 0) reject(source, field, degree, "an outlet must end exactly one segment and start none");
        break;
      case NodeKind::Bifurcation:
        if (incoming[v] != 1 || outgoing[v] < 2) reject(source, field, degree, "a bifurcation must end one segment and start at least two");
        break;
    }
  }
  if (inlets != 1) reject(source, "nodes", fmt::format("{} inlets", inlets), "must hold exactly one inlet");
  // One inlet and in-degree 1 elsewhere: the network is a tree exactly when all nodes are
  // reached from the inlet (a cycle would leave its nodes unreached).
  std::vector<bool> reached(n, false);
  std::vector<std::size_t> stack{network.inlet_node()};
  while (!stack.empty()) {
    const auto v = stack.back();
    stack.pop_back();
    if (reached[v]) continue;
    reached[v] = true;
    for (const auto s : network.children_of(v)) stack.push_back(network.segments[s].distal_node);
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (!reached[v]) {
      reject(source, fmt::format("nodes[{}] ({})", v, network.nodes[v].name), "unreached",
             "is not reached from the inlet: the segments must form a tree rooted at the inlet");
    }
  }
}

}  // namespace

std::string_view node_kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::Inlet: return "inlet";
    case NodeKind::Outlet: return "outlet";
    case NodeKind::Bifurcation: return "bifurcation";
  }
  return "outlet";
}

std::vector<double> VesselSegment::arc_lengths_m() const {
  std::vector<double> s(points_m.size(), 0.0);
  for (std::size_t p = 1; p < points_m.size(); ++p) s[p] = s[p - 1] + distance_m(points_m[p - 1], points_m[p]);
  return s;
}

double VesselSegment::length_m() const {
  return points_m.empty() ? 0.0 : arc_lengths_m().back();
}

double VesselSegment::mean_radius_m() const {
  const auto s = arc_lengths_m();
  if (s.empty() || s.back() <= 0.0) return radius_m.empty() ? 0.0 : radius_m.front();
  double integral = 0.0;
  for (std::size_t p = 1; p < s.size(); ++p) integral += 0.5 * (radius_m[p - 1] + radius_m[p]) * (s[p] - s[p - 1]);
  return integral / s.back();
}

double VesselSegment::min_radius_m() const {
  return radius_m.empty() ? 0.0 : *std::min_element(radius_m.begin(), radius_m.end());
}

std::size_t VesselNetwork::inlet_node() const {
  for (std::size_t v = 0; v < nodes.size(); ++v) {
    if (nodes[v].kind == NodeKind::Inlet) return v;
  }
  throw InputError(ErrorCode::BadInput, "vessel network: nodes", "no inlet", "must hold exactly one inlet");
}

std::vector<std::size_t> VesselNetwork::children_of(std::size_t node) const {
  std::vector<std::size_t> children;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    if (segments[s].proximal_node == node) children.push_back(s);
  }
  return children;
}

void validate(const VesselNetwork& network, std::string_view source) {
  if (!(network.point_spacing_m > 0.0 && std::isfinite(network.point_spacing_m))) {
    reject(source, "point_spacing_m", fmt::format("{}", network.point_spacing_m), "must be a positive length (metres)");
  }
  check_nodes(network, source);
  if (network.segments.empty()) reject(source, "segments", "[]", "must hold at least one segment");
  for (std::size_t s = 0; s < network.segments.size(); ++s) check_segment(network, s, source);
  check_topology(network, source);
}

}  // namespace ptwin::geometry::centerline
