// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the measurement report (DICOM SR, TID 1500) says about each vessel segment: lumen
// diameters and the diameter stenosis from the centerlines, and, where a model has run, the
// pressure drop it predicts along the segment with the identity of that model. SI inside
// (core/units); the SR writer converts to mm, % and mmHg.

#include <optional>
#include <string>
#include <vector>

#include "ptwin/clinical/dicom/coded_concept.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::dicom {

/// The model (or solver) that produced a prediction: written as the measurement's Algorithm
/// Name and Algorithm Version (TID 4019).
struct ModelIdentity {
  std::string name;     // e.g. "ptwin.oned"
  std::string version;  // e.g. "0.3.0+g1a2b3c"
  friend bool operator==(const ModelIdentity&, const ModelIdentity&) = default;
};

struct PredictedPressureDrop {
  units::Pressure mean_drop;  // cycle-averaged, proximal minus distal
  ModelIdentity model;
  /// The largest drop over the cycle; none when only the mean was predicted.
  std::optional<units::Pressure> peak_drop;
  friend bool operator==(const PredictedPressureDrop&, const PredictedPressureDrop&) = default;
};

struct VesselSegmentMeasurement {
  /// The segment's name, unique in a report (the group's Tracking Identifier), e.g.
  /// "daughter-1 mid". At most 64 characters (LO).
  std::string name;
  units::Length mean_diameter;     // lumen diameter averaged along the segment
  units::Length minimal_diameter;  // smallest lumen diameter along the segment
  /// 1 - minimal / reference diameter (0.5 = 50 % diameter stenosis), from 0 to 1.
  units::Ratio stenosis_diameter_reduction;
  /// Where the segment is, as an anatomic code (TID 1419 Finding Site, e.g. SCT 41801008
  /// "Coronary artery"); none when the anatomy is not labelled.
  std::optional<CodedConcept> finding_site;
  std::optional<PredictedPressureDrop> predicted_pressure_drop;

  friend bool operator==(const VesselSegmentMeasurement&,
                         const VesselSegmentMeasurement&) = default;
};

/// Checks `measurements` before anything is written: names present, unique and at most 64
/// characters; diameters positive and finite with minimal <= mean; stenosis in [0, 1]; a
/// predicted drop finite, its peak (if any) finite and at least its mean; model name and version
/// present. Throws InputError naming the segment and the field.
void check_vessel_measurements(const std::vector<VesselSegmentMeasurement>& measurements);

}  // namespace ptwin::clinical::dicom
