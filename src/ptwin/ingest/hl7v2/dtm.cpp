// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/dtm.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// YYYYMMDDHHMM: an instant needs the minute; ISO 8601 as ptwin reads it needs as much.
constexpr std::size_t kMinimumInstantDigits = 12;
constexpr std::size_t kMaximumFractionDigits = 4;

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void refuse(ErrorCode code, std::string_view where, std::string_view text,
                         std::string rule) {
  throw InputError(code, std::string(where), printable_value(text), std::move(rule));
}

constexpr std::string_view kSyntax = "YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]";

struct DtmParts {
  std::string_view digits;    // YYYY..SS
  std::string_view fraction;  // after '.', may be empty
  std::string_view offset;    // "+HHMM" / "-HHMM", or empty
};

DtmParts split_dtm(std::string_view text, std::string_view where) {
  DtmParts parts;
  auto rest = text;
  if (const auto sign = rest.find_first_of("+-"); sign != std::string_view::npos) {
    parts.offset = rest.substr(sign);
    rest = rest.substr(0, sign);
    if (parts.offset.size() != 5 || !all_digits(parts.offset.substr(1))) {
      refuse(ErrorCode::BadInput, where, text,
             fmt::format("has an offset that is not +/-HHMM (DTM: {})", kSyntax));
    }
  }
  if (const auto dot = rest.find('.'); dot != std::string_view::npos) {
    parts.fraction = rest.substr(dot + 1);
    rest = rest.substr(0, dot);
    if (rest.size() != 14 || parts.fraction.empty() ||
        parts.fraction.size() > kMaximumFractionDigits || !all_digits(parts.fraction)) {
      refuse(ErrorCode::BadInput, where, text,
             fmt::format("has a fraction that is not 1 to 4 digits after the seconds (DTM: {})",
                         kSyntax));
    }
  }
  const auto length = rest.size();
  if (!all_digits(rest) || length < 4 || length > 14 || length % 2 != 0) {
    refuse(ErrorCode::BadInput, where, text, fmt::format("is not an HL7 DTM ({})", kSyntax));
  }
  parts.digits = rest;
  return parts;
}

}  // namespace

time::Instant parse_dtm(std::string_view text, std::optional<std::chrono::minutes> assumed_offset,
                        std::string_view where) {
  if (text.empty()) refuse(ErrorCode::MissingField, where, text, "a measurement needs its time");
  const auto parts = split_dtm(text, where);
  const auto d = parts.digits;
  if (d.size() < kMinimumInstantDigits) {
    refuse(ErrorCode::AmbiguousTime, where, text,
           "is not precise to the minute; an instant needs at least YYYYMMDDHHMM and a UTC "
           "offset");
  }
  if (parts.offset.empty() && !assumed_offset) {
    refuse(ErrorCode::AmbiguousTime, where, text,
           "has no UTC offset (+/-ZZZZ) and no zone offset is configured for its source, so "
           "the instant it names is unknown");
  }
  auto iso = fmt::format("{}-{}-{}T{}:{}", d.substr(0, 4), d.substr(4, 2), d.substr(6, 2),
                         d.substr(8, 2), d.substr(10, 2));
  if (d.size() == 14) iso += fmt::format(":{}", d.substr(12, 2));
  if (!parts.fraction.empty()) iso += fmt::format(".{}", parts.fraction);
  if (!parts.offset.empty()) {
    iso += fmt::format("{}:{}", parts.offset.substr(0, 3), parts.offset.substr(3, 2));
  }
  try {
    return time::parse_iso8601(iso, assumed_offset, where);
  } catch (const InputError& error) {
    // Name the value as the sender wrote it, not the ISO text it was rewritten to.
    throw InputError(error.code(), std::string(where), printable_value(text), error.rule());
  }
}

std::string dtm_to_fhir_date(std::string_view text, std::string_view where) {
  const auto d = split_dtm(text, where).digits;
  const auto year = d.substr(0, 4);
  if (d.size() == 4) return std::string(year);
  const auto month = d.substr(4, 2);
  if (d.size() == 6) {
    if (month < "01" || month > "12") {
      refuse(ErrorCode::BadInput, where, text, "has a month that is not 01 to 12");
    }
    return fmt::format("{}-{}", year, month);
  }
  const auto date = fmt::format("{}-{}-{}", year, month, d.substr(6, 2));
  try {
    (void)time::parse_iso8601(date + "T00:00Z", std::nullopt, where);
  } catch (const InputError& error) {
    throw InputError(error.code(), std::string(where), printable_value(text), error.rule());
  }
  return date;
}

std::string format_dtm(time::Instant instant) {
  const auto iso = time::format_iso8601(instant);  // YYYY-MM-DDThh:mm:ss[.f]Z
  std::string dtm;
  for (const char c : iso.substr(0, 19)) {
    if (c >= '0' && c <= '9') dtm.push_back(c);
  }
  return dtm + "+0000";
}

}  // namespace ptwin::ingest::hl7v2
