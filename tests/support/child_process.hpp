// SPDX-License-Identifier: Apache-2.0
#pragma once
// A child process for end-to-end tests: spawned with posix_spawn, its stdout
// and stderr written to a file the test can read (startup lines, the URLs it
// listens at), stopped with a signal.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ptwin::testing {

class ChildProcess {
 public:
  /// Spawns `arguments[0]` with `arguments`; stdout and stderr go to `output`
  /// (created or truncated). Throws std::runtime_error when it cannot be
  /// spawned.
  ChildProcess(const std::vector<std::string>& arguments, const std::filesystem::path& output);
  /// SIGKILL and wait, if the process was not stopped.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Sends `signal` and waits for the exit; returns the status as waitpid()
  /// gives it.
  int stop(int signal);
  /// Waits up to `timeout` for the process to exit by itself; returns the status as waitpid()
  /// gives it, or nullopt when it is still running (it is left running).
  [[nodiscard]] std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  /// Everything the process has written so far.
  [[nodiscard]] std::string output() const;
  /// The first output line starting with `prefix`, waiting up to `timeout` for
  /// it; nullopt if it never comes or the process exits first.
  [[nodiscard]] std::optional<std::string> wait_for_line(const std::string& prefix,
                                                         std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = 0;
  std::filesystem::path output_;
};

}  // namespace ptwin::testing
