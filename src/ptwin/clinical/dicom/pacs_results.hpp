// SPDX-License-Identifier: Apache-2.0
#pragma once
// Back to PACS: the imaging results of one series written as DICOM SEG (the lumen) and, when
// there are measurements, DICOM SR (TID 1500), then stored in the source study with one
// STOW-RS request. Both files are written (and checked) before anything is sent, so a bad
// input stores nothing; a PACS that refuses either instance throws (DicomwebError).
// This is the entry `ptwin image` calls once segmentation and centerlines have run.

#include <optional>
#include <vector>

#include "ptwin/clinical/dicom/measurement_report_writer.hpp"
#include "ptwin/clinical/dicom/segmentation_writer.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"

namespace ptwin::clinical::dicom {

struct PacsResultsOptions {
  SegmentationWriteOptions segmentation;
  MeasurementReportWriteOptions report;
};

struct PacsResults {
  WrittenInstance segmentation;
  std::optional<WrittenInstance> report;  // none when there were no measurements
  ingest::dicom::StowResult stow;
};

/// Writes the SEG of `labels` and the SR of `measurements` (none: SEG only) for the series in
/// `source_files`, and stores them with STOW-RS to {base}/studies/{study of the source}.
/// Throws InputError (bad labels, sources or measurements: nothing is sent) or DicomwebError.
PacsResults write_results_to_pacs(ingest::dicom::DicomwebClient& pacs,
                                  const geometry::segmentation::LabelVolume& labels,
                                  const std::vector<ingest::dicom::DicomBuffer>& source_files,
                                  const std::vector<VesselSegmentMeasurement>& measurements,
                                  const PacsResultsOptions& options);

}  // namespace ptwin::clinical::dicom
