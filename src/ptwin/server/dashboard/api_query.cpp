// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/api_query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "ptwin/core/error.hpp"
#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::dashboard {
namespace {

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

ApiQuery::ApiQuery(std::string_view raw_query, std::initializer_list<std::string_view> allowed) {
  for (auto& [name, value] : parse_query(raw_query)) {
    if (name.empty()) {
      throw InputError(ErrorCode::BadInput, "query", printable_value("=" + value),
                       "has a parameter without a name; write name=value");
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known;
      for (const auto a : allowed) known.append(known.empty() ? "" : ", ").append(a);
      throw InputError(ErrorCode::BadInput, name, printable_value(value),
                       fmt::format("is not a parameter of this request; known: {}",
                                   known.empty() ? "none" : known));
    }
    if (values_.contains(name)) {
      throw InputError(ErrorCode::BadInput, name, printable_value(value),
                       "is given twice; give it once");
    }
    values_.emplace(std::move(name), std::move(value));
  }
}

std::optional<std::string> ApiQuery::text(std::string_view name) const {
  const auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

std::optional<time::Instant> ApiQuery::instant(std::string_view name) const {
  const auto value = text(name);
  if (!value) return std::nullopt;
  if (const auto ms = parse_integer(*value)) {
    try {
      return time::from_epoch_ms(*ms);
    } catch (const InputError&) {
      throw InputError(ErrorCode::BadInput, std::string(name), printable_value(*value),
                       "is outside the range of instants ptwin can represent");
    }
  }
  try {
    return time::parse_iso8601(*value, std::nullopt, name);
  } catch (const InputError&) {
    throw InputError(ErrorCode::BadInput, std::string(name), printable_value(*value),
                     "must be an ISO 8601 date-time with an offset (2026-11-24T21:00:00Z) or "
                     "integer milliseconds since 1970-01-01T00:00:00Z");
  }
}

std::optional<std::int64_t> ApiQuery::integer(std::string_view name, std::int64_t minimum,
                                              std::int64_t maximum) const {
  const auto value = text(name);
  if (!value) return std::nullopt;
  const auto parsed = parse_integer(*value);
  if (!parsed || *parsed < minimum || *parsed > maximum) {
    throw InputError(ErrorCode::BadInput, std::string(name), printable_value(*value),
                     fmt::format("must be an integer from {} to {}", minimum, maximum));
  }
  return parsed;
}

}  // namespace ptwin::server::dashboard
