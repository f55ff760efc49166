// SPDX-License-Identifier: Apache-2.0
// "Nothing accepted is lost across a crash": a child process writes batches of samples and
// acknowledges each batch through a pipe after append_samples() returns; the parent kills it
// with SIGKILL while it is writing, reopens the database and counts.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::RawDatabase;
using test_support::TempDir;

constexpr std::int64_t kBatchSize = 2000;  // large enough that the kill lands mid-batch
constexpr std::int64_t kKillAfterAcks = 10;

std::vector<Sample> make_batch(std::int64_t batch) {
  std::vector<Sample> samples;
  samples.reserve(static_cast<std::size_t>(kBatchSize));
  for (std::int64_t i = 0; i < kBatchSize; ++i) {
    samples.push_back(Sample{.patient_id = "pt-crash",
                             .code = "8867-4",
                             .value_si = static_cast<double>(i),
                             .unit_of_origin = "/min",
                             .time = time::from_epoch_ns(batch * kBatchSize + i),
                             .source_id = fmt::format("crash-test:batch-{}", batch),
                             .quality = SampleQuality::Good});
  }
  return samples;
}

// Runs in the child; never returns. Exit status 0 is never expected (it is killed).
[[noreturn]] void write_until_killed(const std::filesystem::path& path,
                                     SqliteSynchronous synchronous, int ack_fd) {
  try {
    SqliteStore store(path, {.synchronous = synchronous});
    std::vector<Sample> batch = make_batch(0);
    for (std::int64_t acknowledged = 1;; ++acknowledged) {
      store.append_samples(batch);
      batch = make_batch(acknowledged);  // built before the ack: after it comes the next write
      if (write(ack_fd, &acknowledged, sizeof acknowledged) !=
          static_cast<ssize_t>(sizeof acknowledged)) {
        _exit(3);
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "crash-test writer failed: %s\n", error.what());
    _exit(2);
  }
}

/// Reads one acknowledgement; false at end of stream (the child is gone).
bool read_ack(int fd, std::int64_t& acknowledged) {
  std::int64_t value = 0;
  ssize_t got = 0;
  do {
    got = read(fd, &value, sizeof value);
  } while (got < 0 && errno == EINTR);
  if (got == 0) return false;
  // Writes of <= PIPE_BUF bytes are atomic, so an ack is never split.
  EXPECT_EQ(got, static_cast<ssize_t>(sizeof value)) << "short read on the ack pipe";
  if (got != static_cast<ssize_t>(sizeof value)) return false;
  acknowledged = value;
  return true;
}

class SqliteStoreCrash : public ::testing::TestWithParam<SqliteSynchronous> {};

TEST_P(SqliteStoreCrash, NothingAcknowledgedIsLostWhenTheWriterIsKilledMidBatch) {
  const TempDir dir;
  const auto path = dir.file("crash.sqlite");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0) << "fork failed";
  if (child == 0) {
    close(pipe_fds[0]);
    write_until_killed(path, GetParam(), pipe_fds[1]);
  }
  close(pipe_fds[1]);

  std::int64_t acknowledged = 0;
  while (acknowledged < kKillAfterAcks && read_ack(pipe_fds[0], acknowledged)) {
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  // Acks written between our last read and the kill were acknowledged too: drain them.
  while (read_ack(pipe_fds[0], acknowledged)) {
  }
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the writer ended on its own before the kill (exit status "
      << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << "), after " << acknowledged
      << " acknowledged batches";
  ASSERT_GE(acknowledged, kKillAfterAcks);

  SqliteStore reopened(path);
  const std::int64_t count = reopened.count_samples();
  RecordProperty("acknowledged_batches", std::to_string(acknowledged));
  RecordProperty("stored_batches", std::to_string(count / kBatchSize));
  EXPECT_GE(count, acknowledged * kBatchSize) << "acknowledged samples were lost";
  EXPECT_EQ(count % kBatchSize, 0) << "a partial batch was stored";
  // At most the batch in flight may have committed without its ack reaching us.
  EXPECT_LE(count, (acknowledged + 1) * kBatchSize);

  RawDatabase raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.scalar(fmt::format("SELECT count(*) FROM (SELECT source_id FROM samples "
                                   "GROUP BY source_id HAVING count(*) != {})",
                                   kBatchSize)),
            "0")
      << "every stored batch must be complete";
}

std::string durability_name(const ::testing::TestParamInfo<SqliteSynchronous>& param_info) {
  return param_info.param == SqliteSynchronous::Full ? "Full" : "Normal";
}

INSTANTIATE_TEST_SUITE_P(Durability, SqliteStoreCrash,
                         ::testing::Values(SqliteSynchronous::Full, SqliteSynchronous::Normal),
                         durability_name);

}  // namespace
}  // namespace ptwin::store
