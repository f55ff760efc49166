// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/payload_parser.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/mqtt/quantity_table.hpp"

namespace ptwin::ingest::mqtt {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxUnitLength = 64;
constexpr std::size_t kMaxValuesLimit = 1'000'000;
// An interval longer than a minute is not a waveform; send separate readings instead.
constexpr double kMaxIntervalMs = 60'000.0;
constexpr std::int64_t kNanosPerMilli = 1'000'000;
// A reading is an object holding at most one array of numbers: depth 2. Anything much deeper is
// not a reading, and is refused while parsing.
constexpr int kMaxDepth = 8;
constexpr std::array kKnownKeys{"device", "patient", "quantity",    "unit",
                                "value",  "values",  "interval_ms", "t"};

// Everything quoted from the payload is escaped and shortened (STYLE.md §4, core/error.hpp).
std::string shown(const json& value) {
  return printable_value(value.is_string() ? value.get<std::string>() : value.dump());
}

// The start of a payload that could not be read as JSON, for messages: it may be any bytes, and
// the reason is stored as text, so everything outside printable ASCII is escaped as \xNN (not
// only control characters, as printable_value does) and the excerpt is cut after 64 bytes.
std::string excerpt(std::string_view payload) {
  constexpr std::size_t kMaxShown = 64;
  std::string out;
  for (const char c : payload.substr(0, kMaxShown)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (payload.size() > kMaxShown) out += fmt::format("...({} bytes)", payload.size());
  return out;
}

// One payload being read: the source for messages and the parsed document.
struct Reading {
  std::string_view source;
  const json& document;

  [[nodiscard]] std::string where(std::string_view field) const {
    return fmt::format("{}: {}", source, field);
  }
  [[noreturn]] void fail(ErrorCode code, std::string_view field, std::string value,
                         std::string rule) const {
    throw InputError(code, where(field), std::move(value), std::move(rule));
  }
  [[nodiscard]] const json* find(std::string_view key) const {
    const auto found = document.find(key);
    return found == document.end() ? nullptr : &*found;
  }
  [[nodiscard]] const json& require(std::string_view key, std::string_view rule) const {
    const auto* value = find(key);
    if (value == nullptr) fail(ErrorCode::MissingField, key, "", std::string(rule));
    return *value;
  }
  [[nodiscard]] std::string text(std::string_view key, const json& value) const {
    if (!value.is_string()) fail(ErrorCode::BadInput, key, shown(value), "must be a string");
    return value.get<std::string>();
  }
};

// Thrown from the parse callback to stop reading a document nested deeper than a reading can
// be: the depth would otherwise cost memory and a recursive dump() in error messages.
struct TooDeep {};

// nlohmann keeps the last of two equal keys without a word; a reading with two "value"s is
// ambiguous, so the parse callback notes the first repeated key of any object.
json parse_document(std::string_view payload, std::string_view source, const PayloadRules& rules) {
  const auto where = fmt::format("{}: payload", source);
  if (payload.empty()) {
    throw InputError(ErrorCode::BadInput, where, "",
                     "is empty; a biosensor message is a JSON object (docs/mqtt.md)");
  }
  if (payload.size() > rules.max_payload_bytes) {
    throw InputError(
        ErrorCode::BadInput, where, excerpt(payload),
        fmt::format("is {} bytes; the limit is {}", payload.size(), rules.max_payload_bytes));
  }
  std::vector<std::set<std::string>> open_objects;
  std::optional<std::string> repeated_key;
  const json::parser_callback_t note_keys = [&](int depth, json::parse_event_t event,
                                                json& parsed) {
    if (depth > kMaxDepth) throw TooDeep{};
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() && !repeated_key &&
        !open_objects.back().insert(parsed.get<std::string>()).second) {
      repeated_key = parsed.get<std::string>();
    }
    return true;
  };
  json document;
  try {
    document = json::parse(payload, note_keys);
  } catch (const json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, where, excerpt(payload),
                     fmt::format("is not valid JSON (syntax error at byte {})", error.byte));
  } catch (const json::out_of_range&) {
    // JSON sets no limit on numbers; "1e400" is valid JSON that no double can hold.
    throw InputError(ErrorCode::BadInput, where, excerpt(payload),
                     "holds a number beyond the range of a double");
  } catch (const TooDeep&) {
    throw InputError(ErrorCode::BadInput, where, excerpt(payload),
                     fmt::format("nests arrays or objects deeper than {} levels", kMaxDepth));
  }
  if (repeated_key) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", source, *repeated_key),
                     printable_value(*repeated_key),
                     "appears twice in one object; a reading must be unambiguous");
  }
  if (!document.is_object()) {
    throw InputError(ErrorCode::BadInput, where, excerpt(payload),
                     "must be a JSON object (docs/mqtt.md)");
  }
  return document;
}

