// SPDX-License-Identifier: Apache-2.0
// The subscription event outbox of the FHIR store (subscription_outbox.hpp), on SQLite and
// PostgreSQL: numbers per subscription from 1, never reused after a rollback, ranges in order,
// the acknowledged mark moving only forward, and refusals naming the field and value.
#include <string>

#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::FhirStoreTest;

using FhirStoreOutbox = FhirStoreTest;
PTWIN_FHIR_STORE_BACKENDS(FhirStoreOutbox);

NewSubscriptionEvent event_for(const std::string& subscription, const std::string& focus_id) {
  return {.subscription_id = subscription,
          .topic_url = "http://ptwin.test/SubscriptionTopic/encounter",
          .interaction = "create",
          .focus_type = "Encounter",
          .focus_id = focus_id,
          .focus_version_id = 1};
}

std::int64_t append(ResourceStore& store, const NewSubscriptionEvent& event) {
  const auto transaction = store.begin(TransactionMode::ReadWrite);
  const std::int64_t number = transaction->append_subscription_event(event);
  transaction->commit();
  return number;
}

TEST_P(FhirStoreOutbox, NumbersArePerSubscriptionAndNeverReusedAfterARollback) {
  EXPECT_EQ(append(store(), event_for("a", "e1")), 1);
  EXPECT_EQ(append(store(), event_for("a", "e2")), 2);
  EXPECT_EQ(append(store(), event_for("b", "e2")), 1);
  {
    const auto rolled_back = store().begin(TransactionMode::ReadWrite);
    EXPECT_EQ(rolled_back->append_subscription_event(event_for("a", "e3")), 3);
  }  // destroyed without commit: the event and its number are undone together
  EXPECT_EQ(append(store(), event_for("a", "e4")), 3);
  const auto transaction = store().begin(TransactionMode::ReadOnly);
  const std::vector<SubscriptionEvent> events =
      transaction->subscription_events({.subscription_id = "a", .since = 2, .until = 3, .limit = 10});
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].event_number, 2);
  EXPECT_EQ(events[0].focus_id, "e2");
  EXPECT_EQ(events[1].focus_id, "e4");  // e3 was rolled back
  EXPECT_EQ(events[1].recorded, clock_.now());
  EXPECT_EQ(transaction->subscription_event_counters("a"),
            (SubscriptionEventCounters{.last_event_number = 3, .delivered_through = 0}));
  EXPECT_EQ(transaction->subscription_event_counters("none"), SubscriptionEventCounters{});
  transaction->commit();
}

TEST_P(FhirStoreOutbox, TheDeliveredMarkMovesOnlyForwardAndNotBeyondTheLastEvent) {
  for (int i = 0; i < 3; ++i) (void)append(store(), event_for("a", "e"));
  const auto transaction = store().begin(TransactionMode::ReadWrite);
  transaction->mark_subscription_delivered("a", 2);
  transaction->mark_subscription_delivered("a", 1);  // a late acknowledgement: no step back
  EXPECT_EQ(transaction->subscription_event_counters("a").delivered_through, 2);
  try {
    transaction->mark_subscription_delivered("a", 4);
    ADD_FAILURE() << "a mark beyond the last event was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("subscription 'a'"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("4"), std::string::npos);
  }
}

TEST_P(FhirStoreOutbox, InvalidEventsAndQueriesAreRefusedNamingTheField) {
  NewSubscriptionEvent bad = event_for("a", "e1");
  bad.interaction = "patch";
  {
    const auto write = store().begin(TransactionMode::ReadWrite);
    EXPECT_THROW((void)write->append_subscription_event(bad), InputError);
  }
  {
    const auto read = store().begin(TransactionMode::ReadOnly);
    EXPECT_THROW((void)read->subscription_events(
        {.subscription_id = "a", .since = 0, .until = 10, .limit = 10}),
                 InputError);
  }
  const auto again = store().begin(TransactionMode::ReadOnly);
  try {
    (void)again->subscription_events({.subscription_id = "a", .since = 5, .until = 4, .limit = 10});
    ADD_FAILURE() << "until below since was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("eventsUntilNumber"), std::string::npos);
  }
}

TEST_P(FhirStoreOutbox, AReadOnlyTransactionCannotAppend) {
  const auto transaction = store().begin(TransactionMode::ReadOnly);
  EXPECT_THROW((void)transaction->append_subscription_event(event_for("a", "e1")), Error);
}

}  // namespace
}  // namespace ptwin::store::fhir
