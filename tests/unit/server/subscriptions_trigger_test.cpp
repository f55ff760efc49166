// SPDX-License-Identifier: Apache-2.0
// SubscriptionTopic.resourceTrigger on Encounter changes: every combination of queryCriteria
// (previous only, current only, both with requireBoth true and false, resultForCreate and
// resultForDelete), fhirPathCriteria with %previous and %current, and supportedInteraction.
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "subscriptions_test_support.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

using test_support::encounter;
using test_support::encounter_trigger;
using test_support::EncounterSpec;
using test_support::topic;
using test_support::with_status;

using QueryCriteriaTest = test_support::SubscriptionTest;

TEST_F(QueryCriteriaTest, PreviousOnlyTestsTheVersionBeforeTheChange) {
  (void)registry().register_topic(topic(encounter_trigger({{"previous", "status=in-progress"}})));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("planned", "1"), with_status("completed")));
  // No resultForCreate: a search of the state before the create cannot find the resource.
  EXPECT_FALSE(fires_on_create(with_status("in-progress", "1")));
  // A delete has a previous version; the current test is absent and takes no part.
  EXPECT_TRUE(fires_on_delete(with_status("in-progress")));
}

TEST_F(QueryCriteriaTest, CurrentOnlyTestsTheVersionAfterTheChange) {
  (void)registry().register_topic(
      topic(encounter_trigger({{"current", "Encounter?status=completed"}})));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
  EXPECT_TRUE(fires_on_create(with_status("completed", "1")));
  EXPECT_FALSE(fires_on_create(with_status("planned", "1")));
  EXPECT_FALSE(fires_on_delete(with_status("completed")));  // no resultForDelete: fails
}

TEST_F(QueryCriteriaTest, ResultForDeleteDecidesTheCurrentTestOfADelete) {
  (void)registry().register_topic(topic(
      encounter_trigger({{"current", "status=completed"}, {"resultForDelete", "test-passes"}})));
  EXPECT_TRUE(fires_on_delete(with_status("planned")));
  (void)registry().register_topic(topic(
      encounter_trigger({{"current", "status=completed"}, {"resultForDelete", "test-fails"}})));
  EXPECT_FALSE(fires_on_delete(with_status("completed")));
}

TEST_F(QueryCriteriaTest, RequireBothNeedsBothTests) {
  (void)registry().register_topic(topic(encounter_trigger({{"previous", "status:not=completed"},
                                                           {"current", "status=completed"},
                                                           {"requireBoth", true}})));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("completed", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("in-progress", "1"), with_status("planned")));
}

TEST_F(QueryCriteriaTest, WithoutRequireBothEitherTestIsEnough) {
  (void)registry().register_topic(topic(
      encounter_trigger({{"previous", "status=in-progress"}, {"current", "status=completed"}})));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("planned")));
  EXPECT_TRUE(fires_on_update(with_status("planned", "1"), with_status("completed")));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("planned", "1"), with_status("cancelled")));
  // requireBoth false written out is the same as absent.
  (void)registry().register_topic(topic(encounter_trigger({{"previous", "status=in-progress"},
                                                           {"current", "status=completed"},
                                                           {"requireBoth", false}})));
  EXPECT_TRUE(fires_on_update(with_status("in-progress", "1"), with_status("planned")));
}

// The table of the requireBoth comment in the R5 StructureDefinition, for creates:
// resultForCreate x requireBoth -> does a create fire when the current test passes / fails?
struct AbsentVersionCase {
  std::string result;
  bool require_both;
  bool fires_when_current_passes;
  bool fires_when_current_fails;
};

// How GoogleTest names the case in its output.
void PrintTo(const AbsentVersionCase& c, std::ostream* out) {
  *out << c.result << (c.require_both ? ", requireBoth" : ", either test");
}

class ResultForCreate : public test_support::SubscriptionTest,
                        public ::testing::WithParamInterface<AbsentVersionCase> {};

TEST_P(ResultForCreate, CombinesWithRequireBothAsTheSpecificationTabulates) {
  const AbsentVersionCase& c = GetParam();
  (void)registry().register_topic(topic(encounter_trigger({{"previous", "status:not=completed"},
                                                           {"resultForCreate", c.result},
                                                           {"current", "status=in-progress"},
                                                           {"requireBoth", c.require_both}})));
  EXPECT_EQ(fires_on_create(with_status("in-progress", "1")), c.fires_when_current_passes);
  EXPECT_EQ(fires_on_create(with_status("planned", "1")), c.fires_when_current_fails);
}

