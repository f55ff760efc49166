// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/search_values.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/date_range.hpp"
#include "ptwin/store/fhir/decimal_range.hpp"

namespace ptwin::store::fhir {
namespace {

constexpr std::size_t kMaxNameLength = 64;

struct PrefixCode {
  std::string_view code;
  Prefix prefix;
};
constexpr std::array kPrefixCodes{
    PrefixCode{"eq", Prefix::Eq}, PrefixCode{"ne", Prefix::Ne}, PrefixCode{"gt", Prefix::Gt},
    PrefixCode{"lt", Prefix::Lt}, PrefixCode{"ge", Prefix::Ge}, PrefixCode{"le", Prefix::Le},
    PrefixCode{"sa", Prefix::Sa}, PrefixCode{"eb", Prefix::Eb}, PrefixCode{"ap", Prefix::Ap},
};

[[noreturn]] void fail(std::string_view text, std::string_view where, const std::string& rule) {
  throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text), rule);
}

bool is_absolute_url(std::string_view text) {
  return text.find("://") != std::string_view::npos || text.starts_with("urn:");
}

// An optional, possibly empty part: nullopt when empty.
std::optional<std::string> non_empty(std::string text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::vector<std::string> split_unescaped(std::string_view text, char separator) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      parts.back() += text.substr(i, 2);
      ++i;
    } else if (text[i] == separator) {
      parts.emplace_back();
    } else {
      parts.back() += text[i];
    }
  }
  return parts;
}

std::string unescape_search_value(std::string_view text, std::string_view where) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      result += text[i];
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (next != ',' && next != '|' && next != '$' && next != '\\') {
      fail(text, where, "has a '\\' that does not escape ',', '|', '$' or '\\'");
    }
    result += next;
    ++i;
  }
  return result;
}

std::pair<Prefix, std::string_view> split_prefix(std::string_view text) {
  if (text.size() < 3) return {Prefix::Eq, text};
  const char after = text[2];
  const bool starts_value =
      (after >= '0' && after <= '9') || after == '-' || after == '+' || after == '.';
  if (!starts_value) return {Prefix::Eq, text};
  for (const PrefixCode& code : kPrefixCodes) {
    if (text.starts_with(code.code)) return {code.prefix, text.substr(2)};
  }
  return {Prefix::Eq, text};
}

DateValue parse_date_value(std::string_view text, std::string_view where) {
  const auto [prefix, rest] = split_prefix(text);
  const InstantRange range = fhir_date_range(rest, where);
  return DateValue{.prefix = prefix, .low = range.low, .high = range.high};
}

NumberValue parse_number_value(std::string_view text, std::string_view where) {
  const auto [prefix, rest] = split_prefix(text);
  const DecimalRange range = decimal_range(rest, where);
  return NumberValue{.prefix = prefix, .value = range.value, .low = range.low, .high = range.high};
}

QuantityValue parse_quantity_value(std::string_view text, std::string_view where) {
  const std::vector<std::string> parts = split_unescaped(text, '|');
  if (parts.size() != 1 && parts.size() != 3) {
    fail(text, where, "is not [prefix]number or [prefix]number|system|code");
  }
  QuantityValue value{
      .number = parse_number_value(parts[0], where), .system = std::nullopt, .code = std::nullopt};
  if (parts.size() == 3) {
    value.system = non_empty(unescape_search_value(parts[1], where));
    value.code = non_empty(unescape_search_value(parts[2], where));
    if (value.system && !value.code) fail(text, where, "names a unit system without a code");
  }
  return value;
}

TokenValue parse_token_value(std::string_view text, std::string_view where) {
  const std::vector<std::string> parts = split_unescaped(text, '|');
  if (parts.size() > 2) fail(text, where, "has more than one unescaped '|'");
  if (parts.size() == 1) {
    const std::string code = unescape_search_value(parts[0], where);
    if (code.empty()) fail(text, where, "is empty");
    return TokenValue{.system = std::nullopt, .code = code};
  }
  TokenValue value{.system = unescape_search_value(parts[0], where),
                   .code = non_empty(unescape_search_value(parts[1], where))};
  if (value.system->empty() && !value.code) fail(text, where, "is only '|'");
  return value;
}

ReferenceValue parse_reference_value(std::string_view text, std::string_view where) {
  if (is_absolute_url(text)) {
    const std::vector<std::string> parts = split_unescaped(text, '|');
    if (parts.size() > 2) fail(text, where, "has more than one unescaped '|'");
    ReferenceValue value{.type = std::nullopt,
                         .id = std::nullopt,
                         .version = std::nullopt,
                         .url = unescape_search_value(parts[0], where)};
    if (parts.size() == 2) value.version = non_empty(unescape_search_value(parts[1], where));
    return value;
  }
  const std::string plain = unescape_search_value(text, where);
  const std::vector<std::string> parts = split_unescaped(plain, '/');
  ReferenceValue value;
  if (parts.size() == 1) {
    value.id = parts[0];
  } else if (parts.size() == 2 || (parts.size() == 4 && parts[2] == "_history")) {
    value.type = parts[0];
    value.id = parts[1];
    if (parts.size() == 4) value.version = parts[3];
  } else {
    fail(text, where, "is not id, Type/id, Type/id/_history/version or an absolute URL");
  }
  if (value.type && !is_resource_type_name(*value.type)) {
    fail(text, where, "has a resource type that is not [A-Z][A-Za-z]*");
  }
  if (!is_resource_id(*value.id) || (value.version && !is_resource_id(*value.version))) {
    fail(text, where, "has an id or version that is not [A-Za-z0-9-.]{1,64}");
  }
  return value;
}

bool is_resource_type_name(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength || text[0] < 'A' || text[0] > 'Z') {
    return false;
  }
  for (const char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

bool is_resource_id(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength) return false;
  for (const char c : text) {
    const bool is_allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!is_allowed) return false;
  }
  return true;
}

}  // namespace ptwin::store::fhir
