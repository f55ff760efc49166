// SPDX-License-Identifier: Apache-2.0
// The output stage (clinical/fhir/twin_output_stage.hpp) behind the model gate: a verified model
// emits valid R5 resources, throttled per patient and at once on an alert; an unverified model,
// a failed one, or one whose settings changed after verification emits nothing, and every
// resource it would have written is counted as withheld.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <filesystem>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/clinical/fhir/output_schedule.hpp"
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
        alerts(risk,
               ptwin::clinical::alerts::RiskAlertEpisodes::rules_from(
                   {.raise = 0.5, .clear = 0.3, .minimum_duration = 30s}),
               clock),
        stage(risk, model_gate, writer, alerts, {.risk_interval = 60s, .model = running}) {}

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
      risk.on_stored(stored);  // the update stage first, then the alerts, as in ptwin serve
      alerts.on_stored(stored);
      stage.on_stored(stored);
    }
    stage.flush();  // the writer thread has written everything queued
  }

  ptwin::twin::live::HypotensionRiskStage risk;
  gate::ModelGate model_gate;
  ptwin::time::ManualClock clock{kStart};
  ptwin::clinical::alerts::RiskAlertEpisodes alerts;
  CollectingWriter writer;
  cf::TwinOutputStage stage;
};

// When p1's periodic outputs fall for samples every 10 s from 0 to `last_s` (seconds after
// kStart): the first update, then the first update in each later 60 s slot of p1's grid
// (output_schedule.hpp).
std::vector<int> periodic_output_seconds(int last_s) {
  std::vector<int> out{0};
  auto due = cf::next_output_due("p1", kStart, 60s);
  for (int s = 10; s <= last_s; s += 10) {
    if (kStart + std::chrono::seconds(s) < due) continue;
    out.push_back(s);
    due = cf::next_output_due("p1", kStart + std::chrono::seconds(s), 60s);
  }
  return out;
}

TEST(TwinOutputStage, VerifiedModelEmitsDeviceThenThrottledValidResources) {
  ASSERT_EQ(default_model_record().status, gate::VerificationStatus::Passed);
  Harness h(default_model_record());
  ASSERT_TRUE(h.model_gate.may_emit());
  h.feed(0, 290, 85.0, 0.0);  // 30 updates at 10 s, steady: no alert
  std::vector<std::string> expected;
  for (const int s : periodic_output_seconds(290)) {
    expected.push_back(ptwin::time::format_iso8601(kStart + std::chrono::seconds(s)));
  }
  ASSERT_GE(expected.size(), 3U);
  std::vector<std::string> written;
  for (const auto& r : h.writer.written) {
    if (r["resourceType"] == "RiskAssessment") written.push_back(r["occurrenceDateTime"]);
  }
  EXPECT_EQ(written, expected);
  EXPECT_EQ(h.writer.count("Observation"), 2 * expected.size());
  EXPECT_EQ(h.writer.count("Device"), 1u);
  EXPECT_EQ(h.writer.count("DetectedIssue"), 0u);
  ASSERT_FALSE(h.writer.written.empty());
  EXPECT_EQ(h.writer.written.front()["resourceType"], "Device");
  const auto counts = h.stage.counts();
  EXPECT_EQ(counts.throttled, 30u - expected.size());
  EXPECT_EQ(counts.withheld, 0u);
  EXPECT_EQ(h.stage.output_latency().count, expected.size());
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

TEST(TwinOutputStage, ExampleOutputsForTheWarmUpAreValidR5OfEveryKindAndAreNotCounted) {
  Harness h(default_model_record());
  const auto examples = h.stage.example_outputs();
  const auto definitions = ptwin::ingest::fhir::definitions::Definitions::open(
      std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const ptwin::ingest::fhir::validation::Validator validator(*definitions);
  std::set<std::string> types;
  for (const auto& r : examples) {
    EXPECT_TRUE(validator.validate(r).is_valid()) << r.dump(2);
    types.insert(r["resourceType"].get<std::string>());
  }
  EXPECT_EQ(types, (std::set<std::string>{"Device", "RiskAssessment", "Observation",
                                          "DetectedIssue"}));
  EXPECT_EQ(h.stage.counts().risk_assessments, 0U);
  EXPECT_TRUE(h.writer.written.empty());
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

// Seconds after kStart of the first sample at or after `due` when samples come every 10 s.
int first_sample_s_at_or_after(ptwin::time::Instant due) {
  const auto after = std::chrono::ceil<std::chrono::seconds>(due - kStart).count();
  return static_cast<int>((after + 9) / 10 * 10);
}

TEST(TwinOutputStage, BasisListsTheEhrObservationsUsedSinceThePreviousAssessment) {
  Harness h(default_model_record());
  // Outputs at 0 and at the first sample of p1's next slot (10 .. 60 s).
  const int second_s = first_sample_s_at_or_after(cf::next_output_due("p1", kStart, 60s));
  ASSERT_GE(second_s, 10);
  ASSERT_LE(second_s, 60);
  h.feed(0, second_s + 10, 85.0, 0.0, "fhir:Observation/map-{}");
  std::vector<json> assessments;
  for (const auto& r : h.writer.written) {
    if (r["resourceType"] == "RiskAssessment") assessments.push_back(r);
  }
  ASSERT_EQ(assessments.size(), 2u);
  EXPECT_EQ(assessments[0]["basis"], json::array({{{"reference", "Observation/map-0"}}}));
  // 10 s .. second_s: every Observation since the first assessment.
  ASSERT_EQ(assessments[1]["basis"].size(), static_cast<std::size_t>(second_s / 10));
  EXPECT_EQ(assessments[1]["basis"][0]["reference"], "Observation/map-10");
  EXPECT_EQ(assessments[1]["basis"].back()["reference"], fmt::format("Observation/map-{}", second_s));
  const int third_s = first_sample_s_at_or_after(
      cf::next_output_due("p1", kStart + std::chrono::seconds(second_s), 60s));
  h.feed(second_s + 20, third_s, 85.0, 0.0);  // samples that did not come from FHIR Observations
  const auto third =
      std::find_if(h.writer.written.rbegin(), h.writer.written.rend(),
                   [](const json& r) { return r["resourceType"] == "RiskAssessment"; });
  ASSERT_NE(third, h.writer.written.rend());
  EXPECT_EQ((*third)["occurrenceDateTime"],
            ptwin::time::format_iso8601(kStart + std::chrono::seconds(third_s)));
  // Only the one Observation after the second assessment; the later samples had none.
  EXPECT_EQ((*third)["basis"],
            json::array({{{"reference", fmt::format("Observation/map-{}", second_s + 10)}}}));
}

TEST(TwinOutputStage, UnverifiedModelEmitsNothingAndCountsWhatItWithheld) {
  gate::VerificationRecord unverified;
  unverified.model = gate::hypotension_risk_model_identity({});
  Harness h(unverified);
  EXPECT_EQ(h.model_gate.verdict(), gate::GateVerdict::Unverified);
  h.feed(0, 170, 85.0, 0.0);
  EXPECT_TRUE(h.writer.written.empty());
  // What a verified model would have written: Device + (RiskAssessment + 2 Observations) for
  // each periodic output.
  const auto outputs = periodic_output_seconds(170).size();
  ASSERT_GE(outputs, 2U);
  EXPECT_EQ(h.stage.counts().withheld, 1u + outputs * 3u);
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

// A writer that holds every call until released, and says when a call is waiting.
class HeldWriter final : public cf::OutputWriter {
 public:
  void write(const std::vector<json>& resources) override {
    std::unique_lock lock(mutex_);
    ++calls_entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !is_held_; });
    written.insert(written.end(), resources.begin(), resources.end());
  }
  void wait_for_calls(int calls) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return calls_entered_ >= calls; });
  }
  void release() {
    const std::lock_guard lock(mutex_);
    is_held_ = false;
    changed_.notify_all();
  }
  [[nodiscard]] std::vector<json> of_type(const std::string& type) const {
    std::vector<json> out;
    std::copy_if(written.begin(), written.end(), std::back_inserter(out),
                 [&](const json& r) { return r["resourceType"] == type; });
    return out;
  }
  std::vector<json> written;  // read after release() and flush()

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int calls_entered_ = 0;
  bool is_held_ = true;
};

