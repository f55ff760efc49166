// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the SEG/SR tests: a small vessel phantom written as a CT series, its files' bytes,
// its ground-truth lumen as a LabelVolume (lumen fraction > 0.5), and dciodvfy run on a file.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ptwin/clinical/dicom/segmentation_writer.hpp"
#include "ptwin/clinical/dicom/vessel_measurements.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::clinical::dicom::testing {

struct PhantomSeries {
  geometry::phantom::VesselPhantom phantom;
  ingest::dicom::WrittenSeries written;
  std::vector<ingest::dicom::DicomBuffer> files;  // slice order
  geometry::segmentation::LabelVolume lumen;
};

/// A 32 x 32 x 12 phantom written under `directory`; `study_uid` "" for a fresh study.
[[nodiscard]] PhantomSeries write_phantom(const std::filesystem::path& directory,
                                          const std::string& study_uid = "");

/// Options naming a threshold algorithm and a test version.
[[nodiscard]] SegmentationWriteOptions test_segmentation_options();

/// Two vessel segments, one with a predicted pressure drop.
[[nodiscard]] std::vector<VesselSegmentMeasurement> test_measurements();

struct DciodvfyReport {
  std::string output;
  std::vector<std::string> errors;    // lines with "Error"
  std::vector<std::string> warnings;  // lines with "Warning"
};

/// Runs dciodvfy on `file`; a missing dciodvfy fails the test, naming scripts/install_deps.sh.
[[nodiscard]] DciodvfyReport run_dciodvfy(const std::filesystem::path& file);

void write_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace ptwin::clinical::dicom::testing
