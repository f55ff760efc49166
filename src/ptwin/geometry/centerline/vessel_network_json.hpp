// SPDX-License-Identifier: Apache-2.0
#pragma once
// The JSON form of a VesselNetwork, format "ptwin.vessel-network/1" (SI units, keys carry them):
// {
//   "format": "ptwin.vessel-network/1",
//   "frame": "LPS",                                  (DICOM patient coordinates, metres)
//   "source": {"series_uid": "...", "frame_of_reference_uid": "..."},   (optional)
//   "point_spacing_m": 2.5e-4,
//   "nodes": [{"name": "inlet", "kind": "inlet", "position_m": [x, y, z]}, ...],
//   "segments": [{"name": "segment1", "proximal": "inlet", "distal": "bifurcation1",
//                 "points_m": [[x, y, z], ...], "radius_m": [r, ...],
//                 "length_m": ..., "mean_radius_m": ..., "min_radius_m": ...,   (optional; checked)
//                 "stenoses": [{"point_index": 41, "arc_length_m": ..., "position_m": [...],
//                               "minimal_radius_m": ..., "reference_radius_m": ...,
//                               "diameter_reduction": 0.5, "length_m": ...}]}]
// }
// Keys starting with "_" are comments. The summaries length_m, mean_radius_m and min_radius_m
// are written for readers' convenience; when present they must agree with the points and radii
// to 1e-6 relative, so that an edited file cannot say two things at once.

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/geometry/centerline/vessel_network.hpp"

namespace ptwin::geometry::centerline {

inline constexpr std::string_view kVesselNetworkFormat = "ptwin.vessel-network/1";

/// The network as JSON (the network must be valid).
[[nodiscard]] nlohmann::json to_json(const VesselNetwork& network);

/// Reads a network from parsed JSON and validates it; `source` names the file in errors.
/// Throws InputError (missing-field, unknown-field, bad-input) naming the field path and value.
[[nodiscard]] VesselNetwork vessel_network_from_json(const nlohmann::json& json, std::string_view source);

/// Parses JSON text, then as vessel_network_from_json; bad JSON throws InputError(bad-input)
/// with the byte offset.
[[nodiscard]] VesselNetwork parse_vessel_network(std::string_view text, std::string_view source);

/// Reads a file; throws Error(io) when it cannot be opened, otherwise as parse_vessel_network.
[[nodiscard]] VesselNetwork read_vessel_network(const std::filesystem::path& path);

/// Writes the network (indented JSON); throws Error(io) when the file cannot be written.
void write_vessel_network(const VesselNetwork& network, const std::filesystem::path& path);

}  // namespace ptwin::geometry::centerline
