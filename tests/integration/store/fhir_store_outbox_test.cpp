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
            (SubscriptionEventCounters{.last_event_number = 3, .delivered_through = 0,
                                       .purged_through = 0}));
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

std::vector<std::int64_t> numbers_held(ResourceStore& store, const std::string& subscription) {
  const auto transaction = store.begin(TransactionMode::ReadOnly);
  std::vector<std::int64_t> numbers;
  for (const SubscriptionEvent& event : transaction->subscription_events(
           {.subscription_id = subscription, .since = 1, .until = INT64_MAX, .limit = 1000})) {
    numbers.push_back(event.event_number);
  }
  transaction->commit();
  return numbers;
}

void mark_delivered(ResourceStore& store, const std::string& subscription, std::int64_t number) {
  const auto transaction = store.begin(TransactionMode::ReadWrite);
  transaction->mark_subscription_delivered(subscription, number);
  transaction->commit();
}

SubscriptionEventPurge purge(ResourceStore& store, time::Instant recorded_before) {
  const auto transaction = store.begin(TransactionMode::ReadWrite);
  const SubscriptionEventPurge purged = transaction->purge_subscription_events(recorded_before);
  transaction->commit();
  return purged;
}

TEST_P(FhirStoreOutbox, PurgeRemovesOnlyDeliveredEventsOlderThanTheCutoffAndNumbersGoOn) {
  // a: events 1..4 at t0, 5..6 an hour later; b: 1..2 at t0, never delivered.
  const time::Instant t0 = clock_.now();
  for (int i = 0; i < 4; ++i) (void)append(store(), event_for("a", "old"));
  for (int i = 0; i < 2; ++i) (void)append(store(), event_for("b", "old"));
  clock_.advance(std::chrono::hours(1));
  for (int i = 0; i < 2; ++i) (void)append(store(), event_for("a", "new"));
  mark_delivered(store(), "a", 3);
  // Cutoff after t0: delivered and old are 1..3; 4 is old but undelivered; b is undelivered.
  EXPECT_EQ(purge(store(), t0 + std::chrono::minutes(1)),
            (SubscriptionEventPurge{.events = 3, .subscriptions = 1}));
  EXPECT_EQ(numbers_held(store(), "a"), (std::vector<std::int64_t>{4, 5, 6}));
  EXPECT_EQ(numbers_held(store(), "b"), (std::vector<std::int64_t>{1, 2}));
  // Everything delivered, cutoff still between: 4 goes, 5 and 6 (recorded later) stay.
  mark_delivered(store(), "a", 6);
  EXPECT_EQ(purge(store(), t0 + std::chrono::minutes(1)),
            (SubscriptionEventPurge{.events = 1, .subscriptions = 1}));
  EXPECT_EQ(numbers_held(store(), "a"), (std::vector<std::int64_t>{5, 6}));
  EXPECT_EQ(purge(store(), t0 + std::chrono::minutes(1)), SubscriptionEventPurge{});
  // A cutoff after everything: all of a's delivered events go; the counter keeps counting.
  EXPECT_EQ(purge(store(), clock_.now() + std::chrono::hours(1)),
            (SubscriptionEventPurge{.events = 2, .subscriptions = 1}));
  EXPECT_TRUE(numbers_held(store(), "a").empty());
  EXPECT_EQ(numbers_held(store(), "b"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(append(store(), event_for("a", "after")), 7);
  const auto transaction = store().begin(TransactionMode::ReadOnly);
  EXPECT_EQ(transaction->subscription_event_counters("a"),
            (SubscriptionEventCounters{.last_event_number = 7, .delivered_through = 6,
                                       .purged_through = 6}));
  EXPECT_EQ(transaction->subscription_event_counters("b").purged_through, 0);
  transaction->commit();
}

TEST_P(FhirStoreOutbox, AnUndeliveredEventIsNeverPurgedWhateverItsAge) {
  (void)append(store(), event_for("a", "e1"));
  (void)append(store(), event_for("a", "e2"));
  mark_delivered(store(), "a", 1);
  clock_.advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(purge(store(), clock_.now()).events, 1);
  EXPECT_EQ(numbers_held(store(), "a"), std::vector<std::int64_t>{2});
  {  // A purge rolled back removes nothing.
    const auto transaction = store().begin(TransactionMode::ReadWrite);
    transaction->mark_subscription_delivered("a", 2);
    EXPECT_EQ(transaction->purge_subscription_events(clock_.now()).events, 1);
  }
  EXPECT_EQ(numbers_held(store(), "a"), std::vector<std::int64_t>{2});
}

TEST_P(FhirStoreOutbox, ALeaseIsHeldByOneOwnerUntilItExpiresOrIsReleased) {
  const auto other = open_store();  // a second connection, as a second process would have
  const auto take = [](ResourceStore& on, const std::string& owner, std::chrono::seconds span) {
    const auto transaction = on.begin(TransactionMode::ReadWrite);
    const bool taken = transaction->take_lease("delivery", owner, span);
    transaction->commit();
    return taken;
  };
  EXPECT_TRUE(take(store(), "one", std::chrono::seconds(30)));
  EXPECT_FALSE(take(*other, "two", std::chrono::seconds(30)));
  EXPECT_TRUE(take(store(), "one", std::chrono::seconds(30)));  // renewed
  clock_.advance(std::chrono::seconds(31));
  EXPECT_TRUE(take(*other, "two", std::chrono::seconds(30)));  // expired: taken over
  EXPECT_FALSE(take(store(), "one", std::chrono::seconds(30)));
  {
    const auto transaction = store().begin(TransactionMode::ReadWrite);
    transaction->release_lease("delivery", "one");  // not its owner: no effect
    transaction->commit();
  }
  EXPECT_FALSE(take(store(), "one", std::chrono::seconds(30)));
  {
    const auto transaction = other->begin(TransactionMode::ReadWrite);
    transaction->release_lease("delivery", "two");
    transaction->commit();
  }
  EXPECT_TRUE(take(store(), "one", std::chrono::seconds(30)));
  const auto transaction = store().begin(TransactionMode::ReadWrite);
  EXPECT_THROW((void)transaction->take_lease("delivery", "", std::chrono::seconds(1)), InputError);
}

TEST_P(FhirStoreOutbox, AReadOnlyTransactionCannotAppend) {
  const auto transaction = store().begin(TransactionMode::ReadOnly);
  EXPECT_THROW((void)transaction->append_subscription_event(event_for("a", "e1")), Error);
}

}  // namespace
}  // namespace ptwin::store::fhir
