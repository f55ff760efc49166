// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::RawDatabase;
using test_support::TempDir;

const std::string kDigest = "3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed";

SimulationRun make_run(std::string patient_id, std::int64_t started_at_ns) {
  return SimulationRun{.patient_id = std::move(patient_id),
                       .twin_id = "twin-a",
                       .model_name = "zerod.closed_loop",
                       .model_digest = kDigest,
                       .parameters_json = R"({"R_p_pa_s_per_m3":1.2e8})",
                       .started_at = time::from_epoch_ns(started_at_ns)};
}

ResultSeries aortic_pressure() {
  return ResultSeries{.variable = "pressure:aorta",
                      .unit = "Pa",
                      .times_s = {0.0, 0.001, 0.002, 0.002},
                      .values = {10665.8, -0.0, std::numeric_limits<double>::denorm_min(),
                                 std::numeric_limits<double>::max()}};
}

TEST(SqliteStoreRuns, BegunRunIsFoundRunningWithItsInputs) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const SimulationRun run = make_run("pt-001", 123);
  const RunId id = store.begin_run(run);
  EXPECT_GT(id, 0);
  const auto found = store.find_run(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, (RunRecord{.id = id,
                               .run = run,
                               .status = RunStatus::Running,
                               .summary_json = std::nullopt,
                               .message = std::nullopt,
                               .finished_at = std::nullopt}));
}

TEST(SqliteStoreRuns, CompletedRunKeepsSummaryAndFinishTime) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  store.finish_run(
      id, RunOutcome::completed(R"({"cardiac_output_m3_per_s":8.3e-5})", time::from_epoch_ns(2)));
  const auto found = store.find_run(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, RunStatus::Completed);
  EXPECT_EQ(found->summary_json, R"({"cardiac_output_m3_per_s":8.3e-5})");
  EXPECT_EQ(found->message, std::nullopt);
  EXPECT_EQ(found->finished_at, time::from_epoch_ns(2));
}

TEST(SqliteStoreRuns, FailedRunKeepsItsMessage) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  store.finish_run(
      id, RunOutcome::failed("Newton did not converge at t = 0.31 s", time::from_epoch_ns(5)));
  const auto found = store.find_run(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, RunStatus::Failed);
  EXPECT_EQ(found->message, "Newton did not converge at t = 0.31 s");
  EXPECT_EQ(found->summary_json, std::nullopt);
}

TEST(SqliteStoreRuns, ListRunsReturnsOnePatientsRunsOldestFirst) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId later = store.begin_run(make_run("pt-001", 200));
  const RunId other_patient = store.begin_run(make_run("pt-002", 150));
  const RunId earlier = store.begin_run(make_run("pt-001", 100));
  const auto runs = store.list_runs("pt-001");
  ASSERT_EQ(runs.size(), 2U);
  EXPECT_EQ(runs[0].id, earlier);
  EXPECT_EQ(runs[1].id, later);
  EXPECT_NE(other_patient, later);
  EXPECT_TRUE(store.list_runs("pt-003").empty());
}

TEST(SqliteStoreRuns, ResultSeriesRoundTripBitForBit) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  const ResultSeries pressure = aortic_pressure();
  const ResultSeries flow{
      .variable = "flow:aortic_valve", .unit = "m3/s", .times_s = {0.0}, .values = {4.2e-4}};
  store.append_result_series(id, pressure);
  store.append_result_series(id, flow);
  const auto all = store.result_series(id);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0], pressure);  // in the order appended
  EXPECT_EQ(all[1], flow);
  EXPECT_TRUE(std::signbit(all[0].values[1])) << "-0.0 must keep its sign";
  EXPECT_EQ(store.find_result_series(id, "flow:aortic_valve"), flow);
  EXPECT_EQ(store.find_result_series(id, "volume:left_ventricle"), std::nullopt);
}

