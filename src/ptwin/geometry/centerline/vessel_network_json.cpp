// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/vessel_network_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::centerline {
namespace {

using nlohmann::json;

// Field access with errors that name the path and the value.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[nodiscard]] std::string where(std::string_view path) const { return fmt::format("{}: {}", source_, path); }

  const json& object(const json& value, std::string_view path) const {
    if (!value.is_object()) throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be a JSON object");
    return value;
  }
  const json& array(const json& value, std::string_view path) const {
    if (!value.is_array()) throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be a JSON array");
    return value;
  }
  const json& field(const json& parent, std::string_view key, std::string_view path) const {
    const auto found = parent.find(key);
    if (found == parent.end()) {
      throw InputError(ErrorCode::MissingField, where(fmt::format("{}.{}", path, key)), "", "is required");
    }
    return *found;
  }
  void only_keys(const json& parent, std::initializer_list<std::string_view> keys, std::string_view path) const {
    for (const auto& [key, value] : parent.items()) {
      if (key.starts_with("_")) continue;
      bool is_known = false;
      for (const auto k : keys) is_known = is_known || key == k;
      if (!is_known) {
        throw InputError(ErrorCode::UnknownField, where(path), printable_value(key),
                         fmt::format("is not a key here (known: {}; '_' keys are comments)", fmt::join(keys, ", ")));
      }
    }
  }
  std::string string(const json& value, std::string_view path) const {
    if (!value.is_string()) throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be a string");
    return value.get<std::string>();
  }
  double number(const json& value, std::string_view path) const {
    if (!value.is_number()) throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be a number (SI)");
    const double x = value.get<double>();
    if (!std::isfinite(x)) throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be finite");
    return x;
  }
  std::size_t index(const json& value, std::string_view path) const {
    if (!value.is_number_unsigned()) {
      throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be an integer >= 0");
    }
    return value.get<std::size_t>();
  }
  Vector3 point(const json& value, std::string_view path) const {
    if (!value.is_array() || value.size() != 3) {
      throw InputError(ErrorCode::BadInput, where(path), printable(value), "must be [x, y, z] in metres");
    }
    return {number(value[0], fmt::format("{}[0]", path)), number(value[1], fmt::format("{}[1]", path)),
            number(value[2], fmt::format("{}[2]", path))};
  }

  static std::string printable(const json& value) { return printable_value(value.dump()); }

 private:
  std::string_view source_;
};

json point_json(const Vector3& p) { return json::array({p[0], p[1], p[2]}); }

NodeKind read_kind(const Reader& r, const json& value, std::string_view path) {
  const auto kind = r.string(value, path);
  for (const auto k : {NodeKind::Inlet, NodeKind::Outlet, NodeKind::Bifurcation}) {
    if (kind == node_kind_name(k)) return k;
  }
  throw InputError(ErrorCode::BadInput, r.where(path), printable_value(kind), "must be \"inlet\", \"outlet\" or \"bifurcation\"");
}

Stenosis read_stenosis(const Reader& r, const json& value, const std::string& path) {
  r.object(value, path);
  r.only_keys(value, {"point_index", "arc_length_m", "position_m", "minimal_radius_m", "reference_radius_m",
                      "diameter_reduction", "length_m"}, path);
  Stenosis st;
  st.point_index = r.index(r.field(value, "point_index", path), path + ".point_index");
  st.arc_length_m = r.number(r.field(value, "arc_length_m", path), path + ".arc_length_m");
  st.position_m = r.point(r.field(value, "position_m", path), path + ".position_m");
  st.minimal_radius_m = r.number(r.field(value, "minimal_radius_m", path), path + ".minimal_radius_m");
  st.reference_radius_m = r.number(r.field(value, "reference_radius_m", path), path + ".reference_radius_m");
  st.diameter_reduction = r.number(r.field(value, "diameter_reduction", path), path + ".diameter_reduction");
  st.length_m = r.number(r.field(value, "length_m", path), path + ".length_m");
  return st;
}

