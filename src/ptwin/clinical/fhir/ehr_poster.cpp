// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/ehr_poster.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "ptwin/core/logging.hpp"

namespace ptwin::clinical::fhir {
namespace {

// 408 Request Timeout and 429 Too Many Requests are worth retrying; other 4xx are not.
bool is_refusal(long status) {
  return status >= 400 && status < 500 && status != 408 && status != 429;
}

}  // namespace

EhrPoster::EhrPoster(ingest::fhir::FhirClientSettings client, std::chrono::milliseconds max_backoff,
                     std::optional<std::filesystem::path> spool)
    : settings_(std::move(client)),
      max_backoff_(max_backoff),
      spool_(spool ? std::make_unique<OutputSpool>(*spool) : nullptr) {
  if (spool_) {
    for (auto& entry : spool_->take_pending()) queue_.push_back(std::move(entry));
    counts_.resumed = queue_.size();
    counts_.pending = queue_.size();
    if (!queue_.empty()) {
      logging::zone_logger("clinical")
          ->info("EHR outputs resumed from spool count={} file={}", queue_.size(),
                 spool_->file().string());
    }
  }
  thread_ = std::thread([this] { run(); });  // after the queue holds what was resumed
}

EhrPoster::~EhrPoster() { stop(std::chrono::milliseconds(0)); }

void EhrPoster::enqueue(nlohmann::json resource) {
  {
    const std::lock_guard lock(mutex_);
    std::uint64_t number = 0;
    if (spool_) {
      try {
        number = spool_->append(resource);
      } catch (const Error& e) {  // still posted from memory; lost only if the process stops first
        ++counts_.spool_failures;
        logging::zone_logger("clinical")->error("EHR output not spooled: {}", e.what());
      }
    }
    queue_.push_back({number, std::move(resource)});
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
        ->error(
            "EHR outputs not posted at stop count={} base={} (they remain on ptwin's FHIR "
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
    const nlohmann::json resource = queue_.front().resource;  // stays queued until posted
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
                      resource.value("resourceType", ""), resource.value("id", ""), e.http_status(),
                      e.what());
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
      if (spool_ && queue_.front().number != 0) {
        try {
          spool_->mark_done(queue_.front().number);
        } catch (const Error& e) {  // the next run sends it again: a PUT of the same id
          ++counts_.spool_failures;
          logger->error("EHR output spool not updated: {}", e.what());
        }
      }
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
