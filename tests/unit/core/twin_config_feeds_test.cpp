// SPDX-License-Identifier: Apache-2.0
// The feeds: and serve: sections of the twin declaration
// (docs/serve.md#configuration): a full section gives every value, an absent
// one the documented defaults, and every bad key or value is reported with its
// path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ptwin/core/twin_config.hpp"

namespace ptwin {
namespace {

constexpr const char* kRequiredSections = R"(
twin: {id: icu_bed_4}
patient: {fhir_bundle: bundle.json}
model: {kind: zerod, file: model.json}
personalisation: {enabled: false}
)";

TwinConfig parse(const std::string& sections) {
  return parse_twin_config(kRequiredSections + sections, "/cfg", "twin.yaml");
}

// Every problem of a declaration whose feeds:/serve: part is `sections` (none
// if it is valid).
std::vector<ConfigProblem> problems_of(const std::string& sections) {
  try {
    (void)parse(sections);
  } catch (const TwinConfigError& error) {
    return error.problems();
  }
  return {};
}

TEST(TwinConfigFeeds, ReadsEveryFeedAndTheServeSection) {
  const auto config = parse(R"(
feeds:
  mqtt:
    host: broker.icu.local
    port: 8883
    client_id: ptwin-bed4
    topics:
      - {filter: icu/bed4/+/vitals, qos: 1}
      - {filter: icu/bed4/#, qos: 0}
    clock_tracking: correct
  hl7v2:
    address: 0.0.0.0
    port: 12575
    zone_offsets: {MONITOR/ICU: "+01:00", LAB/MAIN: "-05:30"}
  fhir_subscription:
    ehr_base_url: https://ehr.example.org/fhir
    topic: http://example.org/SubscriptionTopic/vitals
    filter: {patient: Patient/p1}
    subscription_id: bed4-vitals
    address: 10.0.0.5
    port: 9443
    heartbeat_period_s: 30
serve: {address: 0.0.0.0, port: 9090}
)");
  ASSERT_TRUE(config.feeds.mqtt);
  const auto& mqtt = *config.feeds.mqtt;
  EXPECT_EQ(mqtt.host, "broker.icu.local");
  EXPECT_EQ(mqtt.port, 8883);
  EXPECT_EQ(mqtt.client_id, "ptwin-bed4");
  EXPECT_EQ(mqtt.topics,
            (std::vector<MqttTopicConfig>{{"icu/bed4/+/vitals", 1}, {"icu/bed4/#", 0}}));
  EXPECT_EQ(mqtt.clock_tracking, ClockTracking::Correct);
  ASSERT_TRUE(config.feeds.hl7v2);
  EXPECT_EQ(config.feeds.hl7v2->address, "0.0.0.0");
  EXPECT_EQ(config.feeds.hl7v2->port, 12575);
  EXPECT_EQ(config.feeds.hl7v2->zone_offsets.at("MONITOR/ICU"), std::chrono::minutes(60));
  EXPECT_EQ(config.feeds.hl7v2->zone_offsets.at("LAB/MAIN"), std::chrono::minutes(-330));
  ASSERT_TRUE(config.feeds.fhir_subscription);
  const auto& fhir = *config.feeds.fhir_subscription;
  EXPECT_EQ(fhir.ehr_base_url, "https://ehr.example.org/fhir");
  EXPECT_EQ(fhir.topic, "http://example.org/SubscriptionTopic/vitals");
  EXPECT_EQ(fhir.filter.at("patient"), "Patient/p1");
  EXPECT_EQ(fhir.subscription_id, "bed4-vitals");
  EXPECT_EQ(fhir.address, "10.0.0.5");
  EXPECT_EQ(fhir.port, 9443);
  EXPECT_EQ(fhir.heartbeat_period_s, 30);
  EXPECT_EQ(config.serve.address, "0.0.0.0");
  EXPECT_EQ(config.serve.port, 9090);
}

TEST(TwinConfigFeeds, FillsDocumentedDefaults) {
  const auto none = parse("");
  EXPECT_FALSE(none.feeds.mqtt);
  EXPECT_FALSE(none.feeds.hl7v2);
  EXPECT_FALSE(none.feeds.fhir_subscription);
  EXPECT_EQ(none.serve.address, "127.0.0.1");
  EXPECT_EQ(none.serve.port, 8090);
  const auto config = parse(R"(
feeds:
  mqtt: {client_id: c, topics: [{filter: a/b}]}
  hl7v2: {}
  fhir_subscription: {ehr_base_url: "http://127.0.0.1:8080/fhir", topic: "http://t.org/x"}
)");
  EXPECT_EQ(config.feeds.mqtt->host, "127.0.0.1");
  EXPECT_EQ(config.feeds.mqtt->port, 1883);
  EXPECT_EQ(config.feeds.mqtt->topics.front().qos, 1);
  EXPECT_EQ(config.feeds.mqtt->clock_tracking, ClockTracking::Estimate);
  EXPECT_EQ(config.feeds.hl7v2->address, "127.0.0.1");
  EXPECT_EQ(config.feeds.hl7v2->port, 2575);
  EXPECT_TRUE(config.feeds.hl7v2->zone_offsets.empty());
  const auto& fhir = *config.feeds.fhir_subscription;
  EXPECT_EQ(fhir.subscription_id,
            "ptwin-icu-bed-4");  // '_' is not allowed in FHIR ids
  EXPECT_TRUE(fhir.filter.empty());
  EXPECT_EQ(fhir.address, "127.0.0.1");
  EXPECT_EQ(fhir.port, 8091);
  EXPECT_EQ(fhir.heartbeat_period_s, 60);
}

TEST(TwinConfigFeeds, ReportsEachBadKeyOrValueWithItsPath) {
  const struct {
    const char* yaml;
    const char* path;
    const char* rule;
  } cases[] = {
      {"feeds: {kafka: {}}", "feeds.kafka", "is not a known key of 'feeds'"},
      {"feeds: [mqtt]", "feeds", "must be a map"},
      {"feeds: {mqtt: {topics: [{filter: a}]}}", "feeds.mqtt.client_id", "is required"},
      {"feeds: {mqtt: {client_id: c}}", "feeds.mqtt.topics", "is required"},
      {"feeds: {mqtt: {client_id: c, topics: []}}", "feeds.mqtt.topics", "non-empty list"},
      {"feeds: {mqtt: {client_id: 'a b', topics: [{filter: a}]}}", "feeds.mqtt.client_id",
       "without spaces"},
      {"feeds: {mqtt: {client_id: c, port: 0, topics: [{filter: a}]}}", "feeds.mqtt.port",
       "from 1 to 65535"},
      {"feeds: {mqtt: {client_id: c, host: 'mqtt://x', topics: [{filter: a}]}}", "feeds.mqtt.host",
       "no scheme or path"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: a/b#}]}}", "feeds.mqtt.topics[0].filter",
       "MQTT topic filter"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: '#/a'}]}}", "feeds.mqtt.topics[0].filter",
       "# only last"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: a, qos: 2}]}}", "feeds.mqtt.topics[0].qos",
       "from 0 to 1"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: a}, {filter: a}]}}",
       "feeds.mqtt.topics[1].filter", "repeats"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: a, filtr: b}]}}",
       "feeds.mqtt.topics[0].filtr", "did you mean 'filter'"},
      {"feeds: {mqtt: {client_id: c, topics: [{filter: a}], clock_tracking: "
       "off}}",
       "feeds.mqtt.clock_tracking", "is not one of estimate, correct"},
      {"feeds: {hl7v2: {port: 70000}}", "feeds.hl7v2.port", "from 0 to 65535"},
      {"feeds: {hl7v2: {zone_offsets: {MONITOR/ICU: '+15:00'}}}",
       "feeds.hl7v2.zone_offsets[MONITOR/ICU]", "at most 14 hours"},
      {"feeds: {hl7v2: {zone_offsets: {MONITOR/ICU: 'Europe/Paris'}}}",
       "feeds.hl7v2.zone_offsets[MONITOR/ICU]", "+HH:MM"},
      {"feeds: {hl7v2: {zone_offsets: {ICU: '+01:00'}}}", "feeds.hl7v2.zone_offsets[ICU]",
       "<sending application>/<sending facility>"},
      {"feeds: {hl7v2: {zone_offsets: [a]}}", "feeds.hl7v2.zone_offsets", "must be a map"},
      {"feeds: {fhir_subscription: {topic: 'http://t/x'}}", "feeds.fhir_subscription.ehr_base_url",
       "is required"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'ftp://ehr/fhir', topic: "
       "'http://t/x'}}",
       "feeds.fhir_subscription.ehr_base_url", "FHIR base"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://ehr/fhir'}}",
       "feeds.fhir_subscription.topic", "is required"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://ehr/fhir', topic: "
       "vitals}}",
       "feeds.fhir_subscription.topic", "canonical URL"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://e/f', topic: "
       "'http://t/x', "
       "subscription_id: 'a_b'}}",
       "feeds.fhir_subscription.subscription_id", "must be a FHIR id"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://e/f', topic: "
       "'http://t/x', "
       "filter: {Patient: p1}}}",
       "feeds.fhir_subscription.filter[Patient]", "search parameter name"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://e/f', topic: "
       "'http://t/x', "
       "filter: {patient: ''}}}",
       "feeds.fhir_subscription.filter[patient]", "must not be empty"},
      {"feeds: {fhir_subscription: {ehr_base_url: 'http://e/f', topic: "
       "'http://t/x', "
       "heartbeat_period_s: 0}}",
       "feeds.fhir_subscription.heartbeat_period_s", "from 1 to 86400"},
      {"serve: {port: -1}", "serve.port", "from 0 to 65535"},
      {"serve: {adress: 0.0.0.0}", "serve.adress", "did you mean 'address'"},
      {"feeds: {hl7v2: {port: 9000}}\nserve: {port: 9000}", "feeds.hl7v2.port",
       "is also serve.port"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    const auto problems = problems_of(c.yaml);
    ASSERT_EQ(problems.size(), 1U) << (problems.empty() ? "no problem" : problems.back().path);
    EXPECT_EQ(problems.front().path, c.path);
    EXPECT_NE(problems.front().rule.find(c.rule), std::string::npos) << problems.front().rule;
  }
}

