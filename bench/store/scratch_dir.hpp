// SPDX-License-Identifier: Apache-2.0
#pragma once
// Scratch databases of the store benchmarks. They live under $PTWIN_BENCH_DIR (default: the
// system temp dir): put it on the disk you deploy on, since with synchronous=FULL a commit
// measures that disk's fsync latency.

#include <filesystem>
#include <string_view>

namespace ptwin::bench {

/// $PTWIN_BENCH_DIR, else the system temp dir.
[[nodiscard]] std::filesystem::path bench_root();

/// A directory of its own under bench_root() for one benchmark run, removed with everything in
/// it when destroyed (a leftover is not an error: the run's figures are already taken).
class ScratchDir {
 public:
  /// Throws std::system_error naming the path when the directory cannot be created.
  explicit ScratchDir(std::string_view prefix = "ptwin-store-bench");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir(ScratchDir&&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// A file name inside the directory.
  [[nodiscard]] std::filesystem::path file(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace ptwin::bench
