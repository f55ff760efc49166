// SPDX-License-Identifier: Apache-2.0
// `ptwin phantom` as a user runs it: a compressed CT series and its ground truth come out, and
// the series reads back as one volume of the requested size; a bad option is refused by name.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ptwin/clinical/dicom/measurement_report_reader.hpp"
#include "ptwin/clinical/dicom/segmentation_reader.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code;
  std::string output;
};

CommandResult run(const std::string& arguments, const fs::path& dir) {
  const fs::path log = dir / "output.txt";
  const std::string command = std::string(PTWIN_EXECUTABLE) + " " + arguments;
  const int status = std::system((command + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

class PhantomE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ptwin_phantom_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(PhantomE2e, WritesASeriesThatReadsBackWithItsGroundTruth) {
  const auto out = dir_ / "phantom";
  const auto result = run("phantom " + out.string() + " --size 24x20x16 --transfer-syntax rle --stenosis 0.7", dir_);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("16 slices of 24x20"), std::string::npos) << result.output;
  const auto volume = ptwin::ingest::dicom::read_dicom_series_directory(out / "series");
  EXPECT_EQ(volume.geometry.size, (std::array<std::size_t, 3>{24, 20, 16}));
  EXPECT_EQ(volume.value_unit, "HU");
  std::ifstream truth_file(out / "ground_truth.json");
  const auto truth = nlohmann::json::parse(truth_file);
  EXPECT_EQ(truth.at("dicom").at("series_uid"), volume.identity.series_uid);
  EXPECT_DOUBLE_EQ(truth.at("stenosis").at("diameter_reduction").get<double>(), 0.7);
  EXPECT_EQ(truth.at("branches").size(), 3U);
}

// dciodvfy's lines with "Error" for `file` (dicom3tools; scripts/install_deps.sh installs it).
std::string dciodvfy_errors(const fs::path& file, const fs::path& dir) {
  const fs::path log = dir / "dciodvfy.txt";
  const int status = std::system(("dciodvfy '" + file.string() + "' > " + log.string() + " 2>&1").c_str());
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
    return "dciodvfy (dicom3tools) could not run: run scripts/install_deps.sh";
  }
  std::ifstream in(log);
  std::string errors;
  for (std::string line; std::getline(in, line);) {
    if (line.find("Error") != std::string::npos) errors += line + "\n";
  }
  return errors;
}

TEST_F(PhantomE2e, ResultsAreTheGroundTruthAsValidSegAndSr) {
  const auto out = dir_ / "phantom";
  const auto result = run("phantom " + out.string() + " --size 24x20x16 --stenosis 0.7 --results", dir_);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("SEG and SR of the ground truth"), std::string::npos) << result.output;
  EXPECT_EQ(dciodvfy_errors(out / "results" / "seg.dcm", dir_), "");
  EXPECT_EQ(dciodvfy_errors(out / "results" / "sr.dcm", dir_), "");

  const auto volume = ptwin::ingest::dicom::read_dicom_series_directory(out / "series");
  std::ifstream seg_file(out / "results" / "seg.dcm", std::ios::binary);
  const std::string seg_bytes{std::istreambuf_iterator<char>(seg_file), {}};
  const auto seg = ptwin::clinical::dicom::read_segmentation(seg_bytes, volume.geometry);
  EXPECT_EQ(seg.labels.identity.study_uid, volume.identity.study_uid);
  EXPECT_FALSE(seg.frames.empty());
  std::ifstream sr_file(out / "results" / "sr.dcm", std::ios::binary);
  const std::string sr_bytes{std::istreambuf_iterator<char>(sr_file), {}};
  const auto report = ptwin::clinical::dicom::read_measurement_report(sr_bytes);
  ASSERT_EQ(report.segments.size(), 3U);  // parent and two daughters
  double largest_stenosis = 0.0;
  for (const auto& segment : report.segments) {
    EXPECT_EQ(segment.segmentation_sop_instance_uid, seg.sop_instance_uid);
    largest_stenosis = std::max(largest_stenosis, segment.measurement.stenosis_diameter_reduction.si());
  }
  // Centerline points are 0.2 mm apart: the nearest to the stenosis centre is at most 0.1 mm
  // off, where the cosine profile (L = 4 mm) gives 0.7 * (1 + cos(2 pi 0.1 / 4)) / 2 = 0.696.
  EXPECT_NEAR(largest_stenosis, 0.7, 0.005);
}

TEST_F(PhantomE2e, BadSizeIsRefusedByName) {
  const auto result = run("phantom " + (dir_ / "x").string() + " --size 24x20", dir_);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("--size"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(dir_ / "x" / "series"));
}

// `ptwin train-segmenter` writes a model that the segmenter loads; libtorch comes from the
// plugin, so a plugin that cannot be found is an error that says where it looked and what to do.
TEST_F(PhantomE2e, TrainSegmenterWritesAModelAndNamesAMissingPlugin) {
  const auto model = dir_ / "segmenter.pt";
  const auto small = " --phantoms 1 --phantom-edge 32 --iterations 10 --crop 8";
  const auto trained = run("train-segmenter --out " + model.string() + small, dir_);
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  EXPECT_NE(trained.output.find("10 Adam steps"), std::string::npos) << trained.output;
  EXPECT_GT(fs::file_size(model), 1000u);

  ::setenv("PTWIN_TORCHSCRIPT_PLUGIN", (dir_ / "absent.so").c_str(), 1);
  const auto refused = run("train-segmenter --out " + (dir_ / "never.pt").string() + small, dir_);
  ::unsetenv("PTWIN_TORCHSCRIPT_PLUGIN");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("absent.so"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("PTWIN_TORCHSCRIPT_PLUGIN"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(dir_ / "never.pt"));
}

}  // namespace