// Counts the end of every batch's path (what serve's end_to_end latency records).
class CountingCompletion final : public cf::OutputCompletion {
 public:
  void on_output_done(std::string_view, ptwin::time::Instant, bool has_output) override {
    (has_output ? with_output : without_output)++;
  }
  std::atomic<int> with_output{0};
  std::atomic<int> without_output{0};
};

struct QueueHarness {
  explicit QueueHarness(std::size_t capacity)
      : model_gate(gate::hypotension_risk_model_identity({}), default_model_record()),
        alerts(risk, ptwin::clinical::alerts::RiskAlertEpisodes::default_rules(), clock),
        stage(risk, model_gate, writer, alerts,
              {.risk_interval = 10s, .model = {}, .queue_capacity = capacity}, &completion) {}
  // One MAP sample of `patient` at `s` seconds, through the stages in serve's order.
  void sample(const std::string& patient, int s, double mmhg = 85.0) {
    const std::vector<Sample> batch{Sample{patient, "8478-0", mmhg * ptwin::units::kPaPerMmHg,
                                           "mm[Hg]", kStart + std::chrono::seconds(s), "test",
                                           ptwin::SampleQuality::Good}};
    const ptwin::ingest::stream::StoredSamples stored{
        .feed = "mqtt", .samples = batch, .received_at = kStart, .stored_at = kStart};
    risk.on_stored(stored);
    alerts.on_stored(stored);
    stage.on_stored(stored);
  }

  ptwin::twin::live::HypotensionRiskStage risk;
  gate::ModelGate model_gate;
  ptwin::time::ManualClock clock{kStart};
  ptwin::clinical::alerts::RiskAlertEpisodes alerts;
  HeldWriter writer;
  CountingCompletion completion;
  cf::TwinOutputStage stage;
};

