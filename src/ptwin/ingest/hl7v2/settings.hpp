// SPDX-License-Identifier: Apache-2.0
#pragma once
// Per-deployment settings of the HL7 v2 reader (docs/hl7v2.md#configuration).

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::hl7v2 {

struct Hl7v2Settings {
  /// Local time minus UTC for sources whose time stamps carry no +/-ZZZZ, keyed by
  /// "<sending application>/<sending facility>" (MSH-3.1/MSH-4.1, as in the source name
  /// "hl7v2:<app>/<facility>"), e.g. {"MONITOR/ICU", +60min}. Applied only to values without an
  /// offset of their own. A source that is not listed gets none: its offset-less times are
  /// rejected (ambiguous-time). At most ±14 h.
  std::map<std::string, std::chrono::minutes, std::less<>> zone_offsets{};
  /// MSH-11.1 values accepted (HL7 table 0103: P production, T training, D debugging). Only
  /// production data reach a patient's twin unless a deployment says otherwise.
  std::vector<std::string> processing_ids{"P"};

  /// The configured offset of a source key ("<app>/<facility>"), if any.
  [[nodiscard]] std::optional<std::chrono::minutes> zone_offset(std::string_view source_key) const {
    const auto found = zone_offsets.find(source_key);
    if (found == zone_offsets.end()) return std::nullopt;
    return found->second;
  }
};

/// Checks the settings. Throws InputError(BadInput) naming `hl7v2.zone_offsets[<key>]` for an
/// offset beyond ±14 h, and `hl7v2.processing_ids` when it is empty.
void validate(const Hl7v2Settings& settings);

}  // namespace ptwin::ingest::hl7v2
