// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/detail/batch_writer.hpp"

#include <algorithm>
#include <bit>
#include <exception>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::mqtt::detail {
namespace {

constexpr std::chrono::milliseconds kFirstRetryDelay{50};

std::string source_of(const InboundMessage& message) { return "mqtt:" + message.topic; }

}  // namespace

struct BatchWriter::Outcome {
  std::vector<Sample> samples;
  std::string reason;  // empty: accepted
};

BatchWriter::BatchWriter(store::Store& store, const PayloadRules& rules, MetricsBook& metrics,
                         clock::SourceClockTracker& clocks,
                         std::chrono::milliseconds retry_delay_max,
                         std::shared_ptr<spdlog::logger> logger,
                         const StoredMessageObserver& on_stored)
    : store_(store),
      rules_(rules),
      metrics_(metrics),
      clocks_(clocks),
      retry_delay_max_(retry_delay_max),
      logger_(std::move(logger)),
      on_stored_(on_stored) {}

void BatchWriter::notify_stored(const std::vector<Sample>& samples, time::Instant received_at) {
  if (!on_stored_) return;
  try {
    on_stored_(StoredMessage{.samples = samples, .received_at = received_at});
  } catch (const std::exception& error) {
    // The samples are stored whatever a later stage makes of them.
    metrics_.on_observer_failure();
    logger_->error("stored-message observer failed error={}", error.what());
  }
}

void BatchWriter::abandon() {
  const std::lock_guard lock(mutex_);
  is_abandoned_ = true;
  abandoned_.notify_all();
}

// The last reading of a message is the one taken closest to its sending, so its time stamp and
// the delivery time make the pair (a waveform chunk's first sample can be seconds older).
void BatchWriter::track_clock(std::vector<Sample>& samples, time::Instant received_at) {
  if (samples.empty()) return;
  const auto& device = samples.front().source_id;
  auto last = samples.front().time;
  for (const auto& sample : samples) last = std::max(last, sample.time);
  clocks_.observe(device, last, received_at);
  if (!clocks_.is_correcting(device)) return;
  for (auto& sample : samples) sample.time = clocks_.to_utc(device, sample.time);
}

void BatchWriter::persist(const std::vector<InboundMessage>& batch) {
  std::vector<Outcome> outcomes(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& message = batch[i];
    try {
      outcomes[i].samples =
          parse_biosensor_payload(message.payload, source_of(message), rules_, message.received_at);
      track_clock(outcomes[i].samples, message.received_at);
    } catch (const InputError& error) {
      outcomes[i].reason = error.what();
    } catch (const std::exception& error) {
      // The parser promises InputError only; anything else is a bug in ptwin, and the message
      // is still kept, with the bug's description as its reason.
      outcomes[i].reason = fmt::format("{}: payload could not be read: {} [{}]", source_of(message),
                                       error.what(), error_code_info(ErrorCode::Internal).name);
    }
  }
  std::uint64_t uncounted = batch.size();
  if (store_samples(batch, outcomes, uncounted) && store_quarantine(batch, outcomes, uncounted)) {
    return;
  }
  metrics_.on_abandoned(uncounted);
  logger_->error("store writes abandoned at stop messages={}", uncounted);
}

bool BatchWriter::store_samples(const std::vector<InboundMessage>& batch,
                                std::vector<Outcome>& outcomes, std::uint64_t& uncounted) {
  std::vector<Sample> samples;
  std::uint64_t messages = 0;
  for (const auto& outcome : outcomes) {
    if (!outcome.reason.empty()) continue;
    samples.insert(samples.end(), outcome.samples.begin(), outcome.samples.end());
    ++messages;
  }
  if (messages == 0) return true;
  try {
    if (!with_retries("append_samples", [&] { store_.append_samples(samples); })) return false;
  } catch (const InputError& error) {
    logger_->error("store refused a batch messages={} error={}; storing message by message",
                   messages, error.what());
    return store_one_by_one(batch, outcomes, uncounted);
  }
  metrics_.on_accepted(messages, samples.size());
  uncounted -= messages;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (outcomes[i].reason.empty()) notify_stored(outcomes[i].samples, batch[i].received_at);
  }
  return true;
}

// The parser accepted what the store refused (a rule of the store that the parser does not
// know): one refused message must not hold back the others, so each goes on its own, and a
// refused one joins the quarantine with the store's reason.
bool BatchWriter::store_one_by_one(const std::vector<InboundMessage>& batch,
                                   std::vector<Outcome>& outcomes, std::uint64_t& uncounted) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& outcome = outcomes[i];
    if (!outcome.reason.empty()) continue;
    try {
      if (!with_retries("append_samples", [&] { store_.append_samples(outcome.samples); })) {
        return false;
      }
      metrics_.on_accepted(1, outcome.samples.size());
      --uncounted;
      notify_stored(outcome.samples, batch[i].received_at);
    } catch (const InputError& error) {
      outcome.reason =
          fmt::format("{}: the store refused its samples: {}", source_of(batch[i]), error.what());
    }
  }
  return true;
}

bool BatchWriter::store_quarantine(const std::vector<InboundMessage>& batch,
                                   const std::vector<Outcome>& outcomes, std::uint64_t& uncounted) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (outcomes[i].reason.empty()) continue;
    const store::QuarantineEntry entry{.source = source_of(batch[i]),
                                       .reason = outcomes[i].reason,
                                       .raw_bytes = batch[i].payload,
                                       .received_at = batch[i].received_at};
    try {
      if (!with_retries("quarantine", [&] { (void)store_.quarantine(entry); })) return false;
    } catch (const InputError& error) {
      // Cannot happen: source and reason are never empty. Should it, the message is lost, and
      // said so.
      logger_->error("store refused a quarantine entry source={} error={}", entry.source,
                     error.what());
      metrics_.on_abandoned(1);
      --uncounted;
      continue;
    }
    const auto total = metrics_.on_quarantined();
    --uncounted;
    // Summarised, not one line per message: a misconfigured device can send thousands.
    if (std::has_single_bit(total)) {
      logger_->warn("message quarantined source={} reason={} quarantined_total={}", entry.source,
                    entry.reason, total);
    }
  }
  return true;
}

bool BatchWriter::with_retries(std::string_view operation, const std::function<void()>& write) {
  auto delay = kFirstRetryDelay;
  for (int attempt = 1;; ++attempt) {
    try {
      write();
      return true;
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& error) {
      metrics_.on_store_failure();
      logger_->error("store {} failed attempt={} retry_in_ms={} error={}", operation, attempt,
                     delay.count(), error.what());
    }
    std::unique_lock lock(mutex_);
    if (abandoned_.wait_for(lock, delay, [this] { return is_abandoned_; })) return false;
    delay = std::min(delay * 2, retry_delay_max_);
  }
}

}  // namespace ptwin::ingest::mqtt::detail