void reject_unknown_keys(const Reading& reading) {
  for (const auto& [key, value] : reading.document.items()) {
    if (std::find(kKnownKeys.begin(), kKnownKeys.end(), key) == kKnownKeys.end()) {
      reading.fail(ErrorCode::UnknownField, printable_value(key), printable_value(key),
                   "is not a field of a biosensor message (device, patient, quantity, unit, "
                   "value, values, interval_ms, t)");
    }
  }
}

std::string sensor_id(const Reading& reading, std::string_view key, const json& value) {
  auto id = reading.text(key, value);
  if (!is_valid_sensor_id(id)) {
    reading.fail(ErrorCode::BadInput, key, printable_value(id),
                 "must be 1 to 64 characters from A-Z a-z 0-9 . _ : -");
  }
  return id;
}

std::string patient_of(const Reading& reading, const std::string& device,
                       const PayloadRules& rules) {
  const auto mapped = rules.device_patients.find(device);
  const auto* patient = reading.find("patient");
  if (patient == nullptr) {
    if (mapped == rules.device_patients.end()) {
      reading.fail(
          ErrorCode::MissingField, "patient", "",
          fmt::format("is required: device '{}' is not in the subscriber's device map", device));
    }
    return mapped->second;
  }
  auto id = sensor_id(reading, "patient", *patient);
  if (mapped != rules.device_patients.end() && mapped->second != id) {
    reading.fail(ErrorCode::BadInput, "patient", id,
                 fmt::format("contradicts the device map, which gives device '{}' to patient '{}'",
                             device, mapped->second));
  }
  return id;
}

const BiosensorQuantity& quantity_of(const Reading& reading) {
  const auto name = reading.text(
      "quantity", reading.require("quantity", "is required (a LOINC code or a short name)"));
  const auto* quantity = find_biosensor_quantity(name);
  if (quantity == nullptr) {
    std::string known;
    for (const auto& entry : biosensor_quantities()) {
      known += fmt::format("{}{} ({})", known.empty() ? "" : ", ", entry.short_name, entry.loinc);
    }
    reading.fail(ErrorCode::BadInput, "quantity", printable_value(name),
                 fmt::format("is not a quantity ptwin reads; known: {}", known));
  }
  return *quantity;
}

// The factor that takes a value in the payload's unit to SI, after the dimension check.
double unit_factor(const Reading& reading, const std::string& unit,
                   const BiosensorQuantity& quantity) {
  const bool is_printable_ascii =
      std::all_of(unit.begin(), unit.end(), [](char c) { return c > ' ' && c < '\x7f'; });
  if (unit.empty() || unit.size() > kMaxUnitLength || !is_printable_ascii) {
    reading.fail(ErrorCode::UnknownUnit, "unit", printable_value(unit),
                 "must be a UCUM unit: 1 to 64 printable ASCII characters without spaces");
  }
  // to_si's message names the field ("unit") and the unit as written; units are linear (no
  // offset units such as Cel in the parser), so the factor is the SI value of 1.
  return units::to_si(1.0, unit, quantity.dimension,
                      fmt::format("{}: unit (quantity {})", reading.source, quantity.short_name));
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}

