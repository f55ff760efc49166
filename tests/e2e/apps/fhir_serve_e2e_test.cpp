// SPDX-License-Identifier: Apache-2.0
// `ptwin fhir-serve` as a user runs it: a separate process on 127.0.0.1, read with the FHIR
// client, stopped with SIGINT.

#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"

extern char** environ;

namespace ptwin::ingest::fhir {
namespace {

TEST(FhirServeEndToEnd, ServesMetadataAndSearchAndStopsOnSigint) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("ptwin_fhir_serve_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  // A port unlikely to be taken; the server refuses to start (and the test fails) if it is.
  const int port = 20000 + static_cast<int>(std::random_device{}() % 20000);
  std::vector<std::string> args{PTWIN_EXECUTABLE, "fhir-serve", "--db",
                                (directory / "fhir.db").string(), "--quarantine-db",
                                (directory / "quarantine.db").string(), "--port",
                                std::to_string(port), "--threads", "2"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, PTWIN_EXECUTABLE, nullptr, nullptr, argv.data(), environ), 0);

  FhirClientSettings settings;
  settings.base_url = "http://127.0.0.1:" + std::to_string(port) + "/fhir";
  settings.timeout = std::chrono::milliseconds(5000);
  FhirClient client(settings);
  nlohmann::json capabilities;
  for (int attempt = 0; attempt < 100 && capabilities.is_null(); ++attempt) {
    try {
      capabilities = client.capabilities();
    } catch (const FhirClientError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // still loading definitions
    }
  }
  ASSERT_FALSE(capabilities.is_null()) << "fhir-serve did not answer within 10 s";
  EXPECT_EQ(capabilities.at("fhirVersion"), "5.0.0");
  const auto page = client.search("Patient", {{"family", "nobody"}});
  EXPECT_TRUE(page.matches.empty());
  EXPECT_THROW((void)client.read("Patient", "missing"), FhirClientError);

  ASSERT_EQ(kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace ptwin::ingest::fhir
