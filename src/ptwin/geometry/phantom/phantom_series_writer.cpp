// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"

#include <fmt/format.h>

#include <fstream>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::phantom {

ingest::dicom::WrittenSeries write_phantom_series(const VesselPhantom& phantom,
                                                  const std::filesystem::path& directory,
                                                  const ingest::dicom::CtSeriesWriteOptions& options) {
  auto written = ingest::dicom::write_ct_series(phantom.volume, directory / "series", options);
  auto truth = ground_truth_json(phantom);
  truth["dicom"] = {{"study_uid", written.identity.study_uid},
                    {"series_uid", written.identity.series_uid},
                    {"frame_of_reference_uid", written.identity.frame_of_reference_uid},
                    {"patient_id", written.identity.patient_id},
                    {"rescale_intercept_hu", options.rescale_intercept_hu},
                    {"files", written.files.size()}};
  const auto path = directory / "ground_truth.json";
  std::ofstream stream(path);
  stream << truth.dump(1) << '\n';
  if (!stream) throw Error(ErrorCode::Io, fmt::format("{}: cannot be written", path.string()));
  return written;
}

}  // namespace ptwin::geometry::phantom
