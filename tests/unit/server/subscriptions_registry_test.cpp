// SPDX-License-Identifier: Apache-2.0
// TopicRegistry: what registration refuses (each error naming the topic and the offending
// value), FHIRPath results that are not Booleans, failures that do not hide other topics,
// replacing and removing topics and subscriptions, and evaluation from several threads.
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "subscriptions_test_support.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

using test_support::encounter;
using test_support::encounter_trigger;
using test_support::input_error_message;
using test_support::subscription;
using test_support::topic;
using test_support::with_status;

using TopicRejection = test_support::SubscriptionTest;

// Registers a topic whose current criteria are `criteria` and returns the error message.
std::string refusal_of_criteria(TopicRegistry& registry, const std::string& criteria) {
  return input_error_message([&] {
    (void)registry.register_topic(topic(encounter_trigger({{"current", criteria}})));
  });
}

void expect_names(const std::string& message, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' in: " << message;
  }
}

TEST_F(TopicRejection, ChainedCriteriaAreRefusedNamingTopicAndParameter) {
  expect_names(refusal_of_criteria(registry(), "subject:Patient.name=smith"),
               {std::string(test_support::kTopicUrl), "resourceTrigger[0].queryCriteria.current",
                "'subject:Patient.name'"});
  expect_names(refusal_of_criteria(registry(), "_has:Observation:encounter:code=1234-5"),
               {std::string(test_support::kTopicUrl), "'_has:Observation:encounter:code'"});
  EXPECT_EQ(registry().topic_count(), 0u);
}

TEST_F(TopicRejection, UnknownParametersAndResultParametersAreRefusedNamingThem) {
  expect_names(refusal_of_criteria(registry(), "statuz=in-progress"),
               {std::string(test_support::kTopicUrl), "'statuz'"});
  expect_names(refusal_of_criteria(registry(), "status=in-progress&_sort=date"),
               {"'_sort'", "only search criteria"});
  expect_names(refusal_of_criteria(registry(), "_count=1"), {"'_count'"});
  expect_names(refusal_of_criteria(registry(), "_include=Encounter:subject"), {"'_include'"});
  expect_names(refusal_of_criteria(registry(), "status:below=x"), {"'status'", ":below"});
  expect_names(refusal_of_criteria(registry(), "Observation?code=1234-5"),
               {"'Observation?code=1234-5'", "searches Observation"});
}

TEST_F(TopicRejection, FhirPathThatDoesNotParseIsRefusedNamingTheExpression) {
  const std::string message = input_error_message([&] {
    (void)registry().register_topic(
        topic(encounter_trigger(nullptr, "%current.status = 'in-progress' and")));
  });
  expect_names(message,
               {std::string(test_support::kTopicUrl), "resourceTrigger[0].fhirPathCriteria",
                "'%current.status = 'in-progress' and'"});
}

TEST_F(TopicRejection, ElementsOutsideTheirValueSetsOrTypesAreRefusedNamingThem) {
  nlohmann::json bad_interaction = encounter_trigger();
  bad_interaction["supportedInteraction"] = {"create", "patch"};
  expect_names(
      input_error_message([&] { (void)registry().register_topic(topic(bad_interaction)); }),
      {"supportedInteraction[1]", "'patch'"});
  expect_names(
      input_error_message([&] {
        (void)registry().register_topic(topic(
            nlohmann::json{{"resource", "http://example.org/StructureDefinition/my-encounter"}}));
      }),
      {"resourceTrigger[0].resource", "'http://example.org/StructureDefinition/my-encounter'"});
  expect_names(
      input_error_message([&] {
        (void)registry().register_topic(topic(nlohmann::json{{"resource", "DomainResource"}}));
      }),
      {"abstract", "'DomainResource'"});
  expect_names(input_error_message([&] {
                 (void)registry().register_topic(topic(encounter_trigger(
                     {{"current", "status=completed"}, {"resultForDelete", "test-maybe"}})));
               }),
               {"queryCriteria.resultForDelete", "'test-maybe'"});
  nlohmann::json no_url = topic(encounter_trigger());
  no_url.erase("url");
  expect_names(input_error_message([&] { (void)registry().register_topic(no_url); }),
               {"SubscriptionTopic.url"});
  nlohmann::json bad_status = topic(encounter_trigger());
  bad_status["status"] = "enabled";
  expect_names(input_error_message([&] { (void)registry().register_topic(bad_status); }),
               {"status", "'enabled'"});
}

