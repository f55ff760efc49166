// SPDX-License-Identifier: Apache-2.0
// Events of an EHR's subscription routed into the twin: vital-sign Observations become samples,
// Patients are upserted, a bad vital sign is quarantined as received, the rest is counted; the
// counts add up.
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/notifications/twin_event_router.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

using nlohmann::json;

json observation(std::string_view id, std::string_view loinc, std::string_view unit,
                 double value, std::string_view time = "2026-11-24T10:00:00Z") {
  return {{"resourceType", "Observation"},
          {"id", id},
          {"status", "final"},
          {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", loinc}}}}}},
          {"subject", {{"reference", "Patient/p1"}}},
          {"effectiveDateTime", time},
          {"valueQuantity",
           {{"value", value}, {"unit", unit}, {"system", "http://unitsofmeasure.org"}, {"code", unit}}}};
}

ReceivedEvent event(std::int64_t number, std::optional<json> resource) {
  ReceivedEvent received;
  received.event_number = number;
  received.focus = resource ? fmt::format("{}/{}", resource->value("resourceType", ""),
                                          resource->value("id", ""))
                            : "Observation/gone";
  received.resource = std::move(resource);
  return received;
}

TEST(TwinEventRouter, RoutesWhatTheTwinReadsAndAccountsForTheRest) {
  store::SqliteStore store(":memory:");
  const time::ManualClock clock(time::parse_iso8601("2026-11-24T12:00:00Z"));
  TwinEventRouter router(store, clock, "ehr-sub-1");
  const auto handle = router.handler();
  handle(event(1, json{{"resourceType", "Patient"}, {"id", "p1"}}));
  handle(event(2, observation("hr", "8867-4", "/min", 72)));
  handle(event(3, observation("sbp", "8480-6", "mm[Hg]", 120)));
  handle(event(4, observation("bad", "8867-4", "furlongs", 72)));        // quarantined
  handle(event(5, observation("temp", "8310-5", "Cel", 37.0)));          // not a code it reads
  handle(event(6, json{{"resourceType", "Encounter"}, {"id", "e1"}}));  // not for the twin
  handle(event(7, std::nullopt));                                        // a deletion
  auto estimate = observation("est", "8741-1", "L/min", 4.2);  // a twin's estimated CO
  estimate["extension"] = json::array(
      {{{"url", "https://ptwin.dev/fhir/StructureDefinition/model-provenance"}}});
  handle(event(8, estimate));  // never assimilated as a measurement

  const auto& counts = router.counts();
  EXPECT_EQ(counts.events, 8);
  EXPECT_EQ(counts.patients_updated, 1);
  EXPECT_EQ(counts.observations_used, 2);
  EXPECT_EQ(counts.samples_stored, 2);
  EXPECT_EQ(counts.quarantined, 1);
  EXPECT_EQ(counts.not_for_the_twin, 2);
  EXPECT_EQ(counts.deletions, 1);
  EXPECT_EQ(counts.twin_outputs, 1);
  EXPECT_TRUE(store.samples("p1", "8741-1", time::parse_iso8601("2026-11-24T00:00:00Z"),
                            time::parse_iso8601("2026-11-25T00:00:00Z"))
                  .empty());
  EXPECT_TRUE(counts.is_conserved());

  EXPECT_TRUE(store.find_patient("p1").has_value());
  const auto heart_rates = store.samples("p1", "8867-4", time::parse_iso8601("2026-11-24T00:00:00Z"),
                                         time::parse_iso8601("2026-11-25T00:00:00Z"));
  ASSERT_EQ(heart_rates.size(), 1U);
  EXPECT_DOUBLE_EQ(heart_rates.front().value_si, 72.0 / 60.0);  // Hz
  const auto quarantined = store.quarantined(std::nullopt);
  ASSERT_EQ(quarantined.size(), 1U);
  EXPECT_EQ(quarantined.front().entry.source, "subscription:ehr-sub-1 event 4");
  EXPECT_NE(quarantined.front().entry.reason.find("furlongs"), std::string::npos)
      << quarantined.front().entry.reason;
  EXPECT_NE(quarantined.front().entry.raw_bytes.find("\"id\":\"bad\""), std::string::npos);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::notifications
