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
  std::string reason;      // empty: accepted
  bool is_repeat = false;  // already in the store: counted as a repeat, not written again
};

BatchWriter::BatchWriter(store::Store& store, const PayloadRules& rules, MetricsBook& metrics,
                         clock::SourceClockTracker& clocks,
                         std::chrono::milliseconds retry_delay_max,
                         std::shared_ptr<spdlog::logger> logger,
                         const StoredMessageObserver& on_stored, store::MessageInbox* inbox)
    : store_(store),
      rules_(rules),
      metrics_(metrics),
      clocks_(clocks),
      retry_delay_max_(retry_delay_max),
      logger_(std::move(logger)),
      on_stored_(on_stored),
      inbox_(inbox) {}

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
  std::vector<std::int64_t> inbox_ids;
  for (const auto& message : batch) {
    if (message.inbox_id != 0) inbox_ids.push_back(message.inbox_id);
  }
  // Storing before the write: after a crash, only these messages may be in the store already.
  if (!mark_in_inbox(inbox_ids, store::InboxState::Storing)) {
    metrics_.on_abandoned(batch.size());
    logger_->error("store writes abandoned at stop messages={} (left in the inbox)", batch.size());
    return;
  }
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
  if (skip_stored_repeats(batch, outcomes, uncounted) &&
      store_samples(batch, outcomes, uncounted) && store_quarantine(batch, outcomes, uncounted)) {
    // A failure here leaves the batch Storing: the next start finds it in the store.
    (void)mark_in_inbox(inbox_ids, store::InboxState::Done);
    return;
  }
  metrics_.on_abandoned(uncounted);
  logger_->error("store writes abandoned at stop messages={}{}", uncounted,
                 inbox_ids.empty() ? "" : " (left in the inbox: stored at the next start)");
}

bool BatchWriter::mark_in_inbox(const std::vector<std::int64_t>& ids, store::InboxState state) {
  if (inbox_ == nullptr || ids.empty()) return true;
  return with_retries("inbox mark", [&] { inbox_->mark(ids, state); });
}

bool BatchWriter::is_in_store(const InboundMessage& message, const Outcome& outcome) const {
  if (!outcome.reason.empty()) {
    const auto source = source_of(message);
    const auto records = store_.quarantined(source);
    return std::any_of(records.begin(), records.end(), [&](const store::QuarantineRecord& record) {
      return record.entry.source == source && record.entry.raw_bytes == message.payload &&
             record.entry.received_at == message.received_at;
    });
  }
  if (outcome.samples.empty()) return false;
  // One message is one quantity of one patient: one range query finds every sample it wrote.
  const auto& first = outcome.samples.front();
  auto from = first.time;
  auto to = first.time;
  for (const auto& sample : outcome.samples) {
    from = std::min(from, sample.time);
    to = std::max(to, sample.time);
  }
  const auto stored =
      store_.samples(first.patient_id, first.code, from, to + std::chrono::nanoseconds{1});
  return std::all_of(outcome.samples.begin(), outcome.samples.end(), [&](const Sample& sample) {
    return std::any_of(stored.begin(), stored.end(), [&](const Sample& candidate) {
      return candidate.patient_id == sample.patient_id && candidate.time == sample.time &&
             candidate.value_si == sample.value_si && candidate.source_id == sample.source_id;
    });
  });
}

// Only messages replayed in state Storing are looked up: a crash may have come between the
// store's commit and the inbox's Done.
bool BatchWriter::skip_stored_repeats(const std::vector<InboundMessage>& batch,
                                      std::vector<Outcome>& outcomes, std::uint64_t& uncounted) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].is_uncertain) continue;
    bool is_stored = false;
    if (!with_retries("find replayed message",
                      [&] { is_stored = is_in_store(batch[i], outcomes[i]); })) {
      return false;
    }
    if (!is_stored) continue;
    outcomes[i].is_repeat = true;
    metrics_.on_repeat();
    --uncounted;
    logger_->info("replayed message already in the store, not stored again source={}",
                  source_of(batch[i]));
  }
  return true;
}

bool BatchWriter::store_samples(const std::vector<InboundMessage>& batch,
                                std::vector<Outcome>& outcomes, std::uint64_t& uncounted) {
  std::vector<Sample> samples;
  std::uint64_t messages = 0;
  for (const auto& outcome : outcomes) {
    if (!outcome.reason.empty() || outcome.is_repeat) continue;
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
    if (outcomes[i].reason.empty() && !outcomes[i].is_repeat) {
      notify_stored(outcomes[i].samples, batch[i].received_at);
    }
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
    if (!outcome.reason.empty() || outcome.is_repeat) continue;
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
    if (outcomes[i].reason.empty() || outcomes[i].is_repeat) continue;
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
