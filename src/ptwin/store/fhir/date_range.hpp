// SPDX-License-Identifier: Apache-2.0
#pragma once
// The range of instants a FHIR date, dateTime or instant covers (R5 search.html#date): a value
// is as precise as it is written, so 2024 is the whole year and 2024-05-01T10:00 the whole
// minute. Searches compare these ranges, not points.

#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir {

/// A closed range of UTC instants, low <= high.
struct InstantRange {
  time::Instant low{};
  time::Instant high{};
  friend bool operator==(const InstantRange&, const InstantRange&) = default;
};

/// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm[:ss[.f{1,9}]]` followed by
/// `Z`, `+hh:mm`, `-hh:mm` or nothing, and returns the instants it covers: from the first
/// nanosecond of the period written to the last (high is the start of the next period minus
/// 1 ns). A value without an offset is read as UTC: FHIR says dates have no time zone and the
/// store's "local time zone" is UTC. Throws InputError(BadInput) at `where` on bad syntax, an
/// impossible date or time (month 13, Feb 30, hour 24, second 60), and on a period outside
/// the instants the store represents (1677-09-21 to 2262-04-11, int64 nanoseconds).
[[nodiscard]] InstantRange fhir_date_range(std::string_view text, std::string_view where);

}  // namespace ptwin::store::fhir
