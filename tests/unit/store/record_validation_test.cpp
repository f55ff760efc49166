// SPDX-License-Identifier: Apache-2.0
// The validate() functions that every Store backend runs before writing.
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/patient_record.hpp"
#include "ptwin/store/quarantine_entry.hpp"
#include "ptwin/store/result_series.hpp"
#include "ptwin/store/run_record.hpp"
#include "ptwin/store/simulation_run.hpp"

namespace ptwin::store {
namespace {

/// Runs `call`, expects an InputError and returns it for checks on its context.
template <typename Call>
InputError expect_input_error(Call&& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected InputError";
  return InputError(ErrorCode::Internal, "", "", "");
}

ResultSeries valid_series() {
  return {.variable = "volume:left_ventricle",
          .unit = "m3",
          .times_s = {0.0, 0.5, 0.5, 1.0},
          .values = {1.2e-4, 0.5e-4, 0.5e-4, 1.2e-4}};
}

TEST(ResultSeriesValidation, AcceptsEqualLengthFiniteNonDecreasingSeries) {
  EXPECT_NO_THROW(validate(valid_series()));
}

TEST(ResultSeriesValidation, InfiniteTimeIsRejectedNamingVariableAndIndex) {
  ResultSeries series = valid_series();
  series.times_s[1] = std::numeric_limits<double>::infinity();
  const InputError error = expect_input_error([&] { validate(series); });
  EXPECT_EQ(error.where(), "result series 'volume:left_ventricle': times_s[1]");
  EXPECT_EQ(error.value(), "inf");
  EXPECT_EQ(error.rule(), "must be finite");
}

TEST(ResultSeriesValidation, DecreasingTimeIsRejectedNamingBothPoints) {
  ResultSeries series = valid_series();
  series.times_s[3] = 0.25;
  const InputError error = expect_input_error([&] { validate(series); });
  EXPECT_EQ(error.where(), "result series 'volume:left_ventricle': times_s[3]");
  EXPECT_EQ(error.rule(), "must not be earlier than times_s[2] = 0.5");
}

TEST(ResultSeriesValidation, SeriesWithoutPointsOrUnitIsRejected) {
  ResultSeries series = valid_series();
  series.times_s.clear();
  series.values.clear();
  EXPECT_EQ(expect_input_error([&] { validate(series); }).value(), "0 points");
  series = valid_series();
  series.unit.clear();
  EXPECT_EQ(expect_input_error([&] { validate(series); }).code(), ErrorCode::MissingField);
}

SimulationRun valid_run() {
  return {.patient_id = "pt-001",
          .twin_id = "twin-a",
          .model_name = "zerod.rcr",
          .model_digest = std::string(64, 'a'),
          .parameters_json = "{}",
          .started_at = {}};
}

TEST(SimulationRunValidation, AcceptsSha1ToSha512HexDigests) {
  for (const std::size_t digits : {40U, 64U, 128U}) {
    SimulationRun run = valid_run();
    run.model_digest = std::string(digits, '0');
    EXPECT_NO_THROW(validate(run)) << digits;
  }
}

TEST(SimulationRunValidation, DigestThatIsNotLowercaseHexIsRejectedWithItsValue) {
  for (const std::string& digest : {std::string(64, 'A'), std::string(63, 'a'),
                                    std::string(38, 'a'), "sha256:" + std::string(64, 'a')}) {
    SimulationRun run = valid_run();
    run.model_digest = digest;
    const InputError error = expect_input_error([&] { validate(run); });
    EXPECT_EQ(error.where(), "simulation run of model 'zerod.rcr': model_digest");
    EXPECT_EQ(error.value(), digest);
  }
}

TEST(SimulationRunValidation, MalformedParametersJsonIsRejectedWithItsSize) {
  SimulationRun run = valid_run();
  run.parameters_json = R"({"R": 1.2e8,})";
  const InputError error = expect_input_error([&] { validate(run); });
  EXPECT_EQ(error.where(), "simulation run of model 'zerod.rcr': parameters_json");
  EXPECT_EQ(error.value(), "<13 bytes>");
}

TEST(RunOutcomeValidation, RunningIsNotAnOutcome) {
  const RunOutcome outcome{.status = RunStatus::Running,
                           .summary_json = std::nullopt,
                           .message = std::nullopt,
                           .finished_at = {}};
  EXPECT_EQ(expect_input_error([&] { validate(outcome, 7); }).where(), "outcome of run 7: status");
}

TEST(RunOutcomeValidation, CompletedNeedsJsonSummaryAndFailedNeedsAMessage) {
  EXPECT_NO_THROW(validate(RunOutcome::completed("{\"ok\":true}", {}), 1));
  EXPECT_NO_THROW(validate(RunOutcome::failed("diverged", {}), 1));
  EXPECT_EQ(expect_input_error([] { validate(RunOutcome::completed("not json", {}), 1); }).where(),
            "outcome of run 1: summary_json");
  EXPECT_EQ(expect_input_error([] { validate(RunOutcome::failed("", {}), 1); }).where(),
            "outcome of run 1: message");
}

TEST(RunStatusText, RoundTripsAndRejectsUnknownWords) {
  for (const RunStatus status : {RunStatus::Running, RunStatus::Completed, RunStatus::Failed}) {
    EXPECT_EQ(parse_run_status(to_string(status)), status);
  }
  EXPECT_EQ(expect_input_error([] { static_cast<void>(parse_run_status("done")); }).value(),
            "done");
}

TEST(PatientRecordValidation, JsonArrayIsNotAPatient) {
  const PatientRecord patient{.id = "pt-001", .fhir_json = "[]", .updated_at = {}};
  const InputError error = expect_input_error([&] { validate(patient); });
  EXPECT_EQ(error.where(), "patient record 'pt-001': fhir_json");
  EXPECT_EQ(error.value(), "<JSON array>");
}

TEST(QuarantineEntryValidation, EmptyRawBytesAreAccepted) {
  EXPECT_NO_THROW(validate(QuarantineEntry{.source = "mqtt:icu/bed4/hr",
                                           .reason = "empty payload",
                                           .raw_bytes = "",
                                           .received_at = {}}));
}

}  // namespace
}  // namespace ptwin::store
