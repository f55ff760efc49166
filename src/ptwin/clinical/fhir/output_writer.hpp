// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where the twin's FHIR outputs go: `ptwin serve` writes them to its FHIR facade's store and
// queues them for the EHR (apps/ptwin/serve_fhir_outputs.cpp); tests keep them in memory.

#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::clinical::fhir {

class OutputWriter {
 public:
  OutputWriter() = default;
  OutputWriter(const OutputWriter&) = delete;
  OutputWriter& operator=(const OutputWriter&) = delete;
  virtual ~OutputWriter() = default;
  /// Writes every resource (each has its id: written with update-as-create, so that writing
  /// one again updates it). Must not throw for a failure of one destination: count it.
  virtual void write(const std::vector<nlohmann::json>& resources) = 0;
};

}  // namespace ptwin::clinical::fhir
