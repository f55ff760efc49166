// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/sql_store_core.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/detail/sql_resource_transaction.hpp"

namespace ptwin::store::fhir::detail {

SqlStoreCore::SqlStoreCore(std::unique_ptr<SqlSession> session, const time::Clock& clock)
    : session_(std::move(session)), clock_(clock), random_(std::random_device{}()) {}

SqlStoreCore::~SqlStoreCore() = default;

std::unique_ptr<ResourceTransaction> SqlStoreCore::begin(TransactionMode mode) {
  if (owner_.load() == std::this_thread::get_id()) {
    throw Error(ErrorCode::Internal,
                fmt::format("{}: begin: this thread already holds an open transaction of this "
                            "store, and would wait for itself; finish that one first",
                            session_->description()));
  }
  std::unique_lock<std::mutex> lock(mutex_);
  session_->begin(mode);
  owner_.store(std::this_thread::get_id());
  try {
    return std::make_unique<SqlResourceTransaction>(*this, std::move(lock), mode);
  } catch (...) {
    session_->rollback();
    owner_.store(std::thread::id{});
    throw;
  }
}

std::string SqlStoreCore::random_uuid() {
  // RFC 9562 version 4: 122 random bits, version nibble 4, variant bits 10.
  std::uint64_t high = random_();
  std::uint64_t low = random_();
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32U, (high >> 16U) & 0xFFFFU,
                     high & 0xFFFFU, low >> 48U, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace ptwin::store::fhir::detail
