// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the parameters of a Bulk Data $export kick-off (docs/bulk_data.md): the
// input is a POST body, read by parameters_body and then checked by parse_export_request at
// the level the first byte picks. A refusal must be a FhirError with status 400 (any other
// exception, a crash or a sanitizer report is a finding); an accepted request must name at
// least one served type, and survive its job-row JSON unchanged. Seeds:
// tests/data/bad_inputs/bulk_kickoff (the .json files).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "ptwin/server/fhir/bulk/export_request.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace bulk = ptwin::server::fhir::bulk;
  if (size == 0) return 0;
  const auto level = static_cast<bulk::ExportLevel>(data[0] % 3);
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  static const std::vector<std::string> kServed{"Encounter", "Observation", "Patient"};
  try {
    const auto pairs = bulk::parameters_body(body);
    const bulk::ExportRequest request =
        bulk::parse_export_request(level, pairs, kServed, "http://h/fhir/$export");
    if (request.types.empty()) std::abort();
    if (!(bulk::export_request_from_json(bulk::to_json(request)) == request)) std::abort();
  } catch (const ptwin::server::fhir::FhirError& error) {
    if (error.status() != 400) std::abort();
  }
  return 0;
}