using FhirPathResult = test_support::SubscriptionTest;

TEST_F(FhirPathResult, ANonBooleanResultIsAFailureNamingTopicAndExpressionButNotTheValue) {
  (void)registry().register_topic(topic(encounter_trigger(nullptr, "%current.status")));
  const nlohmann::json current = encounter(with_status("in-progress", "1"));
  const TopicEvaluation result = registry().evaluate(Interaction::Create, nullptr, &current);
  EXPECT_TRUE(result.events.empty());
  ASSERT_EQ(result.failures.size(), 1u);
  const std::string& message = result.failures.front().message;
  expect_names(message, {std::string(test_support::kTopicUrl), "'%current.status'", "one FHIR.code",
                         "Encounter/e1"});
  EXPECT_EQ(message.find("in-progress"), std::string::npos) << message;
}

TEST_F(FhirPathResult, SeveralItemsAndUnknownElementsAreFailuresToo) {
  (void)registry().register_topic(topic(encounter_trigger(nullptr, "true | false")));
  const nlohmann::json current = encounter(with_status("in-progress", "1"));
  TopicEvaluation result = registry().evaluate(Interaction::Create, nullptr, &current);
  ASSERT_EQ(result.failures.size(), 1u);
  expect_names(result.failures.front().message, {"2 items"});

  (void)registry().register_topic(
      topic(encounter_trigger(nullptr, "%current.statuss = 'in-progress'")));
  result = registry().evaluate(Interaction::Create, nullptr, &current);
  ASSERT_EQ(result.failures.size(), 1u);
  expect_names(result.failures.front().message, {std::string(test_support::kTopicUrl), "statuss"});
}

TEST_F(FhirPathResult, AFailingTopicDoesNotHideTheOthers) {
  (void)registry().register_topic(topic(encounter_trigger(nullptr, "%current.status")));
  nlohmann::json working = topic(encounter_trigger({{"current", "status=in-progress"}}));
  working["url"] = "http://ptwin.test/SubscriptionTopic/working";
  (void)registry().register_topic(working);
  const nlohmann::json current = encounter(with_status("in-progress", "1"));
  const TopicEvaluation result = registry().evaluate(Interaction::Create, nullptr, &current);
  EXPECT_EQ(urls(result), std::vector<std::string>{"http://ptwin.test/SubscriptionTopic/working"});
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures.front().topic_url, test_support::kTopicUrl);
}

using RegistryLifecycle = test_support::SubscriptionTest;

TEST_F(RegistryLifecycle, VersionsMustFitTheInteraction) {
  const nlohmann::json resource = encounter(with_status("planned", "1"));
  expect_names(input_error_message(
                   [&] { (void)registry().evaluate(Interaction::Create, &resource, &resource); }),
               {"(create)", "no previous one"});
  expect_names(input_error_message(
                   [&] { (void)registry().evaluate(Interaction::Delete, nullptr, &resource); }),
               {"(delete)"});
  nlohmann::json other = resource;
  other["id"] = "e2";
  expect_names(input_error_message(
                   [&] { (void)registry().evaluate(Interaction::Update, &resource, &other); }),
               {"'Encounter/e2'", "Encounter/e1"});
}

