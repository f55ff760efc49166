// SPDX-License-Identifier: Apache-2.0
#pragma once
// Routes the events of an EHR's subscription into the twin (docs/subscriptions.md#into-the-twin):
// the EventHandler a SubscriptionReceiver calls. What the twin's model reads is kept, what it
// cannot read is quarantined with its reason, nothing is dropped unaccounted:
//   Observation with a vital-sign or echo LOINC code -> Samples (the vital-signs reader's rules:
//     final/amended/corrected, a UTC offset, a unit of the right dimension); one that breaks a
//     rule -> the quarantine, the resource as received, "subscription:<id> event <n>"
//   Patient -> Store::upsert_patient
//   a deletion, or another resource type -> counted, not kept (the twin's store holds what its
//     models use; the EHR remains the record)
// The patient of an Observation is its subject (Patient/<id>).

#include <cstdint>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::fhir::notifications {

struct TwinRoutingCounts {
  std::int64_t events = 0;
  std::int64_t samples_stored = 0;       // from observations_used
  std::int64_t observations_used = 0;
  std::int64_t patients_updated = 0;
  std::int64_t quarantined = 0;
  std::int64_t deletions = 0;
  std::int64_t not_for_the_twin = 0;     // other resource types, observations of other codes
  std::int64_t twin_outputs = 0;         // the twin's own estimates coming back: never assimilated
  /// events == observations_used + patients_updated + quarantined + deletions + not_for_the_twin
  ///           + twin_outputs
  [[nodiscard]] bool is_conserved() const {
    return events == observations_used + patients_updated + quarantined + deletions +
                         not_for_the_twin + twin_outputs;
  }
};

class TwinEventRouter {
 public:
  /// `store` and `clock` must outlive the router; `subscription_id` names the source.
  TwinEventRouter(store::Store& store, const time::Clock& clock, std::string subscription_id);

  /// Routes one event; what the store throws propagates (the receiver then answers 500 and the
  /// EHR sends the event again).
  void operator()(const ReceivedEvent& event);
  /// As an EventHandler (the router must outlive it).
  [[nodiscard]] EventHandler handler();

  [[nodiscard]] const TwinRoutingCounts& counts() const { return counts_; }

 private:
  store::Store& store_;
  const time::Clock& clock_;
  std::string subscription_id_;
  TwinRoutingCounts counts_;
};

}  // namespace ptwin::ingest::fhir::notifications
