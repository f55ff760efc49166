// SPDX-License-Identifier: Apache-2.0
#pragma once
// The read operations of the FHIR store over a SqlSession: search (with paging, total,
// _include and _revinclude) and history. Each runs in the caller's transaction.

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir::detail {

/// Throws InputError when validate(query) does.
[[nodiscard]] SearchResult run_search(SqlSession& session, const SearchQuery& query,
                                      time::Instant now);

/// Throws InputError for an id without a type, an invalid type or id, or a page out of range.
[[nodiscard]] HistoryPage run_history(SqlSession& session, const HistoryQuery& query);

}  // namespace ptwin::store::fhir::detail
