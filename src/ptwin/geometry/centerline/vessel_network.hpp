// SPDX-License-Identifier: Apache-2.0
#pragma once
// A vessel network: the tree of centerlines, radii and stenoses that geometry hands to the
// physics solvers (the 0D builder now, the 1D solver later). Nodes are the inlet, the outlets
// and the bifurcations; a segment runs from its proximal node to its distal node (the direction
// of forward flow, away from the inlet) and carries its centerline points and the lumen radius
// at each point. Patient coordinates (DICOM LPS), metres.
//
// Written and read as JSON, format "ptwin.vessel-network/1" (vessel_network_json.hpp,
// docs/geometry.md#centerlines-and-networks).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::centerline {

using ingest::dicom::Vector3;

enum class NodeKind { Inlet, Outlet, Bifurcation };

/// "inlet", "outlet", "bifurcation": the names the JSON format uses.
[[nodiscard]] std::string_view node_kind_name(NodeKind kind);

struct NetworkNode {
  std::string name;  // unique, e.g. "inlet", "outlet1", "bifurcation1"
  NodeKind kind = NodeKind::Outlet;
  Vector3 position_m{};
  friend bool operator==(const NetworkNode&, const NetworkNode&) = default;
};

/// A narrowing found along a segment: the narrowest point against the healthy reference.
struct Stenosis {
  std::size_t point_index = 0;  // the narrowest point of the segment
  double arc_length_m = 0.0;    // of that point, from the segment's proximal end
  Vector3 position_m{};
  double minimal_radius_m = 0.0;
  double reference_radius_m = 0.0;  // of the healthy neighbours
  double diameter_reduction = 0.0;  // 1 - minimal / reference (0.5 = 50 % diameter stenosis)
  double length_m = 0.0;            // extent along the centerline of the narrowed part
  friend bool operator==(const Stenosis&, const Stenosis&) = default;
};

struct VesselSegment {
  std::string name;  // unique, e.g. "segment1"
  std::size_t proximal_node = 0;  // index into VesselNetwork::nodes
  std::size_t distal_node = 0;
  std::vector<Vector3> points_m;  // proximal to distal; first and last at the nodes
  std::vector<double> radius_m;   // lumen radius at each point
  std::vector<Stenosis> stenoses;

  /// Length of the centerline polyline (m).
  [[nodiscard]] double length_m() const;
  /// Arc-length weighted mean radius (trapezoidal rule), m.
  [[nodiscard]] double mean_radius_m() const;
  [[nodiscard]] double min_radius_m() const;
  /// Arc length from the proximal end at each point (m).
  [[nodiscard]] std::vector<double> arc_lengths_m() const;
  friend bool operator==(const VesselSegment&, const VesselSegment&) = default;
};

struct VesselNetwork {
  std::string frame_of_reference_uid;  // of the source image, "" if unknown
  std::string series_uid;              // of the source image, "" if unknown
  double point_spacing_m = 0.0;        // nominal distance between centerline points
  std::vector<NetworkNode> nodes;
  std::vector<VesselSegment> segments;

  /// Index of the one inlet node (the network must be valid).
  [[nodiscard]] std::size_t inlet_node() const;
  /// Indices of the segments leaving node `node`, in segment order.
  [[nodiscard]] std::vector<std::size_t> children_of(std::size_t node) const;
  friend bool operator==(const VesselNetwork&, const VesselNetwork&) = default;
};

/// Distance within which a segment's end point must lie from its node (1 micrometre: far below
/// any imaging resolution, far above JSON round-off).
inline constexpr double kNodeTolerance_m = 1e-6;

/// Checks every rule of the format: names unique and non-empty, finite coordinates, at least two
/// points per segment with one positive radius each, segment ends at their nodes, stenosis
/// fields in range, and the topology of a tree: one inlet with one segment leaving it, every
/// outlet ending one segment and starting none, every bifurcation ending one segment and starting
/// at least two, every node reached from the inlet. Throws InputError naming `source`, the field
/// (e.g. "segments[2] (segment3).radius_m[14]") and the value.
void validate(const VesselNetwork& network, std::string_view source);

}  // namespace ptwin::geometry::centerline