INSTANTIATE_TEST_SUITE_P(Table, ResultForCreate,
                         ::testing::Values(AbsentVersionCase{"test-passes", false, true, true},
                                           AbsentVersionCase{"test-passes", true, true, false},
                                           AbsentVersionCase{"test-fails", true, false, false},
                                           AbsentVersionCase{"test-fails", false, true, false}));

class ResultForDelete : public test_support::SubscriptionTest,
                        public ::testing::WithParamInterface<AbsentVersionCase> {};

// The same table for deletes, where the previous test is the one that runs.
TEST_P(ResultForDelete, CombinesWithRequireBothAsForCreate) {
  const AbsentVersionCase& c = GetParam();
  (void)registry().register_topic(topic(encounter_trigger({{"previous", "status=in-progress"},
                                                           {"current", "status=completed"},
                                                           {"resultForDelete", c.result},
                                                           {"requireBoth", c.require_both}})));
  EXPECT_EQ(fires_on_delete(with_status("in-progress")), c.fires_when_current_passes);
  EXPECT_EQ(fires_on_delete(with_status("planned")), c.fires_when_current_fails);
}

INSTANTIATE_TEST_SUITE_P(Table, ResultForDelete,
                         ::testing::Values(AbsentVersionCase{"test-passes", false, true, true},
                                           AbsentVersionCase{"test-passes", true, true, false},
                                           AbsentVersionCase{"test-fails", true, false, false},
                                           AbsentVersionCase{"test-fails", false, true, false}));

TEST_F(QueryCriteriaTest, CriteriaAreAndedAndUseTheStoreSearchSemantics) {
  (void)registry().register_topic(topic(encounter_trigger(
      {{"current", "status=in-progress&class=IMP&date=ge2024-05-01&subject=Patient/123"}})));
  EXPECT_TRUE(fires_on_create(with_status("in-progress", "1")));
  EncounterSpec outpatient = with_status("in-progress", "1");
  outpatient.class_code = "AMB";
  EXPECT_FALSE(fires_on_create(outpatient));
  EncounterSpec april = with_status("in-progress", "1");
  april.start = "2024-04-01T08:00:00Z";
  april.end = "2024-04-02T08:00:00Z";
  EXPECT_FALSE(fires_on_create(april));
  // The index extractor keeps an absolute reference as a url row, as the store gets it, so a
  // search for Patient/123 does not find it; the topic agrees with that search.
  EncounterSpec absolute = with_status("in-progress", "1");
  absolute.subject = "http://other.example/fhir/Patient/123";
  EXPECT_FALSE(fires_on_create(absolute));
}

TEST_F(QueryCriteriaTest, LastUpdatedAndIdReadTheVersionsMeta) {
  (void)registry().register_topic(
      topic(encounter_trigger({{"current", "_id=e1&_lastUpdated=ge2024-05-01T10:00:00Z"}})));
  EXPECT_TRUE(fires_on_create(with_status("planned", "1")));
  EncounterSpec older = with_status("planned", "1");
  older.last_updated = "2024-05-01T09:59:59.999Z";
  EXPECT_FALSE(fires_on_create(older));
}

using FhirPathCriteriaTest = test_support::SubscriptionTest;

TEST_F(FhirPathCriteriaTest, PreviousAndCurrentAreBoundAndEmptyWhenAbsent) {
  (void)registry().register_topic(topic(encounter_trigger(
      nullptr, "%previous.status = 'planned' and %current.status = 'in-progress'")));
  EXPECT_TRUE(fires_on_update(with_status("planned", "1"), with_status("in-progress")));
  EXPECT_FALSE(fires_on_update(with_status("in-progress", "1"), with_status("in-progress")));
  EXPECT_FALSE(fires_on_create(with_status("in-progress", "1")));  // empty and true: empty

  (void)registry().register_topic(topic(encounter_trigger(nullptr, "%previous.empty()")));
  EXPECT_TRUE(fires_on_create(with_status("planned", "1")));
  EXPECT_FALSE(fires_on_update(with_status("planned", "1"), with_status("planned")));

  (void)registry().register_topic(topic(encounter_trigger(nullptr, "%current.empty()")));
  EXPECT_TRUE(fires_on_delete(with_status("planned")));
  EXPECT_FALSE(fires_on_create(with_status("planned", "1")));
}

