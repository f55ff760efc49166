// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"
#include "ptwin/geometry/segmentation/segmenter_training.hpp"
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"

namespace ptwin::geometry::segmentation {
namespace {

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("ptwin-" + std::to_string(::getpid()) + "-" + name);
}

std::string error_of(const std::filesystem::path& path) {
  try {
    TorchScriptSegmenter segmenter({path, 16, 0});
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// A module keeping or breaking the contract: `format` and `halo` as given, forward as given.
std::filesystem::path save_module(const std::string& name, const std::string& format, std::int64_t halo,
                                  const std::string& forward) {
  torch::jit::Module module("Foreign");
  module.register_attribute("format", c10::StringType::get(), format);
  module.register_attribute("halo_voxels", c10::IntType::get(), halo);
  module.define(forward);
  const auto path = temp_file(name);
  module.save(path.string());
  return path;
}

TEST(TorchScriptSegmenter, AMissingModelFileSaysHowToMakeOne) {
  const auto message = error_of(temp_file("absent.pt"));
  EXPECT_NE(message.find("absent.pt"), std::string::npos) << message;
  EXPECT_NE(message.find("ptwin train-segmenter"), std::string::npos) << message;
}

TEST(TorchScriptSegmenter, AFileThatIsNotTorchScriptIsRefusedWithItsPath) {
  const auto path = temp_file("garbage.pt");
  std::ofstream(path) << "not a zip archive";
  const auto message = error_of(path);
  std::filesystem::remove(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("TorchScript archive"), std::string::npos) << message;
}

TEST(TorchScriptSegmenter, AModelWithoutTheContractAttributesIsRefused) {
  const auto path = save_module("foreign.pt", "someone.else/2", 0, "def forward(self, x):\n    return x\n");
  const auto message = error_of(path);
  std::filesystem::remove(path);
  EXPECT_NE(message.find(": format"), std::string::npos) << message;
  EXPECT_NE(message.find("someone.else/2"), std::string::npos) << message;
}

TEST(TorchScriptSegmenter, AnOutputOfTheWrongShapeIsRefusedNamingBothShapes) {
  // Claims a halo of 1 but returns its input unshrunk.
  const auto path = save_module("unshrunk.pt", kTorchScriptSegmenterFormat, 1, "def forward(self, x):\n    return x\n");
  const TorchScriptSegmenter segmenter({path, 4, 0});
  phantom::VesselPhantomSpec spec;
  spec.size = {32, 32, 8};
  const auto made = phantom::make_vessel_phantom(spec);
  try {
    (void)segmenter.segment(made.volume);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("1x1x6x34x34"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1x1x4x32x32"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(TorchScriptSegmenter, TheResultDoesNotDependOnTheSlabSize) {
  SegmenterTrainingSettings settings;
  settings.output_path = temp_file("small.pt");
  settings.phantoms = 1;
  settings.phantom_edge = 32;
  settings.iterations = 10;
  (void)train_vessel_segmenter(settings);
  phantom::VesselPhantomSpec spec;
  spec.size = {40, 36, 30};
  const auto made = phantom::make_vessel_phantom(spec);
  const auto whole = TorchScriptSegmenter({settings.output_path, 64, 0}).segment(made.volume);
  const auto slabs = TorchScriptSegmenter({settings.output_path, 7, 1}).segment(made.volume);
  std::filesystem::remove(settings.output_path);
  EXPECT_EQ(whole.labels.labels, slabs.labels.labels);
  EXPECT_EQ(whole.labels.identity.series_uid, made.volume.identity.series_uid);
  EXPECT_EQ(whole.labels.geometry.size, made.volume.geometry.size);
  EXPECT_EQ(whole.report.method, "torchscript");
  EXPECT_EQ(whole.report.final_voxels, lumen_voxel_count(whole.labels));
}

TEST(SegmenterTraining, SettingsOutOfRangeNameTheirField) {
  SegmenterTrainingSettings settings;
  settings.output_path = temp_file("never.pt");
  settings.crop_edge = 60;  // larger than the 48-voxel phantom
  try {
    (void)train_vessel_segmenter(settings);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "training.crop_edge");
  }
  settings.crop_edge = 20;
  settings.learning_rate = 0.0;
  EXPECT_THROW((void)train_vessel_segmenter(settings), InputError);
  EXPECT_FALSE(std::filesystem::exists(settings.output_path));
}

}  // namespace
}  // namespace ptwin::geometry::segmentation
