// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the MQTT biosensor payload parser (docs/mqtt.md#payload). InputError is the
// expected way to reject a payload, and its where() must start with the source. Anything else
// (an nlohmann::json exception, a crash, a sanitizer report) or an accepted payload that breaks
// a documented rule (no sample, a non-finite value, an unknown code, a time outside the window,
// times out of order, an invalid patient id) is a finding. Seeds: tests/data/bad_inputs/mqtt.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/ingest/mqtt/quantity_table.hpp"

namespace {

using ptwin::ingest::mqtt::PayloadRules;

constexpr std::string_view kSource = "mqtt:icu/bed4/vitals";
// 2026-11-20T08:15:00Z, the receipt time of the seed corpus.
const ptwin::time::Instant kReceivedAt = ptwin::time::from_epoch_ms(1'795'162'500'000);

PayloadRules fuzz_rules() {
  PayloadRules rules;
  rules.device_patients.emplace("mon-map", "p9");
  return rules;
}

void check_samples(const std::vector<ptwin::Sample>& samples, const PayloadRules& rules) {
  if (samples.empty() || samples.size() > rules.max_values) std::abort();
  const auto earliest = kReceivedAt - rules.max_age;
  const auto latest = kReceivedAt + rules.max_lead;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& sample = samples[i];
    const auto* quantity = ptwin::ingest::mqtt::find_biosensor_quantity(sample.code);
    if (quantity == nullptr || quantity->loinc != sample.code) std::abort();
    if (!std::isfinite(sample.value_si) || sample.unit_of_origin.empty()) std::abort();
    if (!ptwin::ingest::mqtt::is_valid_sensor_id(sample.patient_id)) std::abort();
    if (!sample.source_id.starts_with(std::string(kSource) + "#")) std::abort();
    if (sample.time < earliest || sample.time > latest) std::abort();
    if (i > 0 && sample.time < samples[i - 1].time) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const PayloadRules rules = fuzz_rules();
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  try {
    check_samples(
        ptwin::ingest::mqtt::parse_biosensor_payload(payload, kSource, rules, kReceivedAt), rules);
  } catch (const ptwin::InputError& error) {
    if (!error.where().starts_with(kSource) || std::string_view(error.what()).empty()) {
      std::abort();
    }
  }
  return 0;
}
