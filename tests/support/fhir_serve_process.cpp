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
  // A random port below Linux's ephemeral range (32768 and up), where outgoing connections of
  // other tests could hold it; if it is taken all the same, the server exits at once and the
  // next attempt takes another.
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = 20000 + static_cast<int>(std::random_device{}() % 12000);
    std::vector<std::string> args{executable, "fhir-serve", "--db", database.string(),
                                  "--port", std::to_string(port), "--threads", "2"};
    args.insert(args.end(), extra_arguments.begin(), extra_arguments.end());
    process_ = std::make_unique<ChildProcess>(args, database.string() + ".log");
    base_url_ = "http://127.0.0.1:" + std::to_string(port) + "/fhir";
    ingest::fhir::FhirClientSettings settings;
    settings.base_url = base_url_;
    settings.timeout = std::chrono::milliseconds(5000);
    ingest::fhir::FhirClient client(settings);
    for (int poll = 0; poll < 200; ++poll) {
      try {
        (void)client.capabilities();
        return;
      } catch (const ingest::fhir::FhirClientError&) {
        if (process_->wait_for_exit(std::chrono::milliseconds(0))) break;  // e.g. the port was taken
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // still loading definitions
      }
    }
    const std::string output = process_->output();
    (void)stop();
    if (output.find("Address already in use") == std::string::npos) {
      throw std::runtime_error("ptwin fhir-serve did not answer " + base_url_ + "/metadata within 20 s: " + output);
    }
  }
  throw std::runtime_error("ptwin fhir-serve found no free port in 5 attempts");
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
