// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the model gate's verification record reader (JSON, docs/vv.md#model-gate).
// ptwin::Error is the expected way to reject input; any other exception, or an accepted record
// whose status disagrees with its cases or whose gate would admit a model it should not, is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/gate/model_gate.hpp"
#include "ptwin/vv/gate/verification_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace gate = ptwin::vv::gate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto record = gate::parse_verification_record(text, "fuzz.json");
    if (record.status != gate::status_of(record.cases)) std::abort();
    if (record.model.settings_digest.size() != 64) std::abort();
    // Round trip: what was accepted is written and read back unchanged.
    const auto again = gate::parse_verification_record(gate::to_json_text(record), "again.json");
    if (!(again.model == record.model) || again.status != record.status ||
        again.cases.size() != record.cases.size()) {
      std::abort();
    }
    const gate::ModelGate judged(record.model, record);
    if (judged.may_emit() != (record.status == gate::VerificationStatus::Passed)) std::abort();
  } catch (const ptwin::Error&) {
  }
  return 0;
}
