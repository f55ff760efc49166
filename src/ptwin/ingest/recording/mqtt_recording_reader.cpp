// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"

#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"

namespace ptwin::ingest::recording {
namespace {

namespace od = simdjson::ondemand;

// MQTT 3.1.1 §4.7: a topic name is 1 to 65535 bytes of UTF-8 and a published one holds no
// wildcard. Recorded topics are kept short and printable so that they can be quoted whole.
constexpr std::size_t kMaxTopicBytes = 256;

// Where an error points: "<name>:<line>: <field>".
struct LinePlace {
  std::string_view name;
  std::int64_t line;
  [[nodiscard]] std::string at(std::string_view field) const {
    return fmt::format("{}:{}: {}", name, line, field);
  }
};

[[noreturn]] void not_json(const LinePlace& place, std::string_view bytes,
                           simdjson::error_code code) {
  throw InputError(ErrorCode::BadInput, place.at("line"), printable_value(bytes),
                   fmt::format("is not a JSON object ({}); each line of a recording is one",
                               simdjson::error_message(code)));
}

// The object of a whole line: a root that is an object and nothing after it.
template <typename Visit>
void for_each_field(od::parser& parser, const LinePlace& place, std::string_view bytes,
                    Visit&& visit) {
  const simdjson::padded_string padded(bytes);
  od::document document;
  if (const auto error = parser.iterate(padded).get(document); error) {
    not_json(place, bytes, error);
  }
  od::object object;
  if (const auto error = document.get_object().get(object); error) not_json(place, bytes, error);
  std::set<std::string, std::less<>> seen;
  for (auto field_result : object) {
    od::field field;
    if (const auto error = std::move(field_result).get(field); error) not_json(place, bytes, error);
    std::string_view key;
    if (const auto error = field.unescaped_key().get(key); error) not_json(place, bytes, error);
    if (!seen.emplace(key).second) {
      throw InputError(ErrorCode::BadInput, place.at(key), printable_value(key),
                       "appears twice in one object; a recording must be unambiguous");
    }
    visit(std::string(key), field.value());
  }
  // In bounds after the root object's last field means something follows it.
  const char* after = nullptr;
  if (document.current_location().get(after) == simdjson::SUCCESS) {
    not_json(place, bytes, simdjson::TRAILING_CONTENT);
  }
}

std::string text_of(const LinePlace& place, std::string_view field, od::value value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    throw InputError(ErrorCode::BadInput, place.at(field),
                     printable_value(std::string_view(value.raw_json_token())),
                     "must be a JSON string");
  }
  return std::string(text);
}

std::int64_t integer_of(const LinePlace& place, std::string_view field, od::value value) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) {
    throw InputError(ErrorCode::BadInput, place.at(field),
                     printable_value(std::string_view(value.raw_json_token())),
                     "must be an integer");
  }
  return number;
}

void require(const LinePlace& place, bool is_present, std::string_view field,
             std::string_view rule) {
  if (!is_present) throw InputError(ErrorCode::MissingField, place.at(field), "", std::string(rule));
}

RecordingHeader read_header(od::parser& parser, const LinePlace& place, std::string_view bytes) {
  RecordingHeader header;
  std::optional<std::string> format;
  std::optional<std::int64_t> version;
  bool has_patient = false;
  bool has_synthetic = false;
  for_each_field(parser, place, bytes, [&](const std::string& key, od::value value) {
    if (key == "format") {
      format = text_of(place, key, value);
    } else if (key == "version") {
      version = integer_of(place, key, value);
    } else if (key == "patient") {
      header.patient_id = text_of(place, key, value);
      has_patient = true;
    } else if (key == "synthetic") {
      if (value.get_bool().get(header.is_synthetic) != simdjson::SUCCESS) {
        throw InputError(ErrorCode::BadInput, place.at(key),
                         printable_value(std::string_view(value.raw_json_token())),
                         "must be true or false");
      }
      has_synthetic = true;
    } else if (key == "description") {
      header.description = text_of(place, key, value);
    } else {
      throw InputError(ErrorCode::UnknownField, place.at(key), printable_value(key),
                       "is not a field of a recording header (format, version, patient, "
                       "synthetic, description)");
    }
  });
  require(place, format.has_value(), "format",
          fmt::format("is required: the first line of a recording names its format, \"{}\"",
                      kRecordingFormat));
  if (*format != kRecordingFormat) {
    throw InputError(ErrorCode::BadInput, place.at("format"), printable_value(*format),
                     fmt::format("is not a format ptwin reads; expected \"{}\"", kRecordingFormat));
  }
  require(place, version.has_value(), "version", "is required");
  if (*version != kRecordingVersion) {
    throw InputError(ErrorCode::BadInput, place.at("version"), std::to_string(*version),
                     fmt::format("is not a version this ptwin reads; it reads {}",
                                 kRecordingVersion));
  }
  header.version = kRecordingVersion;
  require(place, has_patient, "patient", "is required: a recording is of one patient");
  if (!mqtt::is_valid_sensor_id(header.patient_id)) {
    throw InputError(ErrorCode::BadInput, place.at("patient"), printable_value(header.patient_id),
                     "must be 1 to 64 characters from A-Z a-z 0-9 . _ : -");
  }
  require(place, has_synthetic, "synthetic",
          "is required: a recording states whether it was generated or taken from a person");
  return header;
}

