// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/validation/primitive_types.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using Result = std::optional<std::string>;

constexpr std::array kKnownPrimitives{
    std::string_view("base64Binary"), std::string_view("boolean"),
    std::string_view("canonical"),    std::string_view("code"),
    std::string_view("date"),         std::string_view("dateTime"),
    std::string_view("decimal"),      std::string_view("id"),
    std::string_view("instant"),      std::string_view("integer"),
    std::string_view("integer64"),    std::string_view("markdown"),
    std::string_view("oid"),          std::string_view("positiveInt"),
    std::string_view("string"),       std::string_view("time"),
    std::string_view("unsignedInt"),  std::string_view("uri"),
    std::string_view("url"),          std::string_view("uuid"),
    std::string_view("xhtml")};

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMinInt32 = std::numeric_limits<std::int32_t>::min();

// \s of the published regexes (Java): space, \t, \n, \x0B, \f, \r.
bool is_regex_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// Reads `count` digits at `at` as a number; nullopt when they are not all digits.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && is_leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// hh:mm:ss(.f{1,9})? at `at`; on success advances `at`. ss may be 60 (leap second).
Result scan_time(std::string_view text, std::size_t& at) {
  const auto hour = digits(text, at, 2);
  const auto minute = digits(text, at + 3, 2);
  const auto second = digits(text, at + 6, 2);
  if (!hour || !minute || !second || text[at + 2] != ':' || text[at + 5] != ':') {
    return "needs a time hh:mm:ss";
  }
  if (*hour > 23 || *minute > 59 || *second > 60) {
    return fmt::format("has time {:02}:{:02}:{:02} out of range", *hour, *minute, *second);
  }
  at += 8;
  if (at < text.size() && text[at] == '.') {
    std::size_t count = 0;
    while (at + 1 + count < text.size() && is_digit(text[at + 1 + count])) ++count;
    if (count == 0 || count > 9) return "needs 1 to 9 digits of fractional seconds";
    at += 1 + count;
  }
  return std::nullopt;
}

// Z | (+|-)hh:mm with hh:mm from 00:00 to 14:00; must end the text.
Result scan_offset(std::string_view text, std::size_t at) {
  if (at < text.size() && text[at] == 'Z') {
    return at + 1 == text.size() ? Result() : Result("has text after the UTC offset 'Z'");
  }
  if (at >= text.size() || (text[at] != '+' && text[at] != '-')) {
    return "needs a UTC offset (Z or +hh:mm / -hh:mm)";
  }
  const auto hour = digits(text, at + 1, 2);
  const auto minute = digits(text, at + 4, 2);
  // The published regex lets the hh:mm after the sign be absent; a bare sign is no offset.
  if (!hour || !minute || text[at + 3] != ':' || at + 6 != text.size()) {
    return "has a UTC offset not of the form +hh:mm or -hh:mm";
  }
  if (*minute > 59 || *hour > 14 || (*hour == 14 && *minute != 0)) {
    return "has a UTC offset beyond 14:00";
  }
  return std::nullopt;
}

enum class DateForm { Date, DateTime, Instant };

// YYYY(-MM(-DD)?)? [Thh:mm:ss(.f)?] [offset], with the parts each form allows.
Result check_date_like(std::string_view text, DateForm form) {
  const auto year = digits(text, 0, 4);
  if (!year) return "needs a four-digit year";
  if (*year == 0) return "has year 0000";
  std::size_t at = 4;
  int precision = 1;  // 1 year, 2 month, 3 day
  std::optional<int> month;
  if (at < text.size() && text[at] == '-') {
    month = digits(text, at + 1, 2);
    if (!month || *month < 1 || *month > 12) return "has a month that is not 01 to 12";
    at += 3;
    precision = 2;
    if (at < text.size() && text[at] == '-') {
      const auto day = digits(text, at + 1, 2);
      if (!day || *day < 1) return "has a day that is not 01 to 31";
      // The regex accepts any day up to 31; the type's definition says dates SHALL be valid.
      if (*day > days_in_month(*year, *month)) {
        return fmt::format("names day {} of a month that has {} days", *day,
                           days_in_month(*year, *month));
      }
      at += 3;
      precision = 3;
    }
  }
  if (form == DateForm::Instant && precision < 3) return "needs a full date YYYY-MM-DD";
  if (form != DateForm::Date && at < text.size() && text[at] == 'T') {
    if (precision < 3) return "has a time after a partial date";
    ++at;
    if (auto error = scan_time(text, at)) return error;
    // dateTime: "If hours and minutes are specified, a UTC offset SHALL be populated."
    return scan_offset(text, at);
  }
  if (form == DateForm::Instant) return "needs a time and a UTC offset";
  if (at == text.size()) return std::nullopt;
  // Partial dates may carry an offset in R5 (dateTime), but not a bare year (regex).
  if (form == DateForm::DateTime && precision >= 2) return scan_offset(text, at);
  return fmt::format("has unexpected text '{}'", printable_value(text.substr(at)));
}

Result check_time(std::string_view text) {
  std::size_t at = 0;
  if (auto error = scan_time(text, at)) return error;
  return at == text.size() ? Result() : Result("has text after the time");
}

Result check_code(std::string_view text) {
  // [^\s]+( [^\s]+)*: single spaces between non-space runs only.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') {
      if (i == 0 || i + 1 == text.size() || text[i + 1] == ' ') {
        return "has leading, trailing or repeated spaces";
      }
    } else if (is_regex_space(text[i])) {
      return "holds a tab, line break or other whitespace besides single spaces";
    }
  }
  return std::nullopt;
}

