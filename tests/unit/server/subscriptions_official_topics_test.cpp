// SPDX-License-Identifier: Apache-2.0
// The official R5 SubscriptionTopic and Subscription examples (hl7.fhir.r5.examples) evaluated
// on constructed Encounter creates, updates and deletes: SubscriptionTopic-admission (active,
// "Encounter resource moving to state 'in-progress'") and SubscriptionTopic-example (draft,
// "An Encounter has been completed"), with Subscription-admission and Subscription-example.
#include <gtest/gtest.h>

#include "subscriptions_test_support.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

using test_support::encounter;
using test_support::EncounterSpec;
using test_support::example;
using test_support::input_error_message;
using test_support::with_status;

constexpr std::string_view kAdmissionUrl = "http://example.org/FHIR/R5/SubscriptionTopic/admission";
constexpr std::string_view kCompletedUrl = "http://example.org/FHIR/R5/SubscriptionTopic/example";

class OfficialTopics : public test_support::SubscriptionTest {
 protected:
  CompileContext context() const {
    return {.definitions = definitions(), .extractor = extractor(), .base_url = ""};
  }
};

TEST_F(OfficialTopics, AdmissionFiresWhenAnUpdateMovesTheEncounterToInProgress) {
  const TopicRegistration registration =
      registry().register_topic(example("SubscriptionTopic-admission.json"));
  EXPECT_EQ(registration.url, kAdmissionUrl);
  EXPECT_TRUE(registration.is_active);
  EXPECT_EQ(registration.resource_types, std::vector<std::string>{"Encounter"});

  const nlohmann::json planned = encounter(with_status("planned", "1"));
  const nlohmann::json in_progress = encounter(with_status("in-progress", "2"));
  const TopicEvaluation result = registry().evaluate(Interaction::Update, &planned, &in_progress);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.failures.empty());
  const TopicEvent& event = result.events.front();
  EXPECT_EQ(event.topic_url, kAdmissionUrl);
  EXPECT_EQ(event.interaction, Interaction::Update);
  EXPECT_EQ(event.focus_reference(), "Encounter/e1");
  EXPECT_EQ(event.focus_version_id, "2");
  EXPECT_TRUE(event.subscription_ids.empty());

  EXPECT_FALSE(fires_on_update(with_status("in-progress", "1"), with_status("in-progress")));
  EXPECT_FALSE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("planned", "1"), with_status("cancelled")));
  EXPECT_FALSE(fires_on_delete(with_status("in-progress")));  // delete is not supported
}

TEST_F(OfficialTopics, AdmissionDoesNotFireOnCreateBecauseItsFhirPathNeedsAPreviousVersion) {
  // queryCriteria alone pass a create of an in-progress Encounter (resultForCreate
  // test-passes, current status=in-progress), but the topic's fhirPathCriteria
  // "%previous.status!='in-progress' and ..." is empty without a previous version, and a trigger
  // with both criteria needs both.
  (void)registry().register_topic(example("SubscriptionTopic-admission.json"));
  EXPECT_FALSE(fires_on_create(with_status("in-progress", "1")));

  const CompiledTopic compiled =
      compile_topic(example("SubscriptionTopic-admission.json"), context());
  const nlohmann::json current = encounter(with_status("in-progress", "1"));
  const ResourceChange change(Interaction::Create, nullptr, &current, extractor());
  EXPECT_TRUE(query_criteria_pass(*compiled.triggers.at(0).query, change, clock_.now()));
  const nlohmann::json planned = encounter(with_status("planned", "1"));
  const ResourceChange planned_create(Interaction::Create, nullptr, &planned, extractor());
  EXPECT_FALSE(query_criteria_pass(*compiled.triggers.at(0).query, planned_create, clock_.now()));
}

TEST_F(OfficialTopics, AdmissionEventTriggerIsAcceptedAndReportedAsNeverFiring) {
  const TopicRegistration registration =
      registry().register_topic(example("SubscriptionTopic-admission.json"));
  EXPECT_EQ(registration.event_trigger_count, 1u);
  ASSERT_FALSE(registration.notes.empty());
  EXPECT_NE(registration.notes.front().find("eventTrigger"), std::string::npos)
      << registration.notes.front();
  EXPECT_NE(registration.notes.front().find("never fire"), std::string::npos);
}

TEST_F(OfficialTopics, EncounterCompleteIsDraftAsPublishedSoItNeverFires) {
  const TopicRegistration registration =
      registry().register_topic(example("SubscriptionTopic-example.json"));
  EXPECT_FALSE(registration.is_active);
  ASSERT_FALSE(registration.notes.empty());
  EXPECT_NE(registration.notes.front().find("'draft'"), std::string::npos)
      << registration.notes.front();
  EXPECT_FALSE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
}

