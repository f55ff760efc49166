// SPDX-License-Identifier: Apache-2.0
// The output stage (clinical/fhir/twin_output_stage.hpp) behind the model gate: a verified model
// emits valid R5 resources, throttled per patient and at once on an alert; an unverified model,
// a failed one, or one whose settings changed after verification emits nothing, and every
// resource it would have written is counted as withheld.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/clinical/fhir/output_writer.hpp"
#include "ptwin/clinical/fhir/twin_output_stage.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/vv/gate/hypotension_model_verification.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ptwin::Sample;
namespace cf = ptwin::clinical::fhir;
namespace gate = ptwin::vv::gate;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);

// The in-memory destination (as tests/support keeps in-memory stores): collects what it is given.
class CollectingWriter final : public cf::OutputWriter {
 public:
  void write(const std::vector<json>& resources) override {
    written.insert(written.end(), resources.begin(), resources.end());
  }
  [[nodiscard]] std::size_t count(const std::string& type) const {
    return static_cast<std::size_t>(std::count_if(
        written.begin(), written.end(), [&](const json& r) { return r["resourceType"] == type; }));
  }
  std::vector<json> written;
};

// Verified once with the real cases (a few seconds) and shared by the tests.
const gate::VerificationRecord& default_model_record() {
  static const auto record = gate::verify_hypotension_risk_model({}, kStart);
  return record;
}

struct Harness {
  explicit Harness(gate::VerificationRecord record,
                   ptwin::twin::risk::HypotensionRiskSettings running = {})
      : risk(running),
        model_gate(gate::hypotension_risk_model_identity(running), std::move(record)),
        stage(risk, model_gate, writer,
              {.risk_interval = 60s,
               .alert_raise = 0.5,
               .alert_clear = 0.3,
               .alert_minimum_duration = 30s,
               .model = running}) {}

  // MAP every 10 s for patient p1 from `from` to `to` (inclusive), one batch per sample as a
  // monitor sends them, falling linearly from `start_mmhg` at `slope` mmHg per minute.
  // `source` is each sample's source id, with {} replaced by the time in s.
  void feed(int from_s, int to_s, double start_mmhg, double slope_mmhg_per_min,
            const std::string& source = "test") {
    for (int s = from_s; s <= to_s; s += 10) {
      const double mmhg = start_mmhg + slope_mmhg_per_min * (s - from_s) / 60.0;
      const std::vector<Sample> batch{Sample{"p1", "8478-0", mmhg * ptwin::units::kPaPerMmHg,
                                             "mm[Hg]", kStart + std::chrono::seconds(s),
                                             fmt::format(fmt::runtime(source), s),
                                             ptwin::SampleQuality::Good}};
      const ptwin::ingest::stream::StoredSamples stored{
          .feed = "mqtt", .samples = batch, .received_at = kStart, .stored_at = kStart};
      risk.on_stored(stored);  // the update stage first, as in ptwin serve
      stage.on_stored(stored);
    }
  }

  ptwin::twin::live::HypotensionRiskStage risk;
  gate::ModelGate model_gate;
  CollectingWriter writer;
  cf::TwinOutputStage stage;
};

