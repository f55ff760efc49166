// SPDX-License-Identifier: Apache-2.0
#include "support/fhir_serve_process.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"

namespace ptwin::testing {

FhirServeProcess::FhirServeProcess(const std::string& executable,
                                   const std::filesystem::path& database,
                                   const std::vector<std::string>& extra_arguments) {
  // A port unlikely to be taken; the server refuses to start (and the wait fails) if it is.
  const int port = 20000 + static_cast<int>(std::random_device{}() % 20000);
  std::vector<std::string> args{executable, "fhir-serve", "--db", database.string(),
                                "--port", std::to_string(port), "--threads", "2"};
  args.insert(args.end(), extra_arguments.begin(), extra_arguments.end());
  process_ = std::make_unique<ChildProcess>(args, database.string() + ".log");
  base_url_ = "http://127.0.0.1:" + std::to_string(port) + "/fhir";
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = base_url_;
  settings.timeout = std::chrono::milliseconds(5000);
  ingest::fhir::FhirClient client(settings);
  for (int attempt = 0; attempt < 200; ++attempt) {
    try {
      (void)client.capabilities();
      return;
    } catch (const ingest::fhir::FhirClientError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // still loading definitions
    }
  }
  (void)stop();
  throw std::runtime_error("ptwin fhir-serve did not answer " + base_url_ + "/metadata within 20 s");
}

FhirServeProcess::~FhirServeProcess() {
  if (process_) (void)stop();
}

int FhirServeProcess::stop() {
  if (!process_) return 0;
  const int status = process_->stop(SIGINT);
  process_.reset();
  return status;
}

}  // namespace ptwin::testing
