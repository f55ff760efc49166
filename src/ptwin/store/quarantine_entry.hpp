// SPDX-License-Identifier: Apache-2.0
#pragma once
// Rejected input, kept byte for byte with the reason it was rejected (DESIGN.md: bad input
// never disappears).

#include <cstdint>
#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::store {

using QuarantineId = std::int64_t;

struct QuarantineEntry {
  std::string source;     // where it came from, e.g. "fhir:Bundle entry 3", "mqtt:icu/bed4/hr"
  std::string reason;     // the error message that rejected it (InputError::what())
  std::string raw_bytes;  // the input exactly as received: any bytes, NUL and non-UTF-8 included
  time::Instant received_at{};  // UTC
  friend bool operator==(const QuarantineEntry&, const QuarantineEntry&) = default;
};

struct QuarantineRecord {
  QuarantineId id = 0;
  QuarantineEntry entry;
  friend bool operator==(const QuarantineRecord&, const QuarantineRecord&) = default;
};

/// Checks that `source` and `reason` are non-empty (an entry nobody can trace or explain is
/// useless). `raw_bytes` may be empty: an empty message is itself a reason to quarantine.
/// Throws InputError(MissingField).
void validate(const QuarantineEntry& entry);

}  // namespace ptwin::store