TEST_F(OfficialTopics, EncounterCompleteWhenActiveFailsOnItsOwnFhirPathNamingTopicAndExpression) {
  nlohmann::json topic = example("SubscriptionTopic-example.json");
  topic["status"] = "active";
  (void)registry().register_topic(topic);
  // queryCriteria pass (status:not=completed before, status=completed after); the
  // fhirPathCriteria "(%previous.empty() | (%previous.status != 'completed')) and ..." unions
  // false and true into two items, which `and` cannot take as one Boolean.
  const nlohmann::json previous = encounter(with_status("in-progress", "1"));
  const nlohmann::json current = encounter(with_status("completed"));
  const TopicEvaluation result = registry().evaluate(Interaction::Update, &previous, &current);
  EXPECT_TRUE(result.events.empty());
  ASSERT_EQ(result.failures.size(), 1u);
  const std::string& message = result.failures.front().message;
  EXPECT_EQ(result.failures.front().topic_url, kCompletedUrl);
  EXPECT_NE(message.find(kCompletedUrl), std::string::npos) << message;
  EXPECT_NE(message.find("(%previous.empty() | (%previous.status != 'completed'))"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("Encounter/e1"), std::string::npos) << message;

  // Already completed before: the previous test fails, so the FHIRPath is not reached.
  EXPECT_FALSE(fires_on_update(with_status("completed", "1"), with_status("completed")));
  // Only update is a supported interaction.
  EXPECT_FALSE(fires_on_create(with_status("completed", "1")));
}

TEST_F(OfficialTopics, AdmissionSubscriptionNamesAnotherCanonicalThanTheTopicUrl) {
  (void)registry().register_topic(example("SubscriptionTopic-admission.json"));
  // The example's topic is ".../R5/SubscriptionTopic/admission"; the topic's url has "/FHIR".
  const std::string message = input_error_message(
      [&] { registry().register_subscription(example("Subscription-admission.json")); });
  EXPECT_NE(message.find("Subscription 'admission'.topic"), std::string::npos) << message;
  EXPECT_NE(message.find("http://example.org/R5/SubscriptionTopic/admission"), std::string::npos)
      << message;
  EXPECT_EQ(registry().subscription_count(), 0u);
}

TEST_F(OfficialTopics, AdmissionSubscriptionWithTheTopicUrlFiltersOnPatientAndEndsIn2019) {
  (void)registry().register_topic(example("SubscriptionTopic-admission.json"));
  nlohmann::json subscription = example("Subscription-admission.json");
  subscription["topic"] = kAdmissionUrl;
  registry().register_subscription(subscription);

  const nlohmann::json planned = encounter(with_status("planned", "1"));
  const nlohmann::json in_progress = encounter(with_status("in-progress", "2"));
  // Subscription.end is 2019-08-07: the clock (2024) is past it.
  TopicEvaluation result = registry().evaluate(Interaction::Update, &planned, &in_progress);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events.front().subscription_ids.empty());

  subscription.erase("end");
  registry().register_subscription(subscription);
  result = registry().evaluate(Interaction::Update, &planned, &in_progress);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events.front().subscription_ids, std::vector<std::string>{"admission"});

  EncounterSpec other_patient = with_status("in-progress", "2");
  other_patient.subject = "Patient/456";
  const nlohmann::json other = encounter(other_patient);
  result = registry().evaluate(Interaction::Update, &planned, &other);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events.front().subscription_ids.empty());
}

TEST_F(OfficialTopics, ExampleSubscriptionFiltersOnAParameterTheTopicDoesNotOffer) {
  nlohmann::json topic = example("SubscriptionTopic-example.json");
  (void)registry().register_topic(topic);
  nlohmann::json subscription = example("Subscription-example.json");
  subscription["topic"] = kCompletedUrl;
  // The example topic offers subject, _in, length and account; the subscription filters on
  // patient.
  const std::string message =
      input_error_message([&] { registry().register_subscription(subscription); });
  EXPECT_NE(message.find("Subscription 'example'.filterBy[0].filterParameter"), std::string::npos)
      << message;
  EXPECT_NE(message.find("'patient'"), std::string::npos) << message;
  EXPECT_NE(message.find(kCompletedUrl), std::string::npos) << message;
}

}  // namespace
}  // namespace ptwin::server::fhir::subscriptions
