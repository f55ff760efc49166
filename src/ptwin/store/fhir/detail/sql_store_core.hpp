// SPDX-License-Identifier: Apache-2.0
#pragma once
// What SqliteResourceStore and PostgresResourceStore share: one SqlSession, the clock that
// stamps lastUpdated, the random source of new ids, and the gate that gives the connection to
// one transaction at a time.

#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir::detail {

class SqlStoreCore {
 public:
  /// `clock` must outlive the store.
  SqlStoreCore(std::unique_ptr<SqlSession> session, const time::Clock& clock);
  ~SqlStoreCore();
  SqlStoreCore(const SqlStoreCore&) = delete;
  SqlStoreCore& operator=(const SqlStoreCore&) = delete;
  SqlStoreCore(SqlStoreCore&&) = delete;
  SqlStoreCore& operator=(SqlStoreCore&&) = delete;

  /// Waits for the connection, begins a database transaction and returns it. Throws
  /// Error(Internal) when the calling thread already holds an open transaction of this store.
  [[nodiscard]] std::unique_ptr<ResourceTransaction> begin(TransactionMode mode);

  [[nodiscard]] SqlSession& session() { return *session_; }
  [[nodiscard]] const time::Clock& clock() const { return clock_; }
  /// A UUID v4 in text form. Call only while holding the connection (from a transaction).
  [[nodiscard]] std::string random_uuid();
  /// Called by a transaction as it ends, before it releases the lock.
  void release_owner() { owner_.store(std::thread::id{}); }

 private:
  std::unique_ptr<SqlSession> session_;
  const time::Clock& clock_;
  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};
  std::mt19937_64 random_;
};

}  // namespace ptwin::store::fhir::detail
