// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/stream/sample_tap_store.hpp"

#include <utility>

namespace ptwin::ingest::stream {
namespace {

// The innermost receipt of the calling thread: a feed's reader calls the store
// on the thread that handed it the input, and passing the time through every
// reader's signature would tie them all to this one use.
thread_local const SampleTapStore::Receipt* current_receipt = nullptr;

}  // namespace

SampleTapStore::SampleTapStore(store::Store& inner, SampleStream& stream, std::string feed,
                               const time::Clock& clock)
    : ForwardingStore(inner), stream_(stream), feed_(std::move(feed)), clock_(clock) {}

SampleTapStore::Receipt::Receipt(const SampleTapStore& tap, time::Instant received_at)
    : tap_(tap), received_at_(received_at), outer_(current_receipt) {
  current_receipt = this;
}

SampleTapStore::Receipt::~Receipt() { current_receipt = outer_; }

void SampleTapStore::append_samples(std::span<const Sample> samples) {
  auto received_at = clock_.now();
  for (const auto* receipt = current_receipt; receipt != nullptr; receipt = receipt->outer_) {
    if (&receipt->tap_ == this) {
      received_at = receipt->received_at_;
      break;
    }
  }
  ForwardingStore::append_samples(samples);
  stream_.publish(StoredSamples{
      .feed = feed_, .samples = samples, .received_at = received_at, .stored_at = clock_.now()});
}

}  // namespace ptwin::ingest::stream
