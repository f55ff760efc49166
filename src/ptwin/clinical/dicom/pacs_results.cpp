// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/pacs_results.hpp"

#include <string_view>

namespace ptwin::clinical::dicom {

PacsResults write_results_to_pacs(ingest::dicom::DicomwebClient& pacs,
                                  const geometry::segmentation::LabelVolume& labels,
                                  const std::vector<ingest::dicom::DicomBuffer>& source_files,
                                  const std::vector<VesselSegmentMeasurement>& measurements,
                                  const PacsResultsOptions& options) {
  PacsResults results;
  results.segmentation = write_segmentation(labels, source_files, options.segmentation);
  if (!measurements.empty()) {
    results.report =
        write_measurement_report(measurements, source_files, results.segmentation, options.report);
  }
  std::vector<std::string_view> files{results.segmentation.bytes};
  if (results.report) files.emplace_back(results.report->bytes);
  results.stow = pacs.store_instances(files, results.segmentation.study_uid);
  return results;
}

}  // namespace ptwin::clinical::dicom
