// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the subscription topic tests: the R5 definitions (read once per test binary from
// PTWIN_FHIR_PACKAGE_DIR), a registry on a manual clock, official examples, and Encounters,
// topics and subscriptions built in place.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/subscriptions/topic_registry.hpp"

namespace ptwin::server::fhir::subscriptions::test_support {

inline const std::filesystem::path kPackageParent = PTWIN_FHIR_PACKAGE_DIR;
inline constexpr std::string_view kTopicUrl = "http://ptwin.test/SubscriptionTopic/encounter";
inline constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

/// An official example of the R5 examples package, e.g. "SubscriptionTopic-admission.json".
inline nlohmann::json example(const std::string& file) {
  std::ifstream in(kPackageParent / "hl7.fhir.r5.examples" / file);
  EXPECT_TRUE(in.good()) << file;
  return nlohmann::json::parse(in);
}

struct EncounterSpec {
  std::string id = "e1";
  std::string status = "planned";
  std::string class_code = "IMP";  // v3-ActCode
  std::string subject = "Patient/123";
  std::string start = "2024-05-02T08:00:00Z";  // actualPeriod.start
  std::string end{};                           // actualPeriod.end, "" for an open period
  std::string version_id = "1";
  std::string last_updated = "2024-05-01T11:00:00.000Z";
};

/// An Encounter as the store returns it (id and meta set).
inline nlohmann::json encounter(const EncounterSpec& spec) {
  nlohmann::json period{{"start", spec.start}};
  if (!spec.end.empty()) period["end"] = spec.end;
  return nlohmann::json{
      {"resourceType", "Encounter"},
      {"id", spec.id},
      {"meta", {{"versionId", spec.version_id}, {"lastUpdated", spec.last_updated}}},
      {"status", spec.status},
      {"class",
       nlohmann::json::array({{{"coding", nlohmann::json::array({{{"system", kActCode},
                                                                  {"code", spec.class_code}}})}}})},
      {"subject", {{"reference", spec.subject}}},
      {"actualPeriod", period}};
}

/// An active topic at kTopicUrl with the given resourceTrigger(s) and canFilterBy.
inline nlohmann::json topic(nlohmann::json triggers,
                            nlohmann::json can_filter_by = nlohmann::json::array()) {
  if (triggers.is_object()) triggers = nlohmann::json::array({triggers});
  nlohmann::json result{{"resourceType", "SubscriptionTopic"},
                        {"url", kTopicUrl},
                        {"status", "active"},
                        {"resourceTrigger", triggers}};
  if (!can_filter_by.empty()) result["canFilterBy"] = can_filter_by;
  return result;
}

/// A resourceTrigger on Encounter with optional queryCriteria and fhirPathCriteria.
inline nlohmann::json encounter_trigger(nlohmann::json query_criteria = nullptr,
                                        std::string fhirpath = {}) {
  nlohmann::json trigger{{"resource", "http://hl7.org/fhir/StructureDefinition/Encounter"}};
  if (!query_criteria.is_null()) trigger["queryCriteria"] = std::move(query_criteria);
  if (!fhirpath.empty()) trigger["fhirPathCriteria"] = std::move(fhirpath);
  return trigger;
}

/// An active Subscription on kTopicUrl with the given filterBy entries.
inline nlohmann::json subscription(std::string id,
                                   nlohmann::json filters = nlohmann::json::array()) {
  nlohmann::json result{{"resourceType", "Subscription"},
                        {"id", std::move(id)},
                        {"status", "active"},
                        {"topic", kTopicUrl},
                        {"channelType", {{"code", "rest-hook"}}}};
  if (!filters.empty()) result["filterBy"] = std::move(filters);
  return result;
}

/// Runs `call`, expects an InputError and returns its message.
template <typename Call>
std::string input_error_message(Call&& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected InputError";
  return {};
}

/// The definitions and extractor are read once per test binary; each test gets a fresh
/// registry on a manual clock at 2024-05-01T12:00:00Z.
class SubscriptionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!definitions_) {
      definitions_ = ingest::fhir::definitions::Definitions::open(kPackageParent);
      extractor_ = std::make_unique<ingest::fhir::indexing::IndexExtractor>(*definitions_);
    }
  }

  TopicRegistry& registry() { return registry_; }

  /// The topic urls of the events, in order.
  static std::vector<std::string> urls(const TopicEvaluation& result) {
    std::vector<std::string> out;
    for (const TopicEvent& event : result.events) out.push_back(event.topic_url);
    return out;
  }

  /// Does the one registered topic fire for this change? Fails the test on any failure.
  bool fires(Interaction interaction, const nlohmann::json* previous,
             const nlohmann::json* current) {
    const TopicEvaluation result = registry_.evaluate(interaction, previous, current);
    for (const TopicFailure& failure : result.failures) ADD_FAILURE() << failure.message;
    return !result.events.empty();
  }

  bool fires_on_update(const EncounterSpec& before, const EncounterSpec& after) {
    const nlohmann::json previous = encounter(before);
    const nlohmann::json current = encounter(after);
    return fires(Interaction::Update, &previous, &current);
  }
  bool fires_on_create(const EncounterSpec& spec) {
    const nlohmann::json current = encounter(spec);
    return fires(Interaction::Create, nullptr, &current);
  }
  bool fires_on_delete(const EncounterSpec& spec) {
    const nlohmann::json previous = encounter(spec);
    return fires(Interaction::Delete, &previous, nullptr);
  }

  static const ingest::fhir::definitions::Definitions& definitions() { return *definitions_; }
  static const ingest::fhir::indexing::IndexExtractor& extractor() { return *extractor_; }

  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:00:00Z")};

 private:
  static inline std::unique_ptr<ingest::fhir::definitions::Definitions> definitions_;
  static inline std::unique_ptr<ingest::fhir::indexing::IndexExtractor> extractor_;
  TopicRegistry registry_{
      *definitions_, *extractor_, clock_, {.base_url = "http://ptwin.test/fhir"}};
};

/// An EncounterSpec with another status (and the next version).
inline EncounterSpec with_status(std::string status, std::string version_id = "2") {
  EncounterSpec spec;
  spec.status = std::move(status);
  spec.version_id = std::move(version_id);
  return spec;
}

}  // namespace ptwin::server::fhir::subscriptions::test_support