TEST_F(FhirPathCriteriaTest, TheFocusIsTheCurrentVersionOrThePreviousOneOnDelete) {
  (void)registry().register_topic(topic(encounter_trigger(nullptr, "status = 'completed'")));
  EXPECT_TRUE(fires_on_update(with_status("planned", "1"), with_status("completed")));
  EXPECT_FALSE(fires_on_update(with_status("completed", "1"), with_status("planned")));
  EXPECT_TRUE(fires_on_delete(with_status("completed")));
}

TEST_F(FhirPathCriteriaTest, NowComesFromTheRegistryClock) {
  (void)registry().register_topic(
      topic(encounter_trigger(nullptr, "%current.actualPeriod.start < now()")));
  EncounterSpec spec = with_status("in-progress", "1");
  spec.start = "2024-05-01T11:59:59Z";  // the clock reads 12:00:00Z
  EXPECT_TRUE(fires_on_create(spec));
  spec.start = "2024-05-01T12:00:01Z";
  EXPECT_FALSE(fires_on_create(spec));
}

TEST_F(FhirPathCriteriaTest, AFhirBooleanElementCountsAsABoolean) {
  (void)registry().register_topic(
      topic(nlohmann::json{{"resource", "Patient"}, {"fhirPathCriteria", "%current.active"}}));
  const nlohmann::json active{{"resourceType", "Patient"}, {"id", "p1"}, {"active", true}};
  const nlohmann::json inactive{{"resourceType", "Patient"}, {"id", "p1"}, {"active", false}};
  EXPECT_TRUE(fires(Interaction::Create, nullptr, &active));
  EXPECT_FALSE(fires(Interaction::Create, nullptr, &inactive));
}

TEST_F(FhirPathCriteriaTest, QueryAndFhirPathCriteriaMustBothPass) {
  (void)registry().register_topic(topic(encounter_trigger({{"current", "status=in-progress"}},
                                                          "%current.class.coding.code = 'IMP'")));
  EXPECT_TRUE(fires_on_create(with_status("in-progress", "1")));
  EncounterSpec outpatient = with_status("in-progress", "1");
  outpatient.class_code = "AMB";
  EXPECT_FALSE(fires_on_create(outpatient));
  EXPECT_FALSE(fires_on_create(with_status("planned", "1")));
}

using SupportedInteractionTest = test_support::SubscriptionTest;

TEST_F(SupportedInteractionTest, OnlyTheListedInteractionsFire) {
  nlohmann::json trigger = encounter_trigger();
  trigger["supportedInteraction"] = {"delete"};
  (void)registry().register_topic(topic(trigger));
  EXPECT_FALSE(fires_on_create(with_status("planned", "1")));
  EXPECT_FALSE(fires_on_update(with_status("planned", "1"), with_status("completed")));
  const nlohmann::json previous = encounter(with_status("completed"));
  const TopicEvaluation result = registry().evaluate(Interaction::Delete, &previous, nullptr);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_EQ(result.events.front().interaction, Interaction::Delete);
  EXPECT_EQ(result.events.front().focus_reference(), "Encounter/e1");
  EXPECT_EQ(result.events.front().focus_version_id, "2");  // the deleted resource's last version
}

TEST_F(SupportedInteractionTest, AbsentMeansAllThreeAndOtherTypesNeverFire) {
  (void)registry().register_topic(topic(encounter_trigger()));
  EXPECT_TRUE(fires_on_create(with_status("planned", "1")));
  EXPECT_TRUE(fires_on_update(with_status("planned", "1"), with_status("planned")));
  EXPECT_TRUE(fires_on_delete(with_status("planned")));
  const nlohmann::json patient{{"resourceType", "Patient"}, {"id", "p1"}};
  EXPECT_FALSE(fires(Interaction::Create, nullptr, &patient));
}

TEST_F(SupportedInteractionTest, AnUpdateWithoutPreviousVersionIsAnUpdateThatCreates) {
  nlohmann::json trigger =
      encounter_trigger({{"previous", "status=planned"}, {"resultForCreate", "test-passes"}});
  trigger["supportedInteraction"] = {"update"};
  (void)registry().register_topic(topic(trigger));
  const nlohmann::json current = encounter(with_status("in-progress", "1"));
  EXPECT_TRUE(fires(Interaction::Update, nullptr, &current));
  EXPECT_FALSE(fires(Interaction::Create, nullptr, &current));
}

}  // namespace
}  // namespace ptwin::server::fhir::subscriptions