TEST(TwinOutputStage, VerifiedModelEmitsDeviceThenThrottledValidResources) {
  ASSERT_EQ(default_model_record().status, gate::VerificationStatus::Passed);
  Harness h(default_model_record());
  ASSERT_TRUE(h.model_gate.may_emit());
  h.feed(0, 170, 85.0, 0.0);  // 18 updates at 10 s, steady: no alert
  // The first update, then one each 60 s of data time: t = 0, 60, 120.
  EXPECT_EQ(h.writer.count("RiskAssessment"), 3u);
  EXPECT_EQ(h.writer.count("Observation"), 6u);
  EXPECT_EQ(h.writer.count("Device"), 1u);
  EXPECT_EQ(h.writer.count("DetectedIssue"), 0u);
  ASSERT_FALSE(h.writer.written.empty());
  EXPECT_EQ(h.writer.written.front()["resourceType"], "Device");
  const auto counts = h.stage.counts();
  EXPECT_EQ(counts.throttled, 15u);
  EXPECT_EQ(counts.withheld, 0u);
  EXPECT_EQ(h.stage.output_latency().count, 3u);
  const auto definitions = ptwin::ingest::fhir::definitions::Definitions::open(
      std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const ptwin::ingest::fhir::validation::Validator validator(*definitions);
  for (const auto& r : h.writer.written) {
    EXPECT_TRUE(validator.validate(r).is_valid()) << r.dump(2);
    if (r["resourceType"] != "Device") {
      EXPECT_EQ(r["meta"]["tag"][0]["code"], "passed");
    }
  }
}

TEST(TwinOutputStage, AnAlertIsWrittenAtOnceWithTheRiskAssessmentItCitesInsideTheInterval) {
  Harness h(default_model_record());
  h.feed(0, 300, 85.0, 0.0);
  const auto steady = h.writer.count("RiskAssessment");
  h.feed(310, 900, 80.0, -2.0);  // falls to about 60 mmHg
  ASSERT_GE(h.writer.count("DetectedIssue"), 1u);
  const auto issue =
      std::find_if(h.writer.written.begin(), h.writer.written.end(),
                   [](const json& r) { return r["resourceType"] == "DetectedIssue"; });
  EXPECT_EQ((*issue)["status"], "final");
  const std::string cited = (*issue)["evidence"][0]["detail"][0]["reference"];
  const bool is_cited_written = std::any_of(h.writer.written.begin(), issue, [&](const json& r) {
    return r["resourceType"] == "RiskAssessment" &&
           "RiskAssessment/" + r["id"].get<std::string>() == cited;
  });
  EXPECT_TRUE(is_cited_written);
  EXPECT_GT(h.writer.count("RiskAssessment"), steady);
}

TEST(TwinOutputStage, BasisListsTheEhrObservationsUsedSinceThePreviousAssessment) {
  Harness h(default_model_record());
  h.feed(0, 70, 85.0, 0.0, "fhir:Observation/map-{}");  // outputs at 0 and 60 s
  std::vector<json> assessments;
  for (const auto& r : h.writer.written) {
    if (r["resourceType"] == "RiskAssessment") assessments.push_back(r);
  }
  ASSERT_EQ(assessments.size(), 2u);
  EXPECT_EQ(assessments[0]["basis"], json::array({{{"reference", "Observation/map-0"}}}));
  // 10 .. 60 s: six Observations since the first assessment.
  ASSERT_EQ(assessments[1]["basis"].size(), 6u);
  EXPECT_EQ(assessments[1]["basis"][0]["reference"], "Observation/map-10");
  EXPECT_EQ(assessments[1]["basis"][5]["reference"], "Observation/map-60");
  h.feed(80, 130, 85.0, 0.0);  // samples that did not come from FHIR Observations
  const auto third =
      std::find_if(h.writer.written.rbegin(), h.writer.written.rend(),
                   [](const json& r) { return r["resourceType"] == "RiskAssessment"; });
  ASSERT_NE(third, h.writer.written.rend());
  EXPECT_EQ((*third)["occurrenceDateTime"], ptwin::time::format_iso8601(kStart + 120s));
  // Only the one Observation after the second assessment (70 s); the later samples had none.
  EXPECT_EQ((*third)["basis"], json::array({{{"reference", "Observation/map-70"}}}));
}

TEST(TwinOutputStage, UnverifiedModelEmitsNothingAndCountsWhatItWithheld) {
  gate::VerificationRecord unverified;
  unverified.model = gate::hypotension_risk_model_identity({});
  Harness h(unverified);
  EXPECT_EQ(h.model_gate.verdict(), gate::GateVerdict::Unverified);
  h.feed(0, 170, 85.0, 0.0);
  EXPECT_TRUE(h.writer.written.empty());
  // What a verified model would have written: Device + 3 x (RiskAssessment + 2 Observations).
  EXPECT_EQ(h.stage.counts().withheld, 1u + 3u * 3u);
  EXPECT_EQ(h.stage.counts().risk_assessments, 0u);
}

TEST(TwinOutputStage, SettingsChangedAfterVerificationAreADigestMismatchAndEmitNothing) {
  ptwin::twin::risk::HypotensionRiskSettings changed;
  changed.model.map_noise_pa *= 0.5;  // a different model than the one verified
  Harness h(default_model_record(), changed);
  EXPECT_EQ(h.model_gate.verdict(), gate::GateVerdict::DigestMismatch);
  EXPECT_EQ(h.model_gate.status(), gate::VerificationStatus::Unverified);
  h.feed(0, 60, 85.0, 0.0);
  EXPECT_TRUE(h.writer.written.empty());
  EXPECT_GT(h.stage.counts().withheld, 0u);
  EXPECT_NE(h.model_gate.reason().find(default_model_record().model.settings_digest.substr(0, 12)),
            std::string::npos);
}

TEST(TwinOutputStage, AFailedVerificationEmitsNothing) {
  auto failed = default_model_record();
  failed.cases.front().observed = failed.cases.front().upper * 10.0;
  failed.status = gate::status_of(failed.cases);
  Harness h(failed);
  EXPECT_EQ(h.model_gate.verdict(), gate::GateVerdict::FailedVerification);
  EXPECT_NE(h.model_gate.reason().find(failed.cases.front().id), std::string::npos);
  h.feed(0, 60, 85.0, 0.0);
  EXPECT_TRUE(h.writer.written.empty());
  EXPECT_GT(h.stage.counts().withheld, 0u);
}

}  // namespace