std::int64_t nanos(std::chrono::milliseconds duration) {
  constexpr auto kMaxMillis = std::numeric_limits<std::int64_t>::max() / kNanosPerMilli;
  return std::min<std::int64_t>(duration.count(), kMaxMillis) * kNanosPerMilli;
}

// Epoch milliseconds of "t" as nanoseconds, inside the integer range of an Instant.
std::int64_t reading_time_ns(const Reading& reading) {
  const auto& t = reading.require("t", "is required (epoch milliseconds, UTC)");
  constexpr auto kMaxMillis = std::numeric_limits<std::int64_t>::max() / kNanosPerMilli;
  constexpr auto kMinMillis = std::numeric_limits<std::int64_t>::min() / kNanosPerMilli;
  if (!t.is_number_integer()) {
    reading.fail(ErrorCode::BadInput, "t", shown(t),
                 "must be an integer number of milliseconds since 1970-01-01T00:00:00Z");
  }
  if (t.is_number_unsigned()
          ? t.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxMillis)
          : (t.get<std::int64_t>() < kMinMillis || t.get<std::int64_t>() > kMaxMillis)) {
    reading.fail(ErrorCode::BadInput, "t", shown(t),
                 "is outside the range of a nanosecond instant (years 1677 to 2262)");
  }
  return t.get<std::int64_t>() * kNanosPerMilli;
}

void check_time_window(const Reading& reading, std::string_view field, std::int64_t time_ns,
                       std::string_view shown_time, const PayloadRules& rules,
                       time::Instant received_at) {
  const auto received_ns = time::to_epoch_ns(received_at);
  const auto earliest = saturating_add(received_ns, -nanos(rules.max_age));
  const auto latest = saturating_add(received_ns, nanos(rules.max_lead));
  if (time_ns < earliest || time_ns > latest) {
    reading.fail(ErrorCode::BadInput, field, std::string(shown_time),
                 fmt::format("({}) is outside the accepted window around its receipt at {}: at "
                             "most {} ms before and {} ms after",
                             time::format_iso8601(time::from_epoch_ns(time_ns)),
                             time::format_iso8601(received_at), rules.max_age.count(),
                             rules.max_lead.count()));
  }
}

double finite_number(const Reading& reading, std::string_view field, const json& value) {
  if (!value.is_number())
    reading.fail(ErrorCode::BadInput, field, shown(value), "must be a number");
  return value.get<double>();
}

double si_value(const Reading& reading, std::string_view field, double value, double factor,
                const std::string& unit) {
  const double si = value * factor;
  if (!std::isfinite(si)) {
    reading.fail(ErrorCode::BadInput, field, fmt::format("{} {}", value, printable_value(unit)),
                 "is too large to represent in SI units");
  }
  return si;
}