Result check_id(std::string_view text) {
  if (text.size() > 64)
    return fmt::format("is {} characters long; an id has at most 64", text.size());
  for (const char c : text) {
    if (!is_alnum(c) && c != '-' && c != '.') return "may hold only A-Z a-z 0-9 - and .";
  }
  return std::nullopt;
}

Result check_no_space(std::string_view text) {
  for (const char c : text) {
    if (is_regex_space(c)) return "holds whitespace";
  }
  return std::nullopt;
}

Result check_base64(std::string_view text) {
  if (text.size() % 4 != 0) return "has a length that is not a multiple of 4 (base64)";
  const auto padding = text.ends_with("==") ? 2U : (text.ends_with('=') ? 1U : 0U);
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const char c = text[i];
    if (!is_alnum(c) && c != '+' && c != '/') return "holds a character outside base64";
  }
  return std::nullopt;
}

Result check_oid(std::string_view text) {
  constexpr std::string_view kPrefix = "urn:oid:";
  if (!text.starts_with(kPrefix)) return "does not start with urn:oid:";
  text.remove_prefix(kPrefix.size());
  // [0-2](\.(0|[1-9][0-9]*))+
  if (text.size() < 3 || text[0] < '0' || text[0] > '2' || text[1] != '.') return "is not an OID";
  for (std::size_t i = 1; i < text.size();) {
    if (text[i] != '.' || i + 1 >= text.size() || !is_digit(text[i + 1])) return "is not an OID";
    const std::size_t start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (text[start] == '0' && i - start > 1) return "has an OID arc with a leading zero";
  }
  return std::nullopt;
}

Result check_uuid(std::string_view text) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (!text.starts_with(kPrefix)) return "does not start with urn:uuid:";
  text.remove_prefix(kPrefix.size());
  if (text.size() != 36) return "is not a lowercase UUID";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool is_dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (is_dash_position ? text[i] != '-' : !is_lower_hex(text[i])) {
      return "is not a lowercase UUID";
    }
  }
  return std::nullopt;
}

Result check_integer64(std::string_view text) {
  // [0]|[-+]?[1-9][0-9]*, then the 64-bit range.
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body.empty() || (body[0] == '0' && (body.size() > 1 || body.size() != text.size()))) {
    return "is not an integer without leading zeros";
  }
  for (const char c : body) {
    if (!is_digit(c)) return "is not an integer";
  }
  std::int64_t value = 0;
  const auto* first = text.data() + (text[0] == '+' ? 1 : 0);
  const auto [end, error] = std::from_chars(first, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return "is outside the 64-bit range";
  return std::nullopt;
}

Result check_xhtml(std::string_view text) {
  // narrative.html: the content is one XHTML <div> in the XHTML namespace.
  std::size_t at = 0;
  while (at < text.size() && is_regex_space(text[at])) ++at;
  if (text.substr(at, 4) != "<div") return "does not start with a <div> element";
  const auto tag_end = text.find('>', at);
  if (tag_end == std::string_view::npos ||
      text.substr(at, tag_end - at).find("http://www.w3.org/1999/xhtml") ==
          std::string_view::npos) {
    return "has a <div> without the XHTML namespace http://www.w3.org/1999/xhtml";
  }
  return std::nullopt;
}

Result check_whole_number(std::string_view type, const nlohmann::json& value) {
  if (!value.is_number_integer()) {
    return value.is_number() ? "is a number with a fraction or exponent; a whole number is needed"
                             : "is not a JSON number";
  }
  const std::int64_t minimum = type == "positiveInt" ? 1 : (type == "unsignedInt" ? 0 : kMinInt32);
  const bool is_in_range =
      value.is_number_unsigned()
          ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxInt32)
          : (value.get<std::int64_t>() >= minimum && value.get<std::int64_t>() <= kMaxInt32);
  if (!is_in_range)
    return fmt::format("is outside the range {} to {} of {}", minimum, kMaxInt32, type);
  return std::nullopt;
}

}  // namespace

bool is_known_primitive(std::string_view type) {
  for (const auto known : kKnownPrimitives) {
    if (known == type) return true;
  }
  return false;
}

std::optional<std::string> check_primitive_text(std::string_view type, std::string_view text) {
  if (text.empty()) return "is empty; FHIR JSON does not allow empty strings";
  if (type == "date") return check_date_like(text, DateForm::Date);
  if (type == "dateTime") return check_date_like(text, DateForm::DateTime);
  if (type == "instant") return check_date_like(text, DateForm::Instant);
  if (type == "time") return check_time(text);
  if (type == "code") return check_code(text);
  if (type == "id") return check_id(text);
  if (type == "uri" || type == "url" || type == "canonical") return check_no_space(text);
  if (type == "base64Binary") return check_base64(text);
  if (type == "oid") return check_oid(text);
  if (type == "uuid") return check_uuid(text);
  if (type == "integer64") return check_integer64(text);
  if (type == "xhtml") return check_xhtml(text);
  return std::nullopt;  // string, markdown: any non-empty text
}

std::optional<std::string> check_primitive_json(std::string_view type,
                                                const nlohmann::json& value) {
  if (type == "boolean") {
    return value.is_boolean() ? Result() : Result("is not a JSON true or false");
  }
  if (type == "integer" || type == "positiveInt" || type == "unsignedInt") {
    return check_whole_number(type, value);
  }
  if (type == "decimal") {
    return value.is_number() ? Result() : Result("is not a JSON number");
  }
  if (!value.is_string()) return fmt::format("is not a JSON string ({} needs one)", type);
  return check_primitive_text(type, value.get_ref<const std::string&>());
}

}  // namespace ptwin::ingest::fhir::validation
