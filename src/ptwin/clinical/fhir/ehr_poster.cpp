// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/ehr_poster.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "ptwin/core/logging.hpp"

namespace ptwin::clinical::fhir {
namespace {

// 408 Request Timeout and 429 Too Many Requests are worth retrying; other 4xx are not.
bool is_refusal(long status) { return status >= 400 && status < 500 && status != 408 && status != 429; }

}  // namespace

EhrPoster::EhrPoster(ingest::fhir::FhirClientSettings client, std::chrono::milliseconds max_backoff)
    : settings_(std::move(client)), max_backoff_(max_backoff), thread_([this] { run(); }) {}

EhrPoster::~EhrPoster() { stop(std::chrono::milliseconds(0)); }

void EhrPoster::enqueue(nlohmann::json resource) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(resource));
    counts_.pending = queue_.size();
  }
  changed_.notify_all();
}

void EhrPoster::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  if (!thread_.joinable()) return;
  changed_.wait_for(lock, grace, [this] { return queue_.empty(); });
  is_stopping_ = true;
  lock.unlock();
  changed_.notify_all();
  thread_.join();
  lock.lock();
  counts_.not_posted = queue_.size();
  counts_.pending = 0;
  if (!queue_.empty()) {
    logging::zone_logger("clinical")
        ->error("EHR outputs not posted at stop count={} base={} (they remain on ptwin's FHIR "
                "facade)",
                queue_.size(), settings_.base_url);
  }
}

EhrPosterCounts EhrPoster::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

void EhrPoster::run() {
  auto logger = logging::zone_logger("clinical");
  std::optional<ingest::fhir::FhirClient> client;
  std::chrono::milliseconds backoff{0};
  constexpr std::chrono::milliseconds kFirstBackoff{1000};
  std::uint64_t failures_of_head = 0;  // failed attempts of the resource at the queue's head
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return is_stopping_ || !queue_.empty(); });
    if (is_stopping_) return;
    const nlohmann::json resource = queue_.front();  // stays queued until it is posted
    lock.unlock();
    bool is_done = false;
    bool is_rejected = false;
    try {
      if (!client) client.emplace(settings_);
      (void)client->update(resource);
      is_done = true;
    } catch (const ingest::fhir::FhirClientError& e) {
      is_rejected = is_refusal(e.http_status());
      if (is_rejected) {
        logger->error("EHR refused output type={} id={} status={}: {}",
                      resource.value("resourceType", ""), resource.value("id", ""),
                      e.http_status(), e.what());
      } else {
        // Once per resource at warn: an EHR that is down for an hour must not flood the log.
        logger->log(failures_of_head == 0 ? spdlog::level::warn : spdlog::level::debug,
                    "EHR output not posted, will retry type={} status={}: {}",
                    resource.value("resourceType", ""), e.http_status(), e.what());
      }
    } catch (const Error& e) {
      logger->log(failures_of_head == 0 ? spdlog::level::warn : spdlog::level::debug,
                  "EHR output not posted, will retry: {}", e.what());
    }
    lock.lock();
    if (is_done || is_rejected) {
      queue_.pop_front();
      if (failures_of_head > 0 && is_done) {
        logger->info("EHR output posted after {} failed attempts", failures_of_head);
      }
      failures_of_head = 0;
      ++(is_done ? counts_.posted : counts_.rejected);
      backoff = std::chrono::milliseconds(0);
    } else {
      ++counts_.failed_attempts;
      ++failures_of_head;
      backoff = std::min(std::max(backoff * 2, kFirstBackoff), max_backoff_);
      changed_.wait_for(lock, backoff, [this] { return is_stopping_; });
    }
    counts_.pending = queue_.size();
    changed_.notify_all();  // stop() waits for an empty queue
  }
}

}  // namespace ptwin::clinical::fhir