TEST(TwinConfigFeeds, ReportsProblemsOfSeveralFeedsAtOnce) {
  const auto problems = problems_of(R"(
feeds:
  mqtt: {port: x, topics: [{filter: "a/#/b", qos: 2}]}
  hl7v2: {port: x}
serve: {port: x}
)");
  std::vector<std::string> paths;
  for (const auto& problem : problems) paths.push_back(problem.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"feeds.mqtt.port", "feeds.mqtt.client_id",
                                             "feeds.mqtt.topics[0].filter",
                                             "feeds.mqtt.topics[0].qos", "feeds.hl7v2.port",
                                             "serve.port"}));
}

TEST(TwinConfigFeeds, ReadsTheFhirOutputsOfServeWithPathsResolvedAndDefaults) {
  const auto config = parse(R"(
serve:
  port: 9090
  fhir_outputs:
    database: out/fhir.db
    base_path: /twin/fhir
    ehr_base_url: https://ehr.example.org/fhir
    risk_interval_s: 120
    verification_record: records/model.json
    post_timeout_s: 5
)");
  ASSERT_TRUE(config.serve.fhir_outputs);
  const auto& o = *config.serve.fhir_outputs;
  EXPECT_EQ(o.database, std::filesystem::path("/cfg/out/fhir.db"));
  EXPECT_EQ(o.base_path, "/twin/fhir");
  EXPECT_EQ(o.ehr_base_url, "https://ehr.example.org/fhir");
  EXPECT_EQ(o.risk_interval_s, 120);
  EXPECT_EQ(o.verification_record, std::filesystem::path("/cfg/records/model.json"));
  EXPECT_EQ(o.post_timeout_s, 5);
  const auto defaults = parse("serve: {fhir_outputs: {}}");
  ASSERT_TRUE(defaults.serve.fhir_outputs);
  EXPECT_EQ(defaults.serve.fhir_outputs->database, std::filesystem::path("/cfg/ptwin-outputs.db"));
  EXPECT_EQ(defaults.serve.fhir_outputs->base_path, "/fhir");
  EXPECT_FALSE(defaults.serve.fhir_outputs->ehr_base_url);
  EXPECT_FALSE(defaults.serve.fhir_outputs->verification_record);
  EXPECT_FALSE(parse("serve: {port: 1}").serve.fhir_outputs);
}

