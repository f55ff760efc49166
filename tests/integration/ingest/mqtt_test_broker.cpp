// SPDX-License-Identifier: Apache-2.0
#include "integration/ingest/mqtt_test_broker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace ptwin::ingest::mqtt::testing {
namespace {

// A socket on 127.0.0.1; closes itself.
struct LoopbackSocket {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ~LoopbackSocket() { ::close(fd); }
  LoopbackSocket() = default;
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
  LoopbackSocket(LoopbackSocket&&) = delete;
  LoopbackSocket& operator=(LoopbackSocket&&) = delete;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port the kernel hands out as free now; the broker binds it a moment later.
int free_port() {
  const LoopbackSocket probe;
  auto address = loopback(0);
  socklen_t length = sizeof(address);
  if (::bind(probe.fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(probe.fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("test broker: no free port on 127.0.0.1");
  }
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  const LoopbackSocket probe;
  const auto address = loopback(port);
  return ::connect(probe.fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream stream(file);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

}  // namespace

TestBroker::TestBroker(std::filesystem::path binary) : binary_(std::move(binary)) {
  std::random_device random;
  directory_ = std::filesystem::temp_directory_path() /
               ("ptwin-test-broker-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(directory_);
  port_ = free_port();
  write_config(false);
}

void TestBroker::write_config(bool has_passwords) {
  const passwd* user = ::getpwuid(::getuid());
  std::ofstream config(directory_ / "mosquitto.conf");
  config << "listener " << port_ << " 127.0.0.1\n"
         << "persistence false\n"
         // As root, mosquitto would switch to the 'mosquitto' user, who cannot write here.
         << "user " << (user != nullptr ? user->pw_name : "root") << "\n"
         << "log_dest file " << (directory_ / "mosquitto.log").string() << "\n";
  if (has_passwords) {
    config << "allow_anonymous false\n"
           << "password_file " << (directory_ / "passwords").string() << "\n";
  } else {
    config << "allow_anonymous true\n";
  }
}

void TestBroker::require_password(const std::string& username, const std::string& password) {
  const auto file = (directory_ / "passwords").string();
  const char* argv[] = {"mosquitto_passwd", "-b",   "-c", file.c_str(), username.c_str(),
                        password.c_str(),   nullptr};
  pid_t tool = -1;
  int status = 0;
  if (::posix_spawnp(&tool, "mosquitto_passwd", nullptr, nullptr, const_cast<char**>(argv),
                     environ) != 0 ||
      ::waitpid(tool, &status, 0) != tool || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("test broker: mosquitto_passwd could not write " + file);
  }
  write_config(true);
}

TestBroker::~TestBroker() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void TestBroker::start() {
  if (pid_ > 0) return;
  const auto config = (directory_ / "mosquitto.conf").string();
  const auto binary = binary_.string();
  char* argv[] = {const_cast<char*>(binary.c_str()), const_cast<char*>("-c"),
                  const_cast<char*>(config.c_str()), nullptr};
  // The broker's own console output (a warning when run as root) goes to a file, not the test's.
  const auto console = (directory_ / "console.log").string();
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, console.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0600);
  ::posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    throw std::runtime_error("test broker: cannot start " + binary);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  while (!accepts_connections(port_)) {
    int status = 0;
    const bool has_exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
    if (has_exited) pid_ = -1;  // reaped: its PID may already belong to another process
    if (has_exited || std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error("test broker did not start on port " + std::to_string(port_) + ": " +
                               read_file(directory_ / "mosquitto.log") +
                               read_file(directory_ / "console.log"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

void TestBroker::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  pid_ = -1;
}

}  // namespace ptwin::ingest::mqtt::testing