// A stored summary must agree with the value recomputed from the points and radii.
void check_summary(const Reader& r, const json& value, std::string_view key, double computed,
                   const std::string& path) {
  if (!value.contains(key)) return;
  const auto field = fmt::format("{}.{}", path, key);
  const double stored = r.number(value.at(std::string(key)), field);
  if (std::abs(stored - computed) > 1e-6 * std::abs(computed)) {
    throw InputError(ErrorCode::BadInput, r.where(field), fmt::format("{}", stored),
                     fmt::format("disagrees with the value {} computed from points_m and radius_m "
                                 "(remove it or correct it)", computed));
  }
}

VesselSegment read_segment(const Reader& r, const json& value, std::size_t index,
                           const std::map<std::string, std::size_t, std::less<>>& node_index) {
  auto path = fmt::format("segments[{}]", index);
  r.object(value, path);
  VesselSegment segment;
  segment.name = r.string(r.field(value, "name", path), path + ".name");
  path = fmt::format("segments[{}] ({})", index, printable_value(segment.name));
  r.only_keys(value, {"name", "proximal", "distal", "points_m", "radius_m", "length_m", "mean_radius_m",
                      "min_radius_m", "stenoses"}, path);
  for (const auto key : {"proximal", "distal"}) {
    const auto field = fmt::format("{}.{}", path, key);
    const auto name = r.string(r.field(value, key, path), field);
    const auto found = node_index.find(name);
    if (found == node_index.end()) throw InputError(ErrorCode::BadInput, r.where(field), printable_value(name), "is not the name of a node");
    (std::string_view(key) == "proximal" ? segment.proximal_node : segment.distal_node) = found->second;
  }
  const auto& points = r.array(r.field(value, "points_m", path), path + ".points_m");
  for (std::size_t p = 0; p < points.size(); ++p) {
    segment.points_m.push_back(r.point(points[p], fmt::format("{}.points_m[{}]", path, p)));
  }
  const auto& radii = r.array(r.field(value, "radius_m", path), path + ".radius_m");
  for (std::size_t p = 0; p < radii.size(); ++p) {
    segment.radius_m.push_back(r.number(radii[p], fmt::format("{}.radius_m[{}]", path, p)));
  }
  if (value.contains("stenoses")) {
    const auto& stenoses = r.array(value.at("stenoses"), path + ".stenoses");
    for (std::size_t s = 0; s < stenoses.size(); ++s) {
      segment.stenoses.push_back(read_stenosis(r, stenoses[s], fmt::format("{}.stenoses[{}]", path, s)));
    }
  }
  if (segment.points_m.size() >= 2 && segment.radius_m.size() == segment.points_m.size()) {
    check_summary(r, value, "length_m", segment.length_m(), path);
    check_summary(r, value, "mean_radius_m", segment.mean_radius_m(), path);
    check_summary(r, value, "min_radius_m", segment.min_radius_m(), path);
  }
  return segment;
}

}  // namespace

nlohmann::json to_json(const VesselNetwork& network) {
  json nodes = json::array();
  for (const auto& node : network.nodes) {
    nodes.push_back({{"name", node.name}, {"kind", node_kind_name(node.kind)}, {"position_m", point_json(node.position_m)}});
  }
  json segments = json::array();
  for (const auto& segment : network.segments) {
    json points = json::array();
    for (const auto& p : segment.points_m) points.push_back(point_json(p));
    json stenoses = json::array();
    for (const auto& st : segment.stenoses) {
      stenoses.push_back({{"point_index", st.point_index},
                          {"arc_length_m", st.arc_length_m},
                          {"position_m", point_json(st.position_m)},
                          {"minimal_radius_m", st.minimal_radius_m},
                          {"reference_radius_m", st.reference_radius_m},
                          {"diameter_reduction", st.diameter_reduction},
                          {"length_m", st.length_m}});
    }
    segments.push_back({{"name", segment.name},
                        {"proximal", network.nodes[segment.proximal_node].name},
                        {"distal", network.nodes[segment.distal_node].name},
                        {"length_m", segment.length_m()},
                        {"mean_radius_m", segment.mean_radius_m()},
                        {"min_radius_m", segment.min_radius_m()},
                        {"stenoses", stenoses},
                        {"points_m", points},
                        {"radius_m", segment.radius_m}});
  }
  return {{"format", kVesselNetworkFormat},
          {"frame", "LPS"},
          {"source", {{"series_uid", network.series_uid}, {"frame_of_reference_uid", network.frame_of_reference_uid}}},
          {"point_spacing_m", network.point_spacing_m},
          {"nodes", nodes},
          {"segments", segments}};
}

