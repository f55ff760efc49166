// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir {
namespace {

template <typename Operation>
auto in_transaction(ResourceStore& store, TransactionMode mode, Operation&& operation) {
  const std::unique_ptr<ResourceTransaction> transaction = store.begin(mode);
  auto result = operation(*transaction);
  transaction->commit();
  return result;
}

}  // namespace

ResourceVersion ResourceTransaction::create(const NewResource& resource) {
  return create_with_id(resource, new_id());
}

ResourceVersion ResourceStore::create(const NewResource& resource) {
  return in_transaction(*this, TransactionMode::ReadWrite,
                        [&](ResourceTransaction& tx) { return tx.create(resource); });
}

ConditionalCreateResult ResourceStore::conditional_create(const NewResource& resource,
                                                          std::span<const Criterion> criteria) {
  return in_transaction(*this, TransactionMode::ReadWrite, [&](ResourceTransaction& tx) {
    return tx.conditional_create(resource, criteria);
  });
}

UpdateResult ResourceStore::update(const NewResource& resource, std::string_view id,
                                   const UpdateOptions& options) {
  return in_transaction(*this, TransactionMode::ReadWrite,
                        [&](ResourceTransaction& tx) { return tx.update(resource, id, options); });
}

DeleteResult ResourceStore::remove(std::string_view resource_type, std::string_view id) {
  return in_transaction(*this, TransactionMode::ReadWrite,
                        [&](ResourceTransaction& tx) { return tx.remove(resource_type, id); });
}

ReadResult ResourceStore::read(std::string_view resource_type, std::string_view id) {
  return in_transaction(*this, TransactionMode::ReadOnly,
                        [&](ResourceTransaction& tx) { return tx.read(resource_type, id); });
}

ReadResult ResourceStore::vread(std::string_view resource_type, std::string_view id,
                                std::int64_t version_id) {
  return in_transaction(*this, TransactionMode::ReadOnly, [&](ResourceTransaction& tx) {
    return tx.vread(resource_type, id, version_id);
  });
}

HistoryPage ResourceStore::history(const HistoryQuery& query) {
  return in_transaction(*this, TransactionMode::ReadOnly,
                        [&](ResourceTransaction& tx) { return tx.history(query); });
}

SearchResult ResourceStore::search(const SearchQuery& query) {
  return in_transaction(*this, TransactionMode::ReadOnly,
                        [&](ResourceTransaction& tx) { return tx.search(query); });
}

}  // namespace ptwin::store::fhir
