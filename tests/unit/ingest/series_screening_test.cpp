// SPDX-License-Identifier: Apache-2.0
// Screening the files offered as one series (ingest/dicom/series_screening.hpp): every file lands
// in one list, with the reason for those refused or skipped.
#include "ptwin/ingest/dicom/series_screening.hpp"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../support/bad_input_corpus.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

namespace ptwin::ingest::dicom {
namespace {

namespace fs = std::filesystem;

ImageVolume small_volume(std::size_t slices) {
  ImageVolume volume;
  volume.geometry.size = {8, 6, slices};
  volume.geometry.spacing_m = {1e-3, 1e-3, 1e-3};
  volume.identity.modality = "CT";
  volume.value_unit = "HU";
  volume.values.assign(volume.geometry.voxel_count(), 40.0F);
  return volume;
}

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class SeriesScreeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ptwin-screening-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    const auto large = write_ct_series(small_volume(5), dir_ / "large");
    const auto small = write_ct_series(small_volume(2), dir_ / "small");
    large_uid_ = large.identity.series_uid;
    small_uid_ = small.identity.series_uid;
    // The small series first, so that the choice of the larger one is not file order.
    for (const auto& file : small.files) files_.push_back({file.filename().string(), bytes_of(file)});
    for (const auto& file : large.files) files_.push_back({"large-" + file.filename().string(), bytes_of(file)});
    // A DICOM object without pixel data, as a report would be.
    DcmFileFormat report;
    report.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_EnhancedSRStorage);
    report.getDataset()->putAndInsertString(DCM_SOPInstanceUID, new_dicom_uid().c_str());
    report.getDataset()->putAndInsertString(DCM_SeriesInstanceUID, new_dicom_uid().c_str());
    ASSERT_TRUE(report.saveFile((dir_ / "report.dcm").c_str(), EXS_LittleEndianExplicit).good());
    files_.push_back({"report.dcm", bytes_of(dir_ / "report.dcm")});
    files_.push_back({"truncated.dcm", files_.back().bytes.substr(0, files_.back().bytes.size() - 9)});
    files_.push_back({"cut-slice.dcm", files_[3].bytes.substr(0, 600)});
    files_.push_back({"notes.txt", "not DICOM"});
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string large_uid_, small_uid_;
  std::vector<DicomBuffer> files_;
};

TEST_F(SeriesScreeningTest, EveryFileIsAcceptedRefusedOrSkippedWithItsReason) {
  const auto screening = screen_series_files(files_);
  EXPECT_EQ(screening.series_uid, large_uid_) << "the series with the most images";
  ASSERT_EQ(screening.accepted.size(), 5U);
  for (const auto& file : screening.accepted) EXPECT_EQ(file.name.substr(0, 6), "large-") << file.name;
  ASSERT_EQ(screening.refused.size(), 3U);
  EXPECT_EQ(screening.refused[0].file.name, "truncated.dcm");
  EXPECT_NE(screening.refused[0].reason.find("broken DICOM"), std::string::npos) << screening.refused[0].reason;
  EXPECT_EQ(screening.refused[1].file.name, "cut-slice.dcm");
  EXPECT_NE(screening.refused[1].reason.find("broken DICOM"), std::string::npos) << screening.refused[1].reason;
  EXPECT_EQ(screening.refused[2].file.bytes, "not DICOM") << "bytes kept as offered";
  EXPECT_NE(screening.refused[2].reason.find("not a DICOM Part 10 file"), std::string::npos) << screening.refused[2].reason;
  ASSERT_EQ(screening.skipped.size(), 3U);  // the two slices of the small series and the report
  EXPECT_NE(screening.skipped[0].reason.find(small_uid_), std::string::npos) << screening.skipped[0].reason;
  EXPECT_NE(screening.skipped[0].reason.find("not the series in scope"), std::string::npos) << screening.skipped[0].reason;
  EXPECT_NE(screening.skipped[2].reason.find("no Pixel Data"), std::string::npos) << screening.skipped[2].reason;
  EXPECT_EQ(screening.accepted.size() + screening.refused.size() + screening.skipped.size(), files_.size());
}

TEST_F(SeriesScreeningTest, TheSeriesAskedForIsInScope) {
  const auto screening = screen_series_files(files_, small_uid_);
  EXPECT_EQ(screening.series_uid, small_uid_);
  EXPECT_EQ(screening.accepted.size(), 2U);
  EXPECT_EQ(screening.skipped.size(), 6U);
  EXPECT_EQ(screening.refused.size(), 3U);
  const auto volume = read_dicom_series(screening.accepted);
  EXPECT_EQ(volume.geometry.size[2], 2U);
}

// The corpus tests/data/bad_inputs/dicom_series (README there): file.<refusal>.<case>.dcm is
// refused, skipped.<why>.<case>.dcm skipped, each alone, with its bytes kept and every line of its
// .expect in the reason.
TEST(SeriesScreeningCorpus, EachBadFileIsRefusedOrSkippedWithItsReason) {
  const fs::path corpus = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "dicom_series";
  std::size_t cases = 0;
  for (const std::string scope : {"file", "skipped"}) {
    for (const auto& bad : ptwin::testing::scoped_corpus(corpus, ".dcm", {"file", "skipped"}, scope)) {
      ++cases;
      const std::string bytes = ptwin::testing::read_bytes(bad.input);
      const auto screening = screen_series_files({{bad.input.filename().string(), bytes}});
      EXPECT_TRUE(screening.accepted.empty()) << bad.input;
      const auto& list = scope == "file" ? screening.refused : screening.skipped;
      ASSERT_EQ(list.size(), 1U) << bad.input;
      EXPECT_EQ(list[0].file.bytes, bytes) << bad.input;
      for (const auto& fragment : bad.fragments) {
        EXPECT_NE(list[0].reason.find(fragment), std::string::npos) << bad.input << ": " << list[0].reason;
      }
    }
  }
  EXPECT_GE(cases, 6U);
}

}  // namespace
}  // namespace ptwin::ingest::dicom
