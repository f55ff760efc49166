// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a vessel phantom as a CT DICOM series, one file per slice in <directory>/series/ (so
// that the folder holds DICOM files only and reads as one series), with its ground truth in
// <directory>/ground_truth.json.

#include <filesystem>

#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

namespace ptwin::geometry::phantom {

/// The series written into `directory`/series, plus `directory`/ground_truth.json (which also records the DICOM
/// study, series and frame-of-reference UIDs).
ingest::dicom::WrittenSeries write_phantom_series(const VesselPhantom& phantom,
                                                  const std::filesystem::path& directory,
                                                  const ingest::dicom::CtSeriesWriteOptions& options = {});

}  // namespace ptwin::geometry::phantom
