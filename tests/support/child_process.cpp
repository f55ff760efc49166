// SPDX-License-Identifier: Apache-2.0
#include "support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace ptwin::testing {

ChildProcess::ChildProcess(const std::vector<std::string>& arguments,
                           const std::filesystem::path& output)
    : output_(output) {
  std::vector<std::string> args = arguments;
  std::vector<char*> argv;
  for (auto& argument : args) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int result = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (result != 0) {
    pid_ = 0;
    throw std::runtime_error("cannot spawn " + args.front());
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ != 0) (void)stop(SIGKILL);
}

int ChildProcess::stop(int signal) {
  int status = 0;
  if (pid_ == 0) return status;
  kill(pid_, signal);
  waitpid(pid_, &status, 0);
  pid_ = 0;
  return status;
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ != 0) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a child, not timing
  }
  return std::nullopt;
}

std::string ChildProcess::output() const {
  std::ifstream stream(output_);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::optional<std::string> ChildProcess::wait_for_line(const std::string& prefix,
                                                       std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(output());
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with(prefix)) return line;
    }
    int status = 0;
    if (pid_ != 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;  // exited before printing the line
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file, not timing
  }
  return std::nullopt;
}

}  // namespace ptwin::testing
