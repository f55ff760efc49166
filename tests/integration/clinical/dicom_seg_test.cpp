// SPDX-License-Identifier: Apache-2.0
// DICOM SEG of a phantom's ground-truth lumen (DCMTK): valid for dciodvfy, in the source's
// study and frame of reference, each frame referencing the CT slice it was segmented from,
// and decoded back equal to the LabelVolume slice by slice. Bad labels and sources are refused.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "dicom_results_fixture.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/clinical/dicom/segmentation_reader.hpp"
#include "ptwin/clinical/dicom/segmentation_writer.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

namespace fs = std::filesystem;

class DicomSegTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("ptwin-seg-{}-{}", test->name(), ::getpid());
    fs::remove_all(dir_);
    series_ = testing::write_phantom(dir_ / "phantom");
  }
  void TearDown() override {
    if (std::getenv("PTWIN_KEEP_TEST_FILES") == nullptr) fs::remove_all(dir_);
  }

  fs::path dir_;
  testing::PhantomSeries series_;
};

std::size_t foreground_slices(const geometry::segmentation::LabelVolume& labels) {
  const std::size_t pixels = labels.geometry.size[0] * labels.geometry.size[1];
  std::size_t count = 0;
  for (std::size_t k = 0; k < labels.geometry.size[2]; ++k) {
    const auto begin = labels.labels.begin() + static_cast<std::ptrdiff_t>(k * pixels);
    if (std::any_of(begin, begin + static_cast<std::ptrdiff_t>(pixels),
                    [](auto v) { return v != 0; }))
      ++count;
  }
  return count;
}

TEST_F(DicomSegTest, PassesDciodvfyWithoutErrors) {
  const auto seg =
      write_segmentation(series_.lumen, series_.files, testing::test_segmentation_options());
  const auto path = dir_ / "seg.dcm";
  testing::write_file(path, seg.bytes);
  const auto report = testing::run_dciodvfy(path);
  for (const auto& warning : report.warnings) std::cout << "dciodvfy SEG: " << warning << '\n';
  EXPECT_TRUE(report.errors.empty()) << report.output;
}

TEST_F(DicomSegTest, DecodesBackEqualToTheLabelsFrameByFrame) {
  // Half the slices crossed by lumen, to exercise the written-frames-only rule too.
  auto labels = series_.lumen;
  const std::size_t pixels = labels.geometry.size[0] * labels.geometry.size[1];
  std::fill_n(labels.labels.begin() + static_cast<std::ptrdiff_t>(3 * pixels), pixels, 0);
  ASSERT_GT(foreground_slices(labels), 5U);
  const auto seg = write_segmentation(labels, series_.files, testing::test_segmentation_options());
  const auto decoded = read_segmentation(seg.bytes, labels.geometry);

  EXPECT_EQ(decoded.frames.size(), foreground_slices(labels));
  for (std::size_t k = 0; k < labels.geometry.size[2]; ++k) {
    const auto begin = static_cast<std::ptrdiff_t>(k * pixels);
    const bool equal =
        std::equal(labels.labels.begin() + begin,
                   labels.labels.begin() + begin + static_cast<std::ptrdiff_t>(pixels),
                   decoded.labels.labels.begin() + begin);
    EXPECT_TRUE(equal) << "slice " << k;
  }
  for (const auto& frame : decoded.frames) {
    EXPECT_EQ(frame.segment_number, 1);
    EXPECT_EQ(frame.source_sop_instance_uid, series_.written.sop_instance_uids[frame.slice])
        << "slice " << frame.slice;
    EXPECT_EQ(frame.source_sop_class_uid, "1.2.840.10008.5.1.4.1.1.2");  // CT Image Storage
  }
  EXPECT_EQ(decoded.labels.identity.study_uid, series_.written.identity.study_uid);
  EXPECT_EQ(decoded.labels.identity.frame_of_reference_uid,
            series_.written.identity.frame_of_reference_uid);
  EXPECT_EQ(decoded.labels.identity.patient_id, series_.written.identity.patient_id);
  EXPECT_EQ(decoded.labels.identity.series_uid, series_.written.identity.series_uid);
  EXPECT_NE(decoded.seg_series_uid, series_.written.identity.series_uid);
  EXPECT_EQ(decoded.seg_series_uid, seg.series_uid);
  EXPECT_EQ(decoded.sop_instance_uid, seg.sop_instance_uid);
  ASSERT_EQ(decoded.segments.size(), 1U);
  EXPECT_EQ(decoded.segments[0].category, codes::kCategoryTissue);
  EXPECT_EQ(decoded.segments[0].type, codes::kTypeBloodVessel);
  EXPECT_EQ(decoded.segments[0].algorithm_type, "AUTOMATIC");
  EXPECT_EQ(decoded.segments[0].algorithm_name, "ptwin ground-truth threshold 0.1.0");
  EXPECT_EQ(decoded.segments[0].label, "vessel lumen");
}

TEST_F(DicomSegTest, SourceFilesAreMatchedByPositionNotOrder) {
  auto shuffled = series_.files;
  std::reverse(shuffled.begin(), shuffled.end());
  const auto seg =
      write_segmentation(series_.lumen, shuffled, testing::test_segmentation_options());
  const auto decoded = read_segmentation(seg.bytes, series_.lumen.geometry);
  for (const auto& frame : decoded.frames) {
    EXPECT_EQ(frame.source_sop_instance_uid, series_.written.sop_instance_uids[frame.slice]);
  }
  EXPECT_EQ(decoded.labels.labels, series_.lumen.labels);
}

TEST_F(DicomSegTest, RefusesLabelsOtherThanLumenAndEmptyVolumes) {
  auto labels = series_.lumen;
  labels.labels[17] = 7;
  try {
    (void)write_segmentation(labels, series_.files, testing::test_segmentation_options());
    FAIL() << "label 7 accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("voxel 17"), std::string::npos) << error.what();
    EXPECT_EQ(error.value(), "7");
  }
  std::fill(labels.labels.begin(), labels.labels.end(), 0);
  EXPECT_THROW(
      (void)write_segmentation(labels, series_.files, testing::test_segmentation_options()),
      InputError);
}

TEST_F(DicomSegTest, RefusesSourcesOfAnotherSeriesOrWithAMissingSlice) {
  auto missing = series_.files;
  missing.erase(missing.begin() + 4);
  try {
    (void)write_segmentation(series_.lumen, missing, testing::test_segmentation_options());
    FAIL() << "a missing slice accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.rule().find("slice 4 has none"), std::string::npos) << error.what();
  }
  auto labels = series_.lumen;
  labels.identity.series_uid = "1.2.3.4";
  try {
    (void)write_segmentation(labels, series_.files, testing::test_segmentation_options());
    FAIL() << "files of another series accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("SeriesInstanceUID"), std::string::npos) << error.what();
    EXPECT_EQ(error.value(), series_.written.identity.series_uid);
  }
}

TEST_F(DicomSegTest, RefusesAnUnnamedAlgorithm) {
  auto options = testing::test_segmentation_options();
  options.algorithm.version.clear();
  try {
    (void)write_segmentation(series_.lumen, series_.files, options);
    FAIL() << "no algorithm version accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("algorithm.version"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::clinical::dicom