// The samples of a "values" chunk: value i is taken at t + i * interval_ms.
std::vector<Sample> read_chunk(const Reading& reading, const json& chunk, const Sample& prototype,
                               double factor, const PayloadRules& rules,
                               time::Instant received_at) {
  if (!chunk.is_array() || chunk.empty() || chunk.size() > rules.max_values) {
    reading.fail(ErrorCode::BadInput, "values", shown(chunk),
                 fmt::format("must be an array of 1 to {} numbers", rules.max_values));
  }
  const auto& interval =
      reading.require("interval_ms", "is required with values (milliseconds between two values)");
  const double interval_ms = finite_number(reading, "interval_ms", interval);
  if (!(interval_ms > 0.0 && interval_ms <= kMaxIntervalMs)) {
    reading.fail(ErrorCode::BadInput, "interval_ms", shown(interval),
                 "must be greater than 0 and at most 60000");
  }
  const auto offset_ns = [interval_ms](std::size_t index) {
    // At most 1e6 values * 60 s = 6e16 ns: exact enough in a double, far inside int64.
    return std::llround(static_cast<double>(index) * interval_ms *
                        static_cast<double>(kNanosPerMilli));
  };
  const auto start_ns = time::to_epoch_ns(prototype.time);
  std::int64_t last_ns = 0;
  const auto shown_last = fmt::format("last of {} values", chunk.size());
  if (__builtin_add_overflow(start_ns, offset_ns(chunk.size() - 1), &last_ns)) {
    reading.fail(ErrorCode::BadInput, "values", shown_last,
                 "ends beyond the range of a nanosecond instant (year 2262)");
  }
  check_time_window(reading, "values", last_ns, shown_last, rules, received_at);
  std::vector<Sample> samples;
  samples.reserve(chunk.size());
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    const auto field = fmt::format("values[{}]", i);
    Sample sample = prototype;
    sample.value_si = si_value(reading, field, finite_number(reading, field, chunk[i]), factor,
                               prototype.unit_of_origin);
    sample.time = time::from_epoch_ns(start_ns + offset_ns(i));
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace

bool is_valid_sensor_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

void validate(const PayloadRules& rules, std::string_view where) {
  if (rules.max_age.count() < 0) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.max_age", where),
                     fmt::format("{} ms", rules.max_age.count()), "must not be negative");
  }
  if (rules.max_lead.count() < 0) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.max_lead", where),
                     fmt::format("{} ms", rules.max_lead.count()), "must not be negative");
  }
  if (rules.max_payload_bytes < 1) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.max_payload_bytes", where), "0",
                     "must be at least 1");
  }
  if (rules.max_values < 1 || rules.max_values > kMaxValuesLimit) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.max_values", where),
                     fmt::format("{}", rules.max_values), "must be 1 to 1000000");
  }
  for (const auto& [device, patient] : rules.device_patients) {
    if (!is_valid_sensor_id(device) || !is_valid_sensor_id(patient)) {
      throw InputError(
          ErrorCode::BadInput, fmt::format("{}.device_patients", where),
          printable_value(fmt::format("{} -> {}", device, patient)),
          "device and patient ids must be 1 to 64 characters from A-Z a-z 0-9 . _ : -");
    }
  }
}

std::vector<Sample> parse_biosensor_payload(std::string_view payload, std::string_view source,
                                            const PayloadRules& rules, time::Instant received_at) {
  const json document = parse_document(payload, source, rules);
  const Reading reading{source, document};
  reject_unknown_keys(reading);
  const auto device = sensor_id(reading, "device", reading.require("device", "is required"));
  Sample prototype;
  prototype.patient_id = patient_of(reading, device, rules);
  const auto& quantity = quantity_of(reading);
  prototype.code = std::string(quantity.loinc);
  prototype.unit_of_origin =
      reading.text("unit", reading.require("unit", "is required (a UCUM unit such as /min)"));
  prototype.source_id = fmt::format("{}#{}", source, device);
  const double factor = unit_factor(reading, prototype.unit_of_origin, quantity);
  const auto start_ns = reading_time_ns(reading);
  check_time_window(reading, "t", start_ns, shown(document.at("t")), rules, received_at);
  prototype.time = time::from_epoch_ns(start_ns);

  const auto* single = reading.find("value");
  const auto* chunk = reading.find("values");
  if ((single == nullptr) == (chunk == nullptr)) {
    reading.fail(single == nullptr ? ErrorCode::MissingField : ErrorCode::BadInput, "value",
                 single == nullptr ? "" : shown(*single),
                 "a message holds exactly one of value (one reading) and values (a chunk)");
  }
  if (single == nullptr) return read_chunk(reading, *chunk, prototype, factor, rules, received_at);
  if (const auto* interval = reading.find("interval_ms")) {
    reading.fail(ErrorCode::BadInput, "interval_ms", shown(*interval),
                 "is only allowed with values (a waveform chunk)");
  }
  prototype.value_si = si_value(reading, "value", finite_number(reading, "value", *single), factor,
                                prototype.unit_of_origin);
  return {prototype};
}

}  // namespace ptwin::ingest::mqtt