bool is_publishable_topic(std::string_view topic) {
  if (topic.empty() || topic.size() > kMaxTopicBytes) return false;
  for (const char c : topic) {
    if (c == '+' || c == '#' || c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// The message read last, which the next one may not precede.
struct PreviousMessage {
  std::int64_t line = 0;
  time::Instant received_at{};
};

// Reads one message line; throws InputError naming the line and the field.
RecordedMessage read_message(od::parser& parser, const LinePlace& place, std::string_view bytes,
                             const RecordingHeader& header,
                             const std::optional<PreviousMessage>& previous) {
  std::optional<std::int64_t> received_ms;
  std::optional<std::string> topic;
  std::optional<std::string> payload;
  for_each_field(parser, place, bytes, [&](const std::string& key, od::value value) {
    if (key == "received_ms") {
      received_ms = integer_of(place, key, value);
    } else if (key == "topic") {
      topic = text_of(place, key, value);
    } else if (key == "payload") {
      od::object object;
      std::string_view raw;
      if (value.get_object().get(object) != simdjson::SUCCESS ||
          object.raw_json().get(raw) != simdjson::SUCCESS) {
        throw InputError(ErrorCode::BadInput, place.at(key),
                         printable_value(std::string_view(value.raw_json_token())),
                         "must be the biosensor message as a JSON object (docs/mqtt.md#payload)");
      }
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r')) {
        raw.remove_suffix(1);
      }
      payload = std::string(raw);
    } else {
      throw InputError(ErrorCode::UnknownField, place.at(key), printable_value(key),
                       "is not a field of a recorded message (received_ms, topic, payload)");
    }
  });
  require(place, received_ms.has_value(), "received_ms",
          "is required: when the broker delivered the message, integer ms since 1970-01-01Z");
  require(place, topic.has_value(), "topic", "is required");
  require(place, payload.has_value(), "payload", "is required");
  RecordedMessage message;
  message.line = place.line;
  try {
    message.received_at = time::from_epoch_ms(*received_ms);
  } catch (const InputError& error) {
    throw InputError(error.code(), place.at("received_ms"), std::to_string(*received_ms),
                     error.rule());
  }
  if (previous && message.received_at < previous->received_at) {
    throw InputError(ErrorCode::BadInput, place.at("received_ms"), std::to_string(*received_ms),
                     fmt::format("is earlier than line {}'s ({}); a recording lists messages in "
                                 "the order they were received",
                                 previous->line, time::format_iso8601(previous->received_at)));
  }
  if (!is_publishable_topic(*topic)) {
    throw InputError(ErrorCode::BadInput, place.at("topic"), printable_value(*topic),
                     "must be 1 to 256 printable ASCII characters without spaces or the "
                     "wildcards + and #");
  }
  message.topic = *topic;
  const auto source = fmt::format("mqtt:{}", *topic);
  try {
    message.samples = mqtt::parse_biosensor_payload(*payload, source, mqtt::PayloadRules{},
                                                    message.received_at);
  } catch (const InputError& error) {
    throw InputError(error.code(), fmt::format("{}:{}: payload ({})", place.name, place.line,
                                               error.where()),
                     error.value(), error.rule());
  }
  for (const auto& sample : message.samples) {
    if (sample.patient_id != header.patient_id) {
      throw InputError(ErrorCode::BadInput, place.at("payload.patient"),
                       printable_value(sample.patient_id),
                       fmt::format("is not the recording's patient '{}' (line 1)",
                                   header.patient_id));
    }
  }
  return message;
}

}  // namespace

MqttRecording read_mqtt_recording(std::istream& input, std::string_view name) {
  fhir::bulk::NdjsonLineReader lines(input, kMaxLineBytes);
  const auto first = lines.next();
  if (!first) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}:1: header", name), "",
                     fmt::format("is required: the file is empty, and a recording starts with "
                                 "{{\"format\": \"{}\", ...}}",
                                 kRecordingFormat));
  }
  const LinePlace header_place{name, first->number};
  if (first->is_too_long) {
    throw InputError(ErrorCode::BadInput, header_place.at("line"),
                     fmt::format("{} bytes", first->length),
                     fmt::format("is longer than {} bytes", kMaxLineBytes));
  }
  od::parser parser;  // reused from line to line: its buffers grow once
  MqttRecording recording;
  recording.header = read_header(parser, header_place, first->bytes);
  std::optional<PreviousMessage> previous;
  while (const auto line = lines.next()) {
    const LinePlace place{name, line->number};
    try {
      if (line->is_too_long) {
        throw InputError(ErrorCode::BadInput, place.at("line"),
                         fmt::format("{} bytes", line->length),
                         fmt::format("is longer than {} bytes", kMaxLineBytes));
      }
      auto message = read_message(parser, place, line->bytes, recording.header, previous);
      previous = PreviousMessage{message.line, message.received_at};
      recording.entries.emplace_back(std::move(message));
    } catch (const InputError& error) {
      recording.entries.emplace_back(RejectedLine{
          line->number, error.code(),
          store::QuarantineEntry{fmt::format("{}:{}", name, line->number), error.what(),
                                 std::string(line->bytes),
                                 previous ? previous->received_at : time::Instant{}}});
    }
  }
  return recording;
}

MqttRecording read_mqtt_recording_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(ErrorCode::Io, fmt::format("{}: cannot open the recording for reading",
                                           path.string()));
  }
  return read_mqtt_recording(file, path.filename().string());
}

}  // namespace ptwin::ingest::recording
