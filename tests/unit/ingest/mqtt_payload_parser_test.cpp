// SPDX-License-Identifier: Apache-2.0
// The biosensor payload parser (docs/mqtt.md#payload): accepted payloads give SI samples at UTC
// instants; every rejected one throws an InputError whose message names the field and quotes
// the offending value.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/ingest/mqtt/quantity_table.hpp"

namespace ptwin::ingest::mqtt {
namespace {

constexpr std::string_view kSource = "mqtt:icu/bed4/vitals";
// 2026-11-20T08:15:00Z, when the test broker "delivered" every payload.
constexpr std::int64_t kReceivedMs = 1'795'162'500'000;
const time::Instant kReceivedAt = time::from_epoch_ms(kReceivedMs);

std::vector<Sample> parse(std::string_view payload, const PayloadRules& rules = {}) {
  return parse_biosensor_payload(payload, kSource, rules, kReceivedAt);
}

// The InputError for `payload`, checked for its code and for every fragment in its message.
void expect_rejected(std::string_view payload, ErrorCode code,
                     std::initializer_list<std::string_view> fragments,
                     const PayloadRules& rules = {}) {
  SCOPED_TRACE(std::string(payload));
  try {
    (void)parse(payload, rules);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    const std::string message = error.what();
    EXPECT_TRUE(message.starts_with(std::string(kSource) + ": ")) << message;
    for (const auto fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "'" << fragment << "' not in: " << message;
    }
  }
}

TEST(MqttPayloadParser, ReadsOneValueIntoSiAtItsUtcInstant) {
  const auto samples =
      parse(R"({"device":"mon-7","patient":"p1","quantity":"systolic_pressure","unit":"mm[Hg]",)"
            R"("value":120,"t":1795162499500})");
  ASSERT_EQ(samples.size(), 1U);
  const auto& sample = samples[0];
  EXPECT_EQ(sample.patient_id, "p1");
  EXPECT_EQ(sample.code, "8480-6");
  EXPECT_DOUBLE_EQ(sample.value_si, 120.0 * units::kPaPerMmHg);
  EXPECT_EQ(sample.unit_of_origin, "mm[Hg]");
  EXPECT_EQ(time::to_epoch_ns(sample.time), 1'795'162'499'500'000'000);
  EXPECT_EQ(sample.source_id, "mqtt:icu/bed4/vitals#mon-7");
  EXPECT_EQ(sample.quality, SampleQuality::Good);
}

TEST(MqttPayloadParser, AcceptsTheLoincCodeAsWellAsTheShortName) {
  const auto by_code =
      parse(R"({"device":"mon-7","patient":"p1","quantity":"8867-4","unit":"/min","value":72,)"
            R"("t":1795162500000})");
  ASSERT_EQ(by_code.size(), 1U);
  EXPECT_EQ(by_code[0].code, "8867-4");
  EXPECT_DOUBLE_EQ(by_code[0].value_si, 72.0 / 60.0);  // Hz
}

TEST(MqttPayloadParser, SpreadsAWaveformChunkOverItsInterval) {
  // 4 ms = 250 Hz; the third value is at t + 8 ms.
  const auto samples = parse(R"({"device":"oxi-2","patient":"p1","quantity":"spo2","unit":"%",)"
                             R"("values":[97,96.5,98],"interval_ms":4,"t":1795162500000})");
  ASSERT_EQ(samples.size(), 3U);
  EXPECT_DOUBLE_EQ(samples[1].value_si, 0.965);
  EXPECT_EQ(time::to_epoch_ns(samples[0].time), kReceivedMs * 1'000'000);
  EXPECT_EQ(time::to_epoch_ns(samples[2].time), kReceivedMs * 1'000'000 + 8'000'000);
  EXPECT_EQ(samples[2].code, "59408-5");
}

TEST(MqttPayloadParser, KeepsSubMillisecondIntervalsExact) {
  // 256 Hz: 3.90625 ms, exact in binary; value 256 would be one second later.
  const auto samples =
      parse(R"({"device":"oxi-2","patient":"p1","quantity":"heart_rate","unit":"/min",)"
            R"("values":[60,61,62],"interval_ms":3.90625,"t":1795162500000})");
  ASSERT_EQ(samples.size(), 3U);
  EXPECT_EQ(time::to_epoch_ns(samples[2].time) - time::to_epoch_ns(samples[0].time), 7'812'500);
}

TEST(MqttPayloadParser, TakesThePatientFromTheDeviceMap) {
  PayloadRules rules;
  rules.device_patients.emplace("mon-7", "p9");
  const auto samples = parse(
      R"({"device":"mon-7","quantity":"heart_rate","unit":"/min","value":70,"t":1795162500000})",
      rules);
  ASSERT_EQ(samples.size(), 1U);
  EXPECT_EQ(samples[0].patient_id, "p9");
}

TEST(MqttPayloadParser, AcceptsTimesAtTheEdgesOfTheWindow) {
  PayloadRules rules;
  rules.max_age = std::chrono::minutes{1};
  rules.max_lead = std::chrono::seconds{2};
  EXPECT_EQ(parse(R"({"device":"d","patient":"p1","quantity":"heart_rate","unit":"/min",)"
                  R"("value":70,"t":1795162440000})",
                  rules)
                .size(),
            1U);
  EXPECT_EQ(parse(R"({"device":"d","patient":"p1","quantity":"heart_rate","unit":"/min",)"
                  R"("value":70,"t":1795162502000})",
                  rules)
                .size(),
            1U);
}

TEST(MqttPayloadParser, EveryKnownQuantityHasALoincCodeAndADistinctName) {
  for (const auto& quantity : biosensor_quantities()) {
    EXPECT_EQ(find_biosensor_quantity(quantity.short_name), &quantity);
    EXPECT_EQ(find_biosensor_quantity(quantity.loinc), &quantity);
  }
  EXPECT_EQ(find_biosensor_quantity("Heart_Rate"), nullptr);
}

TEST(MqttPayloadParser, RejectsWhatIsNotAJsonObject) {
  expect_rejected("", ErrorCode::BadInput, {"payload: ''", "is empty"});
  expect_rejected("hr=72", ErrorCode::BadInput, {"payload: 'hr=72'", "is not valid JSON"});
  expect_rejected(std::string("{\"device\":\"a\0b\"}", 16), ErrorCode::BadInput,
                  {"payload: '{\"device\":\"a\\x00b\"}'", "is not valid JSON"});
  // Bytes outside printable ASCII are escaped, so that the reason is valid text.
  expect_rejected("\xff\xfe\xc3\xa9", ErrorCode::BadInput,
                  {"payload: '\\xff\\xfe\\xc3\\xa9'", "is not valid JSON"});
  expect_rejected("[72]", ErrorCode::BadInput, {"payload: '[72]'", "must be a JSON object"});
  expect_rejected(R"({"value":1e400})", ErrorCode::BadInput,
                  {"payload: '{\"value\":1e400}'", "beyond the range of a double"});
  expect_rejected(R"({"a":[[[[[[[[[1]]]]]]]]]})", ErrorCode::BadInput,
                  {"payload: '{\"a\":[[[[", "deeper than 8 levels"});
  PayloadRules rules;
  rules.max_payload_bytes = 8;
  expect_rejected(R"({"value":72})", ErrorCode::BadInput,
                  {"payload: '{\"value\":72}'", "is 12 bytes; the limit is 8"}, rules);
}

TEST(MqttPayloadParser, RejectsRepeatedAndUnknownKeys) {
  expect_rejected(R"({"value":1,"value":2})", ErrorCode::BadInput,
                  {"vitals: value: 'value'", "appears twice"});
  expect_rejected(R"({"device":"d","vaule":2})", ErrorCode::UnknownField,
                  {"vitals: vaule: 'vaule'", "is not a field"});
}

TEST(MqttPayloadParser, RejectsMissingOrMalformedIds) {
  expect_rejected(R"({"patient":"p1"})", ErrorCode::MissingField, {"vitals: device: ''"});
  expect_rejected(R"({"device":42})", ErrorCode::BadInput, {"device: '42'", "must be a string"});
  expect_rejected(R"({"device":"bed 4"})", ErrorCode::BadInput,
                  {"device: 'bed 4'", "1 to 64 characters"});
  expect_rejected(R"({"device":"mon-7"})", ErrorCode::MissingField,
                  {"patient: ''", "device 'mon-7' is not in the subscriber's device map"});
  PayloadRules rules;
  rules.device_patients.emplace("mon-7", "p9");
  expect_rejected(R"({"device":"mon-7","patient":"p1"})", ErrorCode::BadInput,
                  {"patient: 'p1'", "gives device 'mon-7' to patient 'p9'"}, rules);
}

TEST(MqttPayloadParser, RejectsUnknownQuantitiesAndUnits) {
  const std::string head = R"({"device":"d","patient":"p1",)";
  expect_rejected(head + R"("quantity":"temperature"})", ErrorCode::BadInput,
                  {"quantity: 'temperature'", "heart_rate (8867-4)"});
  expect_rejected(head + R"("quantity":"heart_rate"})", ErrorCode::MissingField, {"unit: ''"});
  expect_rejected(head + R"("quantity":"heart_rate","unit":"beats per min"})",
                  ErrorCode::UnknownUnit, {"unit: 'beats per min'", "printable ASCII"});
  expect_rejected(head + R"("quantity":"heart_rate","unit":"/mni"})", ErrorCode::UnknownUnit,
                  {"unit (quantity heart_rate): '/mni'"});
  expect_rejected(head + R"("quantity":"heart_rate","unit":"mm[Hg]"})", ErrorCode::UnitMismatch,
                  {"unit (quantity heart_rate): 'mm[Hg]'", "needs T^-1"});
}

TEST(MqttPayloadParser, RejectsTimesOutsideTheWindowOrNotInMilliseconds) {
  const std::string head =
      R"({"device":"d","patient":"p1","quantity":"heart_rate","unit":"/min","value":70,)";
  expect_rejected(head.substr(0, head.size() - 1) + "}", ErrorCode::MissingField,
                  {"t: ''", "epoch milliseconds"});
  expect_rejected(head + R"("t":"2026-11-20T08:15:00Z"})", ErrorCode::BadInput,
                  {"t: '2026-11-20T08:15:00Z'", "integer number of milliseconds"});
  expect_rejected(head + R"("t":1795162500000.5})", ErrorCode::BadInput,
                  {"t: '1795162500000.5'", "integer"});
  expect_rejected(head + R"("t":1795162500})", ErrorCode::BadInput,  // seconds, not ms
                  {"t: '1795162500'", "(1970-01-21T18:39:22.500Z) is outside the accepted window",
                   "2026-11-20T08:15:00Z"});
  expect_rejected(head + R"("t":1795162800001})", ErrorCode::BadInput,  // 5 min + 1 ms ahead
                  {"t: '1795162800001'", "outside the accepted window"});
  expect_rejected(head + R"("t":18446744073709551615})", ErrorCode::BadInput,
                  {"t: '18446744073709551615'", "outside the range of a nanosecond instant"});
}

TEST(MqttPayloadParser, RejectsValuesThatAreNotFiniteNumbers) {
  const std::string head =
      R"({"device":"d","patient":"p1","quantity":"systolic_pressure","unit":"mm[Hg]",)"
      R"("t":1795162500000,)";
  expect_rejected(head + R"("value":"120"})", ErrorCode::BadInput,
                  {"value: '120'", "must be a number"});
  expect_rejected(head + R"("value":true})", ErrorCode::BadInput, {"value: 'true'"});
  expect_rejected(head + R"("value":1e307})", ErrorCode::BadInput,
                  {"value: '1e+307 mm[Hg]'", "too large to represent in SI"});
  expect_rejected(head.substr(0, head.size() - 1) + "}", ErrorCode::MissingField,
                  {"value: ''", "exactly one of"});
  expect_rejected(head + R"("value":1,"values":[1],"interval_ms":1})", ErrorCode::BadInput,
                  {"value: '1'", "exactly one of"});
  expect_rejected(head + R"("value":120,"interval_ms":4})", ErrorCode::BadInput,
                  {"interval_ms: '4'", "only allowed with values"});
}

TEST(MqttPayloadParser, RejectsMalformedWaveformChunks) {
  const std::string head =
      R"({"device":"d","patient":"p1","quantity":"mean_pressure","unit":"kPa",)"
      R"("t":1795162500000,)";
  expect_rejected(head + R"("values":[],"interval_ms":4})", ErrorCode::BadInput,
                  {"values: '[]'", "array of 1 to 10000 numbers"});
  expect_rejected(head + R"("values":12,"interval_ms":4})", ErrorCode::BadInput, {"values: '12'"});
  expect_rejected(head + R"("values":[12]})", ErrorCode::MissingField, {"interval_ms: ''"});
  expect_rejected(head + R"("values":[12],"interval_ms":0})", ErrorCode::BadInput,
                  {"interval_ms: '0'", "greater than 0"});
  expect_rejected(head + R"("values":[12],"interval_ms":-4})", ErrorCode::BadInput,
                  {"interval_ms: '-4'"});
  expect_rejected(head + R"("values":[12, null, 13],"interval_ms":4})", ErrorCode::BadInput,
                  {"values[1]: 'null'", "must be a number"});
  // 7 values a minute apart end 6 min after t: beyond the 5 min lead.
  expect_rejected(head + R"("values":[1,2,3,4,5,6,7],"interval_ms":60000})", ErrorCode::BadInput,
                  {"values: 'last of 7 values'", "outside the accepted window"});
  PayloadRules rules;
  rules.max_values = 2;
  expect_rejected(head + R"("values":[1,2,3],"interval_ms":4})", ErrorCode::BadInput,
                  {"values: '[1,2,3]'", "1 to 2 numbers"}, rules);
}

TEST(MqttPayloadParser, ValidatesItsRules) {
  PayloadRules rules;
  rules.max_age = std::chrono::milliseconds{-1};
  EXPECT_THROW(validate(rules, "mqtt.payload"), InputError);
  rules = {};
  rules.max_values = 0;
  EXPECT_THROW(validate(rules, "mqtt.payload"), InputError);
  rules = {};
  rules.device_patients.emplace("mon 7", "p1");
  try {
    validate(rules, "mqtt.payload");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("mqtt.payload.device_patients: 'mon 7 -> p1'"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace ptwin::ingest::mqtt
