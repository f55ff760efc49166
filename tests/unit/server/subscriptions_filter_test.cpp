// SPDX-License-Identifier: Apache-2.0
// Subscription.filterBy against SubscriptionTopic.canFilterBy: which subscriptions of a
// triggered topic match, with token, reference and date filters (comparators written apart or
// in the value), modifiers, several filters, status and end.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "subscriptions_test_support.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

using test_support::encounter;
using test_support::encounter_trigger;
using test_support::EncounterSpec;
using test_support::input_error_message;
using test_support::subscription;
using test_support::topic;
using test_support::with_status;

nlohmann::json filter(std::string parameter, std::string value, std::string comparator = {},
                      std::string modifier = {}) {
  nlohmann::json result{{"filterParameter", std::move(parameter)}, {"value", std::move(value)}};
  if (!comparator.empty()) result["comparator"] = std::move(comparator);
  if (!modifier.empty()) result["modifier"] = std::move(modifier);
  return result;
}

class FilterTest : public test_support::SubscriptionTest {
 protected:
  void SetUp() override {
    // Fires on every interaction on Encounter; subscriptions narrow it.
    const nlohmann::json can_filter_by =
        nlohmann::json::array({{{"resource", "Encounter"}, {"filterParameter", "class"}},
                               {{"resource", "http://hl7.org/fhir/StructureDefinition/Encounter"},
                                {"filterParameter", "subject"}},
                               {{"filterParameter", "date"}, {"comparator", {"ge", "lt"}}},
                               {{"filterParameter", "status"}, {"modifier", {"not"}}}});
    (void)registry().register_topic(topic(encounter_trigger(), can_filter_by));
  }

  /// The ids of the subscriptions matched by an update to `after`.
  std::vector<std::string> matched(const EncounterSpec& after) {
    const nlohmann::json previous = encounter(with_status("planned", "1"));
    const nlohmann::json current = encounter(after);
    const TopicEvaluation result = registry().evaluate(Interaction::Update, &previous, &current);
    for (const TopicFailure& failure : result.failures) ADD_FAILURE() << failure.message;
    EXPECT_EQ(result.events.size(), 1u);
    return result.events.empty() ? std::vector<std::string>{}
                                 : result.events.front().subscription_ids;
  }
};

TEST_F(FilterTest, TokenFiltersMatchCodeOrSystemAndCode) {
  registry().register_subscription(subscription("inpatient", {filter("class", "IMP")}));
  registry().register_subscription(
      subscription("ambulatory", {filter("class", std::string(test_support::kActCode) + "|AMB")}));
  EXPECT_EQ(matched(with_status("in-progress")), std::vector<std::string>{"inpatient"});
  EncounterSpec outpatient = with_status("in-progress");
  outpatient.class_code = "AMB";
  EXPECT_EQ(matched(outpatient), std::vector<std::string>{"ambulatory"});
}

TEST_F(FilterTest, DateFiltersTakeTheirComparator) {
  registry().register_subscription(subscription("from-may", {filter("date", "2024-05-01", "ge")}));
  registry().register_subscription(
      subscription("before-may", {filter("date", "2024-05-01", "lt")}));
  // An open period (no end) reaches every later date, so ge matches it.
  EXPECT_EQ(matched(with_status("in-progress")), std::vector<std::string>{"from-may"});
  EncounterSpec april = with_status("finished");
  april.start = "2024-04-01T08:00:00Z";
  april.end = "2024-04-03T10:00:00Z";
  EXPECT_EQ(matched(april), std::vector<std::string>{"before-may"});
}

TEST_F(FilterTest, AComparatorWrittenInTheValueMustBeAllowedToo) {
  registry().register_subscription(subscription("ge-in-value", {filter("date", "ge2024-05-01")}));
  EXPECT_EQ(matched(with_status("in-progress")), std::vector<std::string>{"ge-in-value"});
  const std::string message = input_error_message([&] {
    registry().register_subscription(subscription("sa", {filter("date", "sa2024-05-01")}));
  });
  EXPECT_NE(message.find("Subscription 'sa'.filterBy[0].value"), std::string::npos) << message;
  EXPECT_NE(message.find("'sa'"), std::string::npos) << message;
}

TEST_F(FilterTest, ModifiersAndSeveralFiltersAreAnded) {
  registry().register_subscription(
      subscription("active-inpatient", {filter("status", "completed", "", "not"),
                                        filter("class", "IMP"), filter("subject", "Patient/123")}));
  EXPECT_EQ(matched(with_status("in-progress")), std::vector<std::string>{"active-inpatient"});
  EXPECT_TRUE(matched(with_status("completed")).empty());
  EncounterSpec other_patient = with_status("in-progress");
  other_patient.subject = "Patient/456";
  EXPECT_TRUE(matched(other_patient).empty());
}

TEST_F(FilterTest, AbsoluteReferencesToThisServerAreLocal) {
  registry().register_subscription(
      subscription("mine", {filter("subject", "http://ptwin.test/fhir/Patient/123")}));
  EXPECT_EQ(matched(with_status("in-progress")), std::vector<std::string>{"mine"});
}

