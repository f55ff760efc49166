// SPDX-License-Identifier: Apache-2.0
// Recalibration files (ptwin.risk-recalibration/1, src/ptwin/vv/gate/recalibration_file.hpp):
// what is written reads back unchanged, the maps' digest follows the maps, a file is refused for
// a model it was not fitted for, and every case of the bad-input corpus is refused naming its
// field.
#include "ptwin/vv/gate/recalibration_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "support/bad_input_corpus.hpp"

namespace {

namespace gate = ptwin::vv::gate;
namespace risk = ptwin::twin::risk;

gate::RecalibrationFile fitted_file() {
  gate::RecalibrationFile file;
  file.model = gate::hypotension_risk_model_identity({});
  file.fitted_at = ptwin::time::parse_iso8601("2026-11-25T06:00:00.123456789Z", std::nullopt, "t");
  file.fitted_on = {
      .cohort = "synthetic", .cohort_seed = 7, .patients = 20, .hours = 2, .training_patients = 10};
  risk::RiskRecalibration platt;
  platt.method = risk::RecalibrationMethod::Platt;
  platt.platt_intercept = -0.31234567890123456;
  platt.platt_slope = 1.2345678901234567;
  risk::RiskRecalibration isotonic;
  isotonic.method = risk::RecalibrationMethod::Isotonic;
  isotonic.isotonic_knots = {{0.0, 0.0}, {0.1, 0.02}, {0.35, 0.02}, {0.9, 0.7}};
  file.horizons = {
      {.recalibration = {std::chrono::seconds(300), platt}, .cases = 400, .events = 20},
      {.recalibration = {std::chrono::seconds(900), isotonic}, .cases = 380, .events = 41}};
  return file;
}

TEST(RecalibrationFile, WhatIsWrittenReadsBackUnchanged) {
  const auto file = fitted_file();
  const auto text = gate::to_json_text(file);
  EXPECT_NE(text.find(R"("format": "ptwin.risk-recalibration/1")"), std::string::npos) << text;
  EXPECT_EQ(gate::parse_recalibration_file(text, "maps.json"), file);
  const auto path = std::filesystem::temp_directory_path() /
                    ("recalibration-test-" + std::to_string(::getpid()) + ".json");
  gate::write_recalibration_file(file, path);
  EXPECT_EQ(gate::read_recalibration_file(path), file);
  std::filesystem::remove(path);
}

TEST(RecalibrationFile, MapsBecomeSettingsAndTheirDigestFollowsThem) {
  const auto file = fitted_file();
  const auto maps = gate::maps_of(file);
  ASSERT_EQ(maps.size(), 2U);
  EXPECT_EQ(maps[1].horizon, std::chrono::seconds(900));
  EXPECT_EQ(maps[1].map.apply(0.1), 0.02);
  EXPECT_FALSE(gate::recalibration_digest({}));
  const auto digest = gate::recalibration_digest(maps);
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->size(), 64U);
  auto changed = maps;
  changed[0].map.platt_slope = std::nextafter(changed[0].map.platt_slope, 2.0);
  EXPECT_NE(gate::recalibration_digest(changed), digest);
  // The maps are settings: a recalibrated model is another model to the gate.
  risk::HypotensionRiskSettings recalibrated;
  recalibrated.recalibrations = maps;
  EXPECT_NE(gate::hypotension_risk_model_identity(recalibrated).settings_digest,
            file.model.settings_digest);
}

TEST(RecalibrationFile, AppliesOnlyToTheModelItWasFittedForAndItsHorizons) {
  const auto file = fitted_file();
  const auto served = ptwin::twin::live::kServedRiskHorizons;
  EXPECT_NO_THROW(
      gate::check_applies_to(file, gate::hypotension_risk_model_identity({}), served, "maps.json"));
  risk::HypotensionRiskSettings enkf;
  enkf.filter = ptwin::StateFilter::Enkf;
  try {
    gate::check_applies_to(file, gate::hypotension_risk_model_identity(enkf), served, "maps.json");
    FAIL() << "accepted a map fitted for the UKF's raw risk";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "maps.json.model.settings_digest");
    EXPECT_EQ(e.value(), file.model.settings_digest);
    EXPECT_NE(e.rule().find("--write-recalibration"), std::string::npos) << e.what();
  }
  auto other_horizon = file;
  other_horizon.horizons[1].recalibration.horizon = std::chrono::seconds(600);
  try {
    gate::check_applies_to(other_horizon, file.model, served, "maps.json");
    FAIL() << "accepted a map for a horizon that is not forecast";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "maps.json.horizons[1].horizon_s");
    EXPECT_EQ(e.value(), "600");
    EXPECT_NE(e.rule().find("300, 900"), std::string::npos) << e.what();
  }
}

TEST(RecalibrationFile, AnUnreadableFileIsAnIoErrorNamingThePath) {
  try {
    (void)gate::read_recalibration_file("/nonexistent/maps.json");
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.code(), ptwin::ErrorCode::Io);
    EXPECT_EQ(e.value(), "/nonexistent/maps.json");
  }
}

// document.*: refused by the reader; model.*: valid files refused for the default model (the
// UKF's settings) as served, with the 5 and 15 min horizons.
TEST(RecalibrationFile, EveryBadInputIsRefusedNamingTheField) {
  const std::filesystem::path folder =
      std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/recalibration_file";
  const std::vector<std::string> scopes{"document", "model"};
  const auto documents = ptwin::testing::scoped_corpus(folder, ".json", scopes, "document");
  const auto models = ptwin::testing::scoped_corpus(folder, ".json", scopes, "model");
  ASSERT_GE(documents.size(), 25U);
  ASSERT_GE(models.size(), 4U);
  const auto expect_refused = [](const ptwin::testing::CorpusCase& bad, const auto& read) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      read();
      ADD_FAILURE() << "accepted";
    } catch (const ptwin::InputError& error) {
      EXPECT_EQ(ptwin::error_code_info(error.code()).name, bad.code_name) << error.what();
      ptwin::testing::expect_fragments(error.what(), bad);
    }
  };
  for (const auto& bad : documents) {
    expect_refused(bad, [&] { (void)gate::read_recalibration_file(bad.input); });
  }
  for (const auto& bad : models) {
    expect_refused(bad, [&] {
      gate::check_applies_to(gate::read_recalibration_file(bad.input),
                             gate::hypotension_risk_model_identity({}),
                             ptwin::twin::live::kServedRiskHorizons, bad.input.string());
    });
  }
}

}  // namespace