TEST(SqliteStoreRuns, ResultSeriesAreStoredAsLittleEndianDoubles) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  {
    SqliteStore store(path);
    const RunId id = store.begin_run(make_run("pt-001", 1));
    store.append_result_series(
        id,
        {.variable = "pressure:aorta", .unit = "Pa", .times_s = {1.0, 2.0}, .values = {-2.0, 0.5}});
  }
  RawDatabase raw(path);
  // IEEE 754 binary64, least significant byte first: 1.0 = 0x3FF0000000000000.
  EXPECT_EQ(raw.scalar("SELECT hex(times_s_f64le) FROM result_series"),
            "000000000000F03F0000000000000040");
  EXPECT_EQ(raw.scalar("SELECT hex(values_f64le) FROM result_series"),
            "00000000000000C0000000000000E03F");
  EXPECT_EQ(raw.scalar("SELECT point_count FROM result_series"), "2");
}

TEST(SqliteStoreRuns, SeriesOfUnequalLengthsIsRejectedNamingTheVariable) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  ResultSeries series = aortic_pressure();
  series.values.pop_back();
  try {
    store.append_result_series(id, series);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "result series 'pressure:aorta': values");
    EXPECT_EQ(error.value(), "3 values");
  }
  EXPECT_TRUE(store.result_series(id).empty());
}

TEST(SqliteStoreRuns, SeriesWithANonFiniteValueIsRejectedNamingVariableAndIndex) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  ResultSeries series = aortic_pressure();
  series.values[2] = std::numeric_limits<double>::quiet_NaN();
  try {
    store.append_result_series(id, series);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "result series 'pressure:aorta': values[2]");
    EXPECT_EQ(error.value(), "nan");
  }
}

TEST(SqliteStoreRuns, AVariableCanBeAppendedOnlyOncePerRun) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  store.append_result_series(id, aortic_pressure());
  EXPECT_THROW(store.append_result_series(id, aortic_pressure()), InputError);
  EXPECT_EQ(store.result_series(id).size(), 1U);
}

TEST(SqliteStoreRuns, FinishedRunAcceptsNoMoreResultsAndCannotFinishAgain) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId id = store.begin_run(make_run("pt-001", 1));
  store.finish_run(id, RunOutcome::completed("{}", time::from_epoch_ns(2)));
  try {
    store.append_result_series(id, aortic_pressure());
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.value(), "completed");
    EXPECT_NE(error.where().find(std::to_string(id)), std::string::npos) << error.where();
  }
  EXPECT_THROW(store.finish_run(id, RunOutcome::failed("late", time::from_epoch_ns(3))),
               InputError);
  EXPECT_EQ(store.find_run(id)->status, RunStatus::Completed);
}

TEST(SqliteStoreRuns, UnknownRunIdThrowsNotFound) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const RunId unknown = 999;
  const auto expect_not_found = [&](auto&& call) {
    try {
      call();
      FAIL() << "expected Error(NotFound)";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::NotFound) << error.what();
      EXPECT_NE(std::string(error.what()).find("999"), std::string::npos) << error.what();
    }
  };
  expect_not_found([&] { store.append_result_series(unknown, aortic_pressure()); });
  expect_not_found([&] { store.finish_run(unknown, RunOutcome::completed("{}", {})); });
  expect_not_found([&] { static_cast<void>(store.result_series(unknown)); });
  expect_not_found([&] { static_cast<void>(store.find_result_series(unknown, "x")); });
  EXPECT_EQ(store.find_run(unknown), std::nullopt);
}

TEST(SqliteStoreRuns, InvalidRunInputsAreRejectedBeforeStoring) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  SimulationRun run = make_run("pt-001", 1);
  run.model_digest = "ABC";
  EXPECT_THROW(static_cast<void>(store.begin_run(run)), InputError);
  run = make_run("pt-001", 1);
  run.parameters_json = "{not json";
  EXPECT_THROW(static_cast<void>(store.begin_run(run)), InputError);
  EXPECT_TRUE(store.list_runs("pt-001").empty());
}

}  // namespace
}  // namespace ptwin::store
