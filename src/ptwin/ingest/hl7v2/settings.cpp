// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/settings.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::hl7v2 {

void validate(const Hl7v2Settings& settings) {
  constexpr std::chrono::minutes kMaxOffset{14 * 60};
  for (const auto& [key, offset] : settings.zone_offsets) {
    if (offset > kMaxOffset || offset < -kMaxOffset) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("hl7v2.zone_offsets[{}]", printable_value(key)),
                       fmt::format("{}min", offset.count()), "must be within -14 h and +14 h");
    }
  }
  if (settings.processing_ids.empty()) {
    throw InputError(ErrorCode::BadInput, "hl7v2.processing_ids", "",
                     "must name at least one processing id (P, T or D)");
  }
}

}  // namespace ptwin::ingest::hl7v2
