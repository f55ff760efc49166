// SPDX-License-Identifier: Apache-2.0
#pragma once
// One search criterion tested against the index rows of ONE resource held in memory, with the
// semantics of ResourceStore::search() (docs/store.md#fhir-search-semantics). It answers "would
// a search with this criterion find this resource?" without a database, for SubscriptionTopic
// criteria and Subscription filters, which are evaluated on a resource as it is written.
//
// The comparisons are the ones the search SQL (detail/search_sql.cpp) runs, built from the same
// pieces: range_matches() over MatchBounds for prefixes, normalize_search_string() and
// prefix_successor() for strings, the value types of search_query.hpp. A unit test checks on
// random data that matches() selects exactly what the SQLite store's search selects.

#include <optional>
#include <span>
#include <string_view>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/index_rows.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir {

/// The columns of the resource table that `_id` and `_lastUpdated` are answered from; the
/// index rows do not hold them. Unknown values (empty id, no last_updated) make a criterion on
/// that parameter throw rather than guess.
struct ResourceFacts {
  std::string_view id{};
  std::optional<time::Instant> last_updated{};
};

/// True when the criterion applies to other resources than the one matched: a chain
/// (`subject:Patient.name=x`) or a reverse chain (`_has:Observation:patient:code=x`).
[[nodiscard]] bool needs_other_resources(const Criterion& criterion);

/// Would a search with `criterion` select the resource whose index rows are `rows`? The values
/// of the criterion are ORed; `:not` and `:missing=true` select resources without a matching
/// row. `now` is the reference of `ap` on dates, as in search().
/// Precondition: `criterion` passes validate(Criterion) (it is not checked again here).
/// Throws InputError(BadInput) naming the parameter for a criterion that needs other resources
/// (needs_other_resources()), for `_id` without `facts.id`, for `_lastUpdated` without
/// `facts.last_updated`, and when a string or text of the criterion or of a row is not UTF-8.
[[nodiscard]] bool matches(const Criterion& criterion, const IndexRows& rows, time::Instant now,
                           const ResourceFacts& facts = {});

/// Every criterion matches (search criteria are ANDed); true for none.
[[nodiscard]] bool matches_all(std::span<const Criterion> criteria, const IndexRows& rows,
                               time::Instant now, const ResourceFacts& facts = {});

}  // namespace ptwin::store::fhir