VesselNetwork vessel_network_from_json(const nlohmann::json& value, std::string_view source) {
  const Reader r(source);
  r.object(value, "(document)");
  r.only_keys(value, {"format", "frame", "source", "point_spacing_m", "nodes", "segments"}, "(document)");
  const auto format = r.string(r.field(value, "format", "(document)"), "format");
  if (format != kVesselNetworkFormat) {
    throw InputError(ErrorCode::BadInput, r.where("format"), printable_value(format), fmt::format("must be \"{}\"", kVesselNetworkFormat));
  }
  const auto frame = r.string(r.field(value, "frame", "(document)"), "frame");
  if (frame != "LPS") {
    throw InputError(ErrorCode::BadInput, r.where("frame"), printable_value(frame),
                     "must be \"LPS\" (DICOM patient coordinates, metres); convert the points first");
  }
  VesselNetwork network;
  if (value.contains("source")) {
    const auto& src = r.object(value.at("source"), "source");
    r.only_keys(src, {"series_uid", "frame_of_reference_uid"}, "source");
    if (src.contains("series_uid")) network.series_uid = r.string(src.at("series_uid"), "source.series_uid");
    if (src.contains("frame_of_reference_uid")) {
      network.frame_of_reference_uid = r.string(src.at("frame_of_reference_uid"), "source.frame_of_reference_uid");
    }
  }
  network.point_spacing_m = r.number(r.field(value, "point_spacing_m", "(document)"), "point_spacing_m");
  const auto& nodes = r.array(r.field(value, "nodes", "(document)"), "nodes");
  std::map<std::string, std::size_t, std::less<>> node_index;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    const auto path = fmt::format("nodes[{}]", n);
    r.object(nodes[n], path);
    r.only_keys(nodes[n], {"name", "kind", "position_m"}, path);
    NetworkNode node;
    node.name = r.string(r.field(nodes[n], "name", path), path + ".name");
    const auto named = fmt::format("{} ({})", path, printable_value(node.name));
    node.kind = read_kind(r, r.field(nodes[n], "kind", path), named + ".kind");
    node.position_m = r.point(r.field(nodes[n], "position_m", path), named + ".position_m");
    if (!node_index.emplace(node.name, n).second) {
      throw InputError(ErrorCode::BadInput, r.where(path + ".name"), printable_value(node.name),
                       "is used by an earlier node; names must be unique");
    }
    network.nodes.push_back(std::move(node));
  }
  const auto& segments = r.array(r.field(value, "segments", "(document)"), "segments");
  for (std::size_t s = 0; s < segments.size(); ++s) network.segments.push_back(read_segment(r, segments[s], s, node_index));
  validate(network, source);
  return network;
}

VesselNetwork parse_vessel_network(std::string_view text, std::string_view source) {
  json value;
  try {
    value = json::parse(text);
  } catch (const json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), fmt::format("byte {}", error.byte),
                     fmt::format("is not valid JSON ({})", error.what()));
  } catch (const json::out_of_range& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), error.what(),
                     "is not valid JSON for ptwin (a number beyond the range of a double)");
  }
  return vessel_network_from_json(value, source);
}

VesselNetwork read_vessel_network(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, fmt::format("cannot open '{}': check that the path exists and is readable", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_vessel_network(text.str(), path.string());
}

void write_vessel_network(const VesselNetwork& network, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << to_json(network).dump(1) << '\n';
  if (!out) throw Error(ErrorCode::Io, fmt::format("cannot write '{}': check the folder and its permissions", path.string()));
}

}  // namespace ptwin::geometry::centerline
