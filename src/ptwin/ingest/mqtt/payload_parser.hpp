// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads one biosensor MQTT payload (JSON, docs/mqtt.md#payload) into canonical Samples: SI values
// checked against the quantity's dimension, UTC instants in nanoseconds. A payload that breaks a
// rule gives no sample at all; the InputError names the field and the offending value, and the
// caller quarantines the raw bytes with it.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/sample.hpp"
#include "ptwin/core/time.hpp"

namespace ptwin::ingest::mqtt {

/// What a payload is checked against besides its own syntax.
struct PayloadRules {
  /// Patient of each device id, for payloads that carry no "patient". A payload whose "patient"
  /// differs from its device's entry here is rejected (a device is worn by one patient).
  std::map<std::string, std::string, std::less<>> device_patients;
  /// How long before its receipt a reading may have been taken: devices that buffer while
  /// offline send old readings, but a timestamp years in the past is a broken clock.
  std::chrono::milliseconds max_age{std::chrono::hours{24}};
  /// How far after its receipt a reading's timestamp may lie (device clock running ahead).
  std::chrono::milliseconds max_lead{std::chrono::minutes{5}};
  /// Most numbers in one "values" waveform chunk.
  std::size_t max_values = 10'000;
  /// Longest payload read; a longer one is quarantined unread (its bytes are kept).
  std::size_t max_payload_bytes = 1U << 20U;
};

/// Checks the rules themselves: non-negative windows, 1 <= max_values <= 1'000'000,
/// max_payload_bytes >= 1, and device
/// and patient ids of the map with the id syntax of payloads. `where` prefixes field names in
/// errors (e.g. "mqtt.payload"). Throws InputError.
void validate(const PayloadRules& rules, std::string_view where);

/// Parses one payload. `source` names it in errors ("mqtt:icu/bed4/vitals") and, followed by
/// "#<device>", becomes each Sample's source_id. `received_at` is when the broker delivered it:
/// the reading's "t" must lie within [received_at - max_age, received_at + max_lead].
/// Returns one Sample for "value", one per number for "values" (at t + i * interval_ms).
/// Throws InputError (BadInput, MissingField, UnknownField, UnknownUnit, UnitMismatch) whose
/// where() is "<source>: <field>" and whose value() is the offending value, escaped and cut
/// after 64 bytes (printable_value). Never throws anything else for any bytes of input, except
/// std::bad_alloc.
[[nodiscard]] std::vector<Sample> parse_biosensor_payload(std::string_view payload,
                                                          std::string_view source,
                                                          const PayloadRules& rules,
                                                          time::Instant received_at);

/// Whether `id` has the syntax of device and patient ids: 1 to 64 characters from A-Z a-z 0-9
/// and . _ : - (FHIR's id syntax, plus _ and : for device serials and MAC addresses).
[[nodiscard]] bool is_valid_sensor_id(std::string_view id);

}  // namespace ptwin::ingest::mqtt
