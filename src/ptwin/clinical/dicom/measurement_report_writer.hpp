// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes the vessel measurements as a DICOM Enhanced SR (1.2.840.10008.5.1.4.1.1.88.22; TID 1500
// needs nothing of Comprehensive SR: no spatial coordinates, no by-reference items) following
// TID 1500 "Measurement Report" (DICOM PS3.16), with DCMTK's dcmsr TID 1500 classes:
//   - document title DCM 126000 "Imaging Measurement Report" (CID 7021), language English
//     (TID 1204), procedure reported LN 25045-6 "CT unspecified body region" (CID 100);
//   - observer context (TID 1001/1004): a device observer, ptwin with its version;
//   - image library (TID 1600): every source image;
//   - one TID 1411 "Volumetric ROI Measurements" group per vessel segment: Tracking Identifier
//     (the segment's name) and a fresh Tracking UID, Finding SCT 59820001 "Blood vessel",
//     Referenced Segment = segment 1 (lumen) of the SEG, Source series for segmentation, and
//     Finding Site when known; TID 1419 measurements:
//       SCT 81827009 "Diameter" in mm with Derivation SCT 373098007 "Mean" and, separately,
//         SCT 255605001 "Minimum" (CID 7464);
//       99PTWIN diam-stenosis "Diameter stenosis" in % with Measurement Method DCM 122651
//         "Diameter Based Method" (CID 3804);
//       DCM 122197 "Gradient pressure, average" in mmHg with the model as Algorithm Name and
//         Version (TID 4019), only where a prediction exists, and DCM 122198 "Gradient
//         pressure, peak" likewise where the prediction has a peak.
// Patient and study attributes are copied from the source series; the SR is a new series in
// that study, and its Current Requested Procedure Evidence lists the source images and the SEG.
// The local scheme 99PTWIN is declared in the Coding Scheme Identification Sequence.

#include <string>
#include <vector>

#include "ptwin/clinical/dicom/vessel_measurements.hpp"
#include "ptwin/clinical/dicom/written_instance.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::clinical::dicom {

struct MeasurementReportWriteOptions {
  std::string software_version;     // ptwin's version, e.g. "ptwin 0.1.0" (required)
  std::string device_observer_uid;  // "" for a fresh one
  std::string series_description = "ptwin vessel measurements";
  int series_number = 901;
  std::string series_uid;        // "" for a fresh one
  std::string sop_instance_uid;  // "" for a fresh one
};

/// Writes the report on `measurements` (checked with check_vessel_measurements; at least one)
/// taken on `source_files` (one series) and their segmentation `seg` (as write_segmentation
/// returned it). Throws InputError naming the field for bad measurements or sources.
[[nodiscard]] WrittenInstance write_measurement_report(
    const std::vector<VesselSegmentMeasurement>& measurements,
    const std::vector<ingest::dicom::DicomBuffer>& source_files, const WrittenInstance& seg,
    const MeasurementReportWriteOptions& options);

}  // namespace ptwin::clinical::dicom
