// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the FHIR vital-signs Bundle reader. ptwin::Error is the expected way to
// reject a whole document; a bad entry must come back as a rejected entry instead. Anything
// else (an nlohmann::json exception, a crash, a sanitizer report) or an accepted bundle that
// breaks a documented rule (no patient id, a non-finite sample, a rejection without a reason)
// is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace {

void check_bundle(const ptwin::ingest::fhir::PatientBundle& bundle) {
  if (bundle.patient_id.empty()) std::abort();
  for (const auto& sample : bundle.samples) {
    if (!std::isfinite(sample.value_si) || sample.patient_id != bundle.patient_id ||
        sample.code.empty()) {
      std::abort();
    }
  }
  for (const auto& rejected : bundle.rejected) {
    if (rejected.source.empty() || rejected.reason.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_bundle(ptwin::ingest::fhir::read_patient_bundle(text, "fuzz.json"));
  } catch (const ptwin::Error&) {
  }
  return 0;
}