TEST(TwinConfigFeeds, ReadsTheOneAlertPolicyOfServeAndItsDefaults) {
  const auto config = parse(R"(
serve:
  alerts:
    raise: 0.6
    clear: 0.4
    minimum_duration_s: 30
    snooze_s: 600
    worsening_margin: 0
    escalate_after_s: 0
    max_level: 2
)");
  const auto& a = config.serve.alerts;
  EXPECT_EQ(a.raise, 0.6);
  EXPECT_EQ(a.clear, 0.4);
  EXPECT_EQ(a.minimum_duration_s, 30);
  EXPECT_EQ(a.snooze_s, 600);
  EXPECT_EQ(a.worsening_margin, 0.0);
  EXPECT_EQ(a.escalate_after_s, 0);
  EXPECT_EQ(a.max_level, 2);
  EXPECT_EQ(parse("serve: {port: 1}").serve.alerts, ptwin::AlertsConfig{});
}

TEST(TwinConfigFeeds, NamesEachBadFhirOutputsValueByItsPath) {
  struct Case {
    std::string yaml, path, rule;
  };
  const std::vector<Case> cases{
      {"serve: {fhir_outputs: {ehr_base_url: ehr/fhir}}", "serve.fhir_outputs.ehr_base_url",
       "FHIR base"},
      {"serve: {fhir_outputs: {base_path: fhir}}", "serve.fhir_outputs.base_path", "/fhir"},
      {"serve: {fhir_outputs: {base_path: /fhir/}}", "serve.fhir_outputs.base_path", "/fhir"},
      {"serve: {fhir_outputs: {risk_interval_s: 0}}", "serve.fhir_outputs.risk_interval_s",
       "from 1 to 86400"},
      {"serve: {fhir_outputs: {alert_raise: 0.6}}", "serve.fhir_outputs.alert_raise",
       "moved to serve.alerts.raise"},
      {"serve: {fhir_outputs: {alert_minimum_duration_s: 30}}",
       "serve.fhir_outputs.alert_minimum_duration_s", "moved to serve.alerts.minimum_duration_s"},
      {"serve: {alerts: {raise: 1.5}}", "serve.alerts.raise", "less than 1"},
      {"serve: {alerts: {raise: 0.4, clear: 0.5}}", "serve.alerts.clear", "hysteresis"},
      {"serve: {alerts: {snooze_s: 0}}", "serve.alerts.snooze_s", "from 1 to 86400"},
      {"serve: {alerts: {worsening_margin: -0.1}}", "serve.alerts.worsening_margin",
       "from 0 (never)"},
      {"serve: {alerts: {worsening_margin: [1]}}", "serve.alerts.worsening_margin",
       "from 0 (never)"},
      {"serve: {alerts: {max_level: 0}}", "serve.alerts.max_level", "from 1 to 10"},
      {"serve: {alerts: {escalate: 60}}", "serve.alerts.escalate", "known key"},
      {"serve: {fhir_outputs: {post_timeout_s: 0}}", "serve.fhir_outputs.post_timeout_s",
       "from 1 to 300"},
      {"serve: {fhir_outputs: {ehr: x}}", "serve.fhir_outputs.ehr", "known key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.yaml);
    const auto problems = problems_of(c.yaml);
    ASSERT_EQ(problems.size(), 1U) << (problems.empty() ? "no problem" : problems.back().path);
    EXPECT_EQ(problems.front().path, c.path);
    EXPECT_NE(problems.front().rule.find(c.rule), std::string::npos) << problems.front().rule;
  }
}

TEST(TwinConfigFeeds, SpellsClockTrackingAsTheYamlDoes) {
  EXPECT_EQ(to_string(ClockTracking::Estimate), "estimate");
  EXPECT_EQ(to_string(ClockTracking::Correct), "correct");
}

}  // namespace
}  // namespace ptwin
