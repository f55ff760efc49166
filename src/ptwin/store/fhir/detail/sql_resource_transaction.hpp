// SPDX-License-Identifier: Apache-2.0
#pragma once
// ResourceTransaction over a SqlSession: the store's write and read logic, written once for
// every backend.

#include <mutex>

#include "ptwin/store/fhir/detail/sql_store_core.hpp"

namespace ptwin::store::fhir::detail {

class SqlResourceTransaction final : public ResourceTransaction {
 public:
  /// Takes over `lock` on the store's connection, on which a transaction has begun in `mode`.
  SqlResourceTransaction(SqlStoreCore& core, std::unique_lock<std::mutex> lock,
                         TransactionMode mode);
  ~SqlResourceTransaction() override;
  SqlResourceTransaction(const SqlResourceTransaction&) = delete;
  SqlResourceTransaction& operator=(const SqlResourceTransaction&) = delete;
  SqlResourceTransaction(SqlResourceTransaction&&) = delete;
  SqlResourceTransaction& operator=(SqlResourceTransaction&&) = delete;

  [[nodiscard]] std::string new_id() override;
  [[nodiscard]] ResourceVersion create_with_id(const NewResource& resource,
                                               std::string_view id) override;
  [[nodiscard]] ConditionalCreateResult conditional_create(
      const NewResource& resource, std::span<const Criterion> criteria) override;
  [[nodiscard]] UpdateResult update(const NewResource& resource, std::string_view id,
                                    const UpdateOptions& options) override;
  [[nodiscard]] DeleteResult remove(std::string_view resource_type, std::string_view id) override;
  [[nodiscard]] ReadResult read(std::string_view resource_type, std::string_view id) override;
  [[nodiscard]] ReadResult vread(std::string_view resource_type, std::string_view id,
                                 std::int64_t version_id) override;
  [[nodiscard]] HistoryPage history(const HistoryQuery& query) override;
  [[nodiscard]] SearchResult search(const SearchQuery& query) override;
  [[nodiscard]] std::vector<ResourceVersion> export_scan(const ExportScan& scan) override;
  void save_export_job(const ExportJobRecord& job) override;
  [[nodiscard]] std::optional<ExportJobRecord> export_job(std::string_view id) override;
  [[nodiscard]] std::vector<ExportJobRecord> export_jobs() override;
  bool delete_export_job(std::string_view id) override;
  [[nodiscard]] std::int64_t append_subscription_event(const NewSubscriptionEvent& event) override;
  [[nodiscard]] std::vector<SubscriptionEvent> subscription_events(
      const SubscriptionEventQuery& query) override;
  [[nodiscard]] SubscriptionEventCounters subscription_event_counters(
      std::string_view subscription_id) override;
  void mark_subscription_delivered(std::string_view subscription_id,
                                   std::int64_t event_number) override;
  SubscriptionEventPurge purge_subscription_events(time::Instant recorded_before) override;
  [[nodiscard]] bool take_lease(std::string_view name, std::string_view owner,
                                std::chrono::nanoseconds duration) override;
  void release_lease(std::string_view name, std::string_view owner) override;
  void commit() override;
  void rollback() override;

 private:
  enum class State { Open, Failed, Finished };

  /// Runs `body` if the transaction is open (and writable, for writes); any exception marks
  /// the transaction failed before it propagates.
  template <typename Body>
  auto guarded(std::string_view operation, bool is_write, Body&& body);
  [[nodiscard]] ResourceVersion write_new(const NewResource& resource, std::string_view id,
                                          VersionOperation operation);
  void end();

  SqlStoreCore& core_;
  std::unique_lock<std::mutex> lock_;
  TransactionMode mode_;
  State state_ = State::Open;
};

}  // namespace ptwin::store::fhir::detail