TEST_F(FilterTest, OnlyActiveAndErrorSubscriptionsBeforeTheirEndMatch) {
  nlohmann::json requested = subscription("requested");
  requested["status"] = "requested";
  registry().register_subscription(requested);
  nlohmann::json off = subscription("off");
  off["status"] = "off";
  registry().register_subscription(off);
  // An error subscription's endpoint is failing: its events are kept for later delivery.
  nlohmann::json failing = subscription("failing");
  failing["status"] = "error";
  registry().register_subscription(failing);
  nlohmann::json ending = subscription("ending");
  ending["end"] = "2024-05-01T12:00:00Z";  // the clock reads exactly this
  registry().register_subscription(ending);
  nlohmann::json later = subscription("later");
  later["end"] = "2024-05-01T12:00:01Z";
  registry().register_subscription(later);
  EXPECT_EQ(matched(with_status("in-progress")), (std::vector<std::string>{"failing", "later"}));
  EXPECT_EQ(registry().subscription_count(), 5u);
}

TEST_F(FilterTest, ADeleteIsFilteredOnTheDeletedVersion) {
  registry().register_subscription(subscription("inpatient", {filter("class", "IMP")}));
  const nlohmann::json previous = encounter(with_status("in-progress"));
  const TopicEvaluation result = registry().evaluate(Interaction::Delete, &previous, nullptr);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events.front().subscription_ids, std::vector<std::string>{"inpatient"});
}

using FilterRejection = FilterTest;

TEST_F(FilterRejection, AParameterNotInCanFilterByIsRefusedNamingIt) {
  const std::string message = input_error_message([&] {
    registry().register_subscription(subscription("s", {filter("participant", "Practitioner/1")}));
  });
  EXPECT_NE(message.find("Subscription 's'.filterBy[0].filterParameter"), std::string::npos)
      << message;
  EXPECT_NE(message.find("'participant'"), std::string::npos) << message;
  EXPECT_NE(message.find(test_support::kTopicUrl), std::string::npos) << message;
  EXPECT_EQ(registry().subscription_count(), 0u);
}

TEST_F(FilterRejection, AComparatorOrModifierTheTopicDoesNotListIsRefusedNamingIt) {
  std::string message = input_error_message([&] {
    registry().register_subscription(subscription("s", {filter("date", "2024-05-01", "le")}));
  });
  EXPECT_NE(message.find("filterBy[0].comparator: 'le'"), std::string::npos) << message;
  message = input_error_message([&] {
    registry().register_subscription(subscription("s", {filter("class", "IMP", "", "not")}));
  });
  EXPECT_NE(message.find("filterBy[0].modifier: 'not'"), std::string::npos) << message;
  message = input_error_message([&] {
    registry().register_subscription(
        subscription("s", {filter("date", "2024-05-01", "ge", "missing")}));
  });
  EXPECT_NE(message.find("scr-1"), std::string::npos) << message;
}

TEST_F(FilterRejection, AValueTheParameterCannotTakeIsRefusedNamingIt) {
  const std::string message = input_error_message([&] {
    registry().register_subscription(subscription("s", {filter("date", "2024-13-45", "ge")}));
  });
  EXPECT_NE(message.find("Subscription 's'.filterBy[0]"), std::string::npos) << message;
  EXPECT_NE(message.find("date=ge2024-13-45"), std::string::npos) << message;
}

TEST_F(FilterRejection, ATopicCanonicalThatIsNotRegisteredIsRefusedNamingIt) {
  nlohmann::json unknown = subscription("s");
  unknown["topic"] = "http://elsewhere.example/SubscriptionTopic/x";
  const std::string message =
      input_error_message([&] { registry().register_subscription(unknown); });
  EXPECT_NE(message.find("http://elsewhere.example/SubscriptionTopic/x"), std::string::npos)
      << message;
  nlohmann::json versioned = subscription("s");
  versioned["topic"] = std::string(test_support::kTopicUrl) + "|2.0";
  const std::string version_message =
      input_error_message([&] { registry().register_subscription(versioned); });
  EXPECT_NE(version_message.find("version '2.0'"), std::string::npos) << version_message;
}

TEST_F(FilterRejection, AFilterMustNameItsTypeWhenTheTopicHasSeveral) {
  const CompileContext context{
      .definitions = definitions(), .extractor = extractor(), .base_url = ""};
  const CompiledTopic two_types = compile_topic(
      topic(nlohmann::json::array({encounter_trigger(), {{"resource", "Observation"}}}),
            nlohmann::json::array({{{"filterParameter", "subject"}}})),
      context);
  const std::string message = input_error_message([&] {
    (void)compile_subscription(subscription("s", {filter("subject", "Patient/1")}), two_types,
                               context);
  });
  EXPECT_NE(message.find("Subscription 's'.filterBy[0].resourceType"), std::string::npos)
      << message;
  nlohmann::json typed = filter("subject", "Patient/1");
  typed["resourceType"] = "Observation";
  const CompiledSubscription compiled =
      compile_subscription(subscription("s", {typed}), two_types, context);
  ASSERT_EQ(compiled.filters.size(), 1u);
  EXPECT_EQ(compiled.filters.front().resource_type, "Observation");
  // An Encounter change: the Observation filter does not apply to it.
  const nlohmann::json current = encounter(with_status("planned", "1"));
  const ResourceChange change(Interaction::Create, nullptr, &current, extractor());
  EXPECT_TRUE(accepts(compiled, change, clock_.now()));
}

}  // namespace
}  // namespace ptwin::server::fhir::subscriptions
