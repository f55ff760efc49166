// SPDX-License-Identifier: Apache-2.0
#pragma once
// Counters of a BiosensorSubscriber, read as one consistent snapshot (docs/mqtt.md#metrics).

#include <cstdint>

namespace ptwin::ingest::mqtt {

/// Message counters. Every message handed over by the broker (or replayed from the inbox at
/// start) is counted once in `received` and, at any moment, in exactly one of the other message
/// counters:
///   received == accepted + quarantined + dropped_qos0 + repeats + pending + abandoned
/// (is_conserved()). After a stop() that met no store failure, pending == abandoned == 0, so
/// received == accepted + quarantined + dropped_qos0, and dropped_qos0 is 0 unless
/// Qos0Overflow::Drop is configured (it only ever counts QoS 0 messages).
struct SubscriberMetrics {
  std::uint64_t received = 0;        // messages the broker delivered
  std::uint64_t accepted = 0;        // messages whose samples are stored
  std::uint64_t quarantined = 0;     // messages stored in the quarantine with their reason
  std::uint64_t dropped_qos0 = 0;    // QoS 0 messages dropped on a full queue (Qos0Overflow::Drop)
  std::uint64_t pending = 0;         // received, neither stored nor quarantined yet
  std::uint64_t abandoned = 0;       // not stored: given up at stop() while the store kept
                                     // failing, or refused unacknowledged (see BiosensorSubscriber)
  std::uint64_t repeats = 0;         // with an inbox: already taken, not stored again (a broker's
                                     // redelivery of a message in the inbox, or a replayed
                                     // message whose write had committed before a crash)
  std::uint64_t replayed = 0;        // of `received`: read back from the inbox at start
  std::uint64_t samples_stored = 0;  // samples written by accepted messages
  std::uint64_t queue_full_waits = 0;   // times the network thread waited for room (back-pressure)
  std::uint64_t store_failures = 0;     // failed store calls, each retried
  std::uint64_t connections = 0;        // successful CONNACKs, the first one included
  std::uint64_t connection_losses = 0;  // connections lost without stop() asking
  std::uint64_t observer_failures = 0;  // SubscriberSettings::on_stored threw (logged)
  bool is_connected = false;            // a CONNACK was received and the socket is still open
  bool is_subscribed = false;           // and the broker granted every subscription on it

  [[nodiscard]] bool is_conserved() const {
    return received == accepted + quarantined + dropped_qos0 + repeats + pending + abandoned;
  }
  friend bool operator==(const SubscriberMetrics&, const SubscriberMetrics&) = default;
};

}  // namespace ptwin::ingest::mqtt
