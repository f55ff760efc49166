// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin fhir-serve` as a separate process on 127.0.0.1 for end-to-end tests: started on a
// random port, ready once it answers /metadata, stopped with SIGINT. Its output goes to
// <database>.log.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace ptwin::testing {

class FhirServeProcess {
 public:
  /// Spawns `executable fhir-serve --db <database> --port <random> --threads 2 <extra...>` and
  /// waits up to 20 s for /metadata; throws std::runtime_error if it never answers.
  FhirServeProcess(const std::string& executable, const std::filesystem::path& database,
                   const std::vector<std::string>& extra_arguments = {});
  /// Stops the server with SIGINT if stop() was not called.
  ~FhirServeProcess();
  FhirServeProcess(const FhirServeProcess&) = delete;
  FhirServeProcess& operator=(const FhirServeProcess&) = delete;

  /// http://127.0.0.1:<port>/fhir
  [[nodiscard]] const std::string& base_url() const { return base_url_; }
  /// Sends SIGINT and waits; returns the exit status as waitpid() gives it.
  int stop();

 private:
  std::unique_ptr<ChildProcess> process_;
  std::string base_url_;
};

}  // namespace ptwin::testing
