// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads back a measurement report written by write_measurement_report (TID 1500 in an Enhanced
// or Comprehensive SR): each Measurement Group as a VesselSegmentMeasurement with the SEG
// segment and source series it references, and the device observer. Used to check what was
// written and what a PACS returns; it reads the subset of TID 1500 that ptwin writes and
// refuses what it does not know rather than dropping it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/dicom/vessel_measurements.hpp"

namespace ptwin::clinical::dicom {

struct ReportedVesselSegment {
  VesselSegmentMeasurement measurement;
  std::string tracking_uid;
  std::string segmentation_sop_instance_uid;  // Referenced Segment
  std::uint16_t segment_number = 0;
  std::string source_series_uid;  // Source series for segmentation
};

struct MeasurementReportContents {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string series_uid;
  std::string study_uid;
  std::string document_title;  // Code Meaning of the root concept
  std::string device_observer_uid;
  std::string device_observer_name;
  std::string device_observer_model_name;
  std::vector<std::string> evidence_sop_instance_uids;  // Current Requested Procedure Evidence
  std::vector<ReportedVesselSegment> segments;
};

/// Reads Part 10 SR `bytes`. Throws InputError naming `name`, the group and the item for a
/// file that is not an SR, a measurement with an unknown concept or unit, or a group missing
/// the tracking identifier, a diameter or the stenosis.
[[nodiscard]] MeasurementReportContents read_measurement_report(std::string_view bytes,
                                                                const std::string& name = "SR");

}  // namespace ptwin::clinical::dicom
