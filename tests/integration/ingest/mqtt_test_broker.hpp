// SPDX-License-Identifier: Apache-2.0
#pragma once
// A mosquitto broker owned by one test, for tests that stop and restart it (the shared broker of
// scripts/with_mosquitto.sh must outlive every test). It listens on 127.0.0.1 on a port picked
// once, keeps no state across restarts (persistence off), and is stopped by its PID.

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace ptwin::ingest::mqtt::testing {

class TestBroker {
 public:
  /// Picks a free port and writes the config into a fresh temp dir; starts nothing.
  explicit TestBroker(std::filesystem::path binary);
  /// Stops the broker if it runs and removes the temp dir.
  ~TestBroker();
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;
  TestBroker(TestBroker&&) = delete;
  TestBroker& operator=(TestBroker&&) = delete;

  /// From the next start() on, refuses anonymous clients and accepts this one user (the password
  /// file is written with mosquitto_passwd, found on PATH). Throws std::runtime_error.
  void require_password(const std::string& username, const std::string& password);

  /// Starts the broker and returns once it accepts connections. Throws std::runtime_error with
  /// the broker's log when it does not within 5 s.
  void start();
  /// SIGTERM, then SIGKILL after 5 s; waits for the process.
  void stop();

  [[nodiscard]] int port() const { return port_; }

 private:
  std::filesystem::path binary_;
  std::filesystem::path directory_;
  void write_config(bool has_passwords);

  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ptwin::ingest::mqtt::testing