TEST(TwinOutputStageQueue, AFullQueueMergesAPatientsUpdatesIntoItsWaitingOutputAndWritesTheLatest) {
  QueueHarness h(1);
  h.sample("p1", 0);
  h.writer.wait_for_calls(1);  // the first output is in the writer's hands, held there
  // Each due: 20 s apart, so each in a later 10 s slot of p1's grid.
  for (int s = 20; s <= 100; s += 20) h.sample("p1", s);
  auto counts = h.stage.counts();
  EXPECT_EQ(counts.queued, 2U);     // the first, and the one waiting
  EXPECT_EQ(counts.coalesced, 4U);  // 40..100 s merged into the one waiting
  EXPECT_EQ(counts.queue_depth, 1U);
  h.writer.release();
  h.stage.flush();
  const auto assessments = h.writer.of_type("RiskAssessment");
  ASSERT_EQ(assessments.size(), 2U);
  EXPECT_EQ(assessments[1]["occurrenceDateTime"], ptwin::time::format_iso8601(kStart + 100s));
  counts = h.stage.counts();
  EXPECT_EQ(counts.risk_assessments, 2U);
  EXPECT_EQ(counts.write_batches, 2U);
  EXPECT_EQ(counts.queue_depth, 0U);
  // Every input's path ended once: the six were all written (merged ones with the latest).
  EXPECT_EQ(h.completion.with_output.load(), 6);
  EXPECT_EQ(h.completion.without_output.load(), 0);
}

TEST(TwinOutputStageQueue, AFullQueueMakesTheFeedWaitForAnotherPatientAndCountsIt) {
  QueueHarness h(1);
  h.sample("p1", 0);
  h.writer.wait_for_calls(1);
  h.sample("p2", 0);  // queued: the queue is full now
  std::thread feed([&] { h.sample("p3", 0); });  // nothing of p3's waits: the feed must wait
  while (h.stage.counts().queue_full_waits == 0) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(h.stage.counts().queued, 2U);
  h.writer.release();
  feed.join();
  h.stage.flush();
  const auto counts = h.stage.counts();
  EXPECT_EQ(counts.queued, 3U);
  EXPECT_EQ(counts.queue_full_waits, 1U);
  EXPECT_EQ(counts.coalesced, 0U);
  EXPECT_EQ(counts.risk_assessments, 3U);
  EXPECT_EQ(h.stage.queue_wait().count, 1U);
  EXPECT_EQ(h.completion.with_output.load(), 3);
}

TEST(TwinOutputStageQueue, StopWritesEverythingQueuedAndThrottledInputsEndAtOnce) {
  QueueHarness h(16);
  h.sample("p1", 0);
  h.writer.wait_for_calls(1);
  // Inside p1's first slot (until its next grid point): no output.
  const auto next_slot = cf::next_output_due("p1", kStart, 10s);
  int throttled = 0;
  for (int s = 1; kStart + std::chrono::seconds(s) < next_slot; ++s, ++throttled) h.sample("p1", s);
  ASSERT_GE(throttled, 1);
  EXPECT_EQ(h.completion.without_output.load(), throttled);
  h.sample("p2", 5);
  h.sample("p3", 5);
  h.writer.release();
  h.stage.stop();  // no flush: stop itself writes what is queued
  EXPECT_EQ(h.writer.of_type("RiskAssessment").size(), 3U);
  EXPECT_EQ(h.completion.with_output.load(), 3);
  EXPECT_EQ(h.stage.counts().throttled, static_cast<std::uint64_t>(throttled));
  h.sample("p1", 20);  // after stop: written on the caller's thread
  EXPECT_EQ(h.writer.of_type("RiskAssessment").size(), 4U);
}

// An acknowledgement given while the episode's DetectedIssue still waits in the queue: the
// DetectedIssue goes out with the mitigation; no version of it is written without one.
TEST(TwinOutputStageQueue, AnAcknowledgementBeforeItsDetectedIssueIsWrittenGoesOutWithIt) {
  QueueHarness h(4096);
  h.sample("p1", 0, 82.0);
  h.writer.wait_for_calls(1);  // held: everything after waits in the queue
  int s = 10;
  for (; s <= 40 * 60 && h.alerts.alerts().empty(); s += 10) {
    h.sample("p1", s, s < 240 ? 82.0 : 82.0 - 0.4 * (s - 240) / 10.0);
  }
  const auto alerts = h.alerts.alerts();
  ASSERT_EQ(alerts.size(), 1U) << "no alert after " << s << " s";
  ASSERT_EQ(h.alerts.acknowledge(alerts[0].id, "dr.a"),
            ptwin::clinical::alerts::AlertActionOutcome::Done);
  h.writer.release();
  h.stage.flush();
  // Written once, with the mitigation: not again for an acknowledgement it already carries.
  const auto issues = h.writer.of_type("DetectedIssue");
  ASSERT_EQ(issues.size(), 1U);
  for (const auto& issue : issues) {
    ASSERT_TRUE(issue.contains("mitigation")) << issue.dump(2);
    EXPECT_EQ(issue["mitigation"].size(), 1U);
    EXPECT_EQ(issue["mitigation"][0]["author"]["display"], "dr.a");
  }
  EXPECT_EQ(h.stage.counts().writer_failures, 0U);
}

}  // namespace