TEST_F(RegistryLifecycle, ReplacingATopicRechecksItsSubscriptions) {
  const nlohmann::json can_filter_by =
      nlohmann::json::array({{{"resource", "Encounter"}, {"filterParameter", "class"}}});
  (void)registry().register_topic(topic(encounter_trigger(), can_filter_by));
  registry().register_subscription(
      subscription("s1", {{{"filterParameter", "class"}, {"value", "IMP"}}}));
  // The new version no longer offers class: s1 would be invalid, so nothing changes.
  const std::string message =
      input_error_message([&] { (void)registry().register_topic(topic(encounter_trigger())); });
  expect_names(message, {std::string(test_support::kTopicUrl), "'s1'", "'class'"});
  EXPECT_EQ(registry().subscription_count(), 1u);
  const nlohmann::json current = encounter(with_status("planned", "1"));
  EXPECT_EQ(
      registry().evaluate(Interaction::Create, nullptr, &current).events.at(0).subscription_ids,
      std::vector<std::string>{"s1"});
  // A compatible new version keeps it.
  (void)registry().register_topic(
      topic(encounter_trigger({{"current", "status=planned"}}), can_filter_by));
  EXPECT_EQ(
      registry().evaluate(Interaction::Create, nullptr, &current).events.at(0).subscription_ids,
      std::vector<std::string>{"s1"});
}

TEST_F(RegistryLifecycle, ATopicWithSubscriptionsCannotBeRemoved) {
  (void)registry().register_topic(topic(encounter_trigger()));
  registry().register_subscription(subscription("s1"));
  expect_names(input_error_message([&] { registry().remove_topic(test_support::kTopicUrl); }),
               {"'s1'"});
  EXPECT_TRUE(registry().remove_subscription("s1"));
  EXPECT_FALSE(registry().remove_subscription("s1"));
  registry().remove_topic(test_support::kTopicUrl);
  EXPECT_EQ(registry().topic_count(), 0u);
  EXPECT_THROW(registry().remove_topic(test_support::kTopicUrl), Error);
}

TEST_F(RegistryLifecycle, ASubscriptionRegisteredAgainReplacesTheFirst) {
  (void)registry().register_topic(
      topic(encounter_trigger(),
            nlohmann::json::array({{{"resource", "Encounter"}, {"filterParameter", "class"}}})));
  registry().register_subscription(
      subscription("s1", {{{"filterParameter", "class"}, {"value", "AMB"}}}));
  registry().register_subscription(
      subscription("s1", {{{"filterParameter", "class"}, {"value", "IMP"}}}));
  EXPECT_EQ(registry().subscription_count(), 1u);
  const nlohmann::json current = encounter(with_status("planned", "1"));
  EXPECT_EQ(
      registry().evaluate(Interaction::Create, nullptr, &current).events.at(0).subscription_ids,
      std::vector<std::string>{"s1"});
}

TEST_F(RegistryLifecycle, EvaluationFromSeveralThreadsWhileSubscriptionsChange) {
  (void)registry().register_topic(test_support::example("SubscriptionTopic-admission.json"));
  nlohmann::json admission = test_support::example("Subscription-admission.json");
  admission["topic"] = "http://example.org/FHIR/R5/SubscriptionTopic/admission";
  admission.erase("end");
  registry().register_subscription(admission);
  const nlohmann::json planned = encounter(with_status("planned", "1"));
  const nlohmann::json in_progress = encounter(with_status("in-progress", "2"));
  constexpr int kThreads = 4;
  constexpr int kEvaluations = 25;
  std::vector<int> fired(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEvaluations; ++i) {
        const TopicEvaluation result =
            registry().evaluate(Interaction::Update, &planned, &in_progress);
        if (result.events.size() == 1 && result.failures.empty())
          ++fired[static_cast<std::size_t>(t)];
      }
    });
  }
  for (int i = 0; i < kEvaluations; ++i) {
    nlohmann::json extra = admission;
    extra["id"] = fmt::format("extra-{}", i % 3);
    registry().register_subscription(extra);
  }
  for (std::thread& thread : threads) thread.join();
  for (const int count : fired) EXPECT_EQ(count, kEvaluations);
  EXPECT_EQ(registry().subscription_count(), 4u);
}

}  // namespace
}  // namespace ptwin::server::fhir::subscriptions
