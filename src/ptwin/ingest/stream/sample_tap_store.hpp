// SPDX-License-Identifier: Apache-2.0
#pragma once
// A Store decorator that publishes every stored batch of samples to a
// SampleStream, for feeds whose reader writes synchronously on the thread that
// received the input: the HL7 v2 ingestor (on an MLLP worker thread) and the
// subscription event router (on an HTTP thread). The feed marks the input it is
// handling with a Receipt, which gives the samples their receipt time.

#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/store/forwarding_store.hpp"

namespace ptwin::ingest::stream {

class SampleTapStore final : public store::ForwardingStore {
 public:
  /// Every reference must outlive the tap. `feed` names the feed in what is
  /// published.
  SampleTapStore(store::Store& inner, SampleStream& stream, std::string feed,
                 const time::Clock& clock);

  /// While alive, the calling thread is handling an input that arrived at
  /// `received_at`. The reader calls the store on the thread that handed it the
  /// input, so the receipt is found through that thread (a thread_local);
  /// receipts nest.
  class Receipt {
   public:
    Receipt(const SampleTapStore& tap, time::Instant received_at);
    ~Receipt();
    Receipt(const Receipt&) = delete;
    Receipt& operator=(const Receipt&) = delete;

   private:
    friend class SampleTapStore;
    const SampleTapStore& tap_;
    time::Instant received_at_;
    const Receipt* outer_;
  };

  /// Stores, then publishes with the receipt time of this thread's Receipt for
  /// this tap, or, without one, the time the call began. What the inner store
  /// throws propagates and nothing is published.
  void append_samples(std::span<const Sample> samples) override;

 private:
  SampleStream& stream_;
  std::string feed_;
  const time::Clock& clock_;
};

}  // namespace ptwin::ingest::stream
