// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a vessel phantom as a CT DICOM series (one file per slice) with its ground truth as
// ground_truth.json beside the slices.

#include <filesystem>

#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

namespace ptwin::geometry::phantom {

/// The series written into `directory`, plus ground_truth.json (which also records the DICOM
/// study, series and frame-of-reference UIDs).
ingest::dicom::WrittenSeries write_phantom_series(const VesselPhantom& phantom,
                                                  const std::filesystem::path& directory,
                                                  const ingest::dicom::CtSeriesWriteOptions& options = {});

}  // namespace ptwin::geometry::phantom
