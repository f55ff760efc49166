// SPDX-License-Identifier: Apache-2.0
#pragma once
// The EHR poster's queue on disk (docs/serve.md#fhir-outputs), so that outputs not yet accepted
// by the EHR survive a stop or a crash. An append-only file of JSON lines:
//   {"queued": <n>, "resource": {...}}   a resource entered the queue as number n
//   {"done": <n>}                        it left the queue (posted, or refused by the EHR)
// Opening replays the file: the resources queued and not done are pending, in their order; the
// file is then rewritten to hold only them (compaction). A last line cut short by a crash is
// skipped and counted. Each line is flushed before append() / mark_done() returns.
//
// Not thread-safe: the poster calls it under its own lock.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::clinical::fhir {

class OutputSpool {
 public:
  struct Entry {
    std::uint64_t number = 0;
    nlohmann::json resource;
  };

  /// Opens or creates `file`. Throws Error(Io) naming the file when it cannot be read or
  /// written, InputError naming the file and line for a line that is not a spool record
  /// (other than a cut last line).
  explicit OutputSpool(std::filesystem::path file);

  /// The entries pending from earlier runs (once; empty afterwards).
  [[nodiscard]] std::vector<Entry> take_pending();
  /// Appends a resource; returns its number.
  std::uint64_t append(const nlohmann::json& resource);
  void mark_done(std::uint64_t number);
  /// Lines skipped at opening because the last one was cut short.
  [[nodiscard]] std::uint64_t torn_lines() const noexcept { return torn_lines_; }
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

 private:
  void write_line(const nlohmann::json& line);

  std::filesystem::path file_;
  std::vector<Entry> pending_;
  std::uint64_t next_number_ = 1;
  std::uint64_t torn_lines_ = 0;
  std::ofstream out_;
};

}  // namespace ptwin::clinical::fhir
