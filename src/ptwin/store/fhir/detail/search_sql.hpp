// SPDX-License-Identifier: Apache-2.0
#pragma once
// Search criteria and sort keys as SQL over the index tables (docs/store.md#fhir-search-
// semantics). Values are always bound parameters; only table and column names, which are
// constants of this file, become SQL text.

#include <optional>
#include <span>
#include <string>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir::detail {

/// The resources a condition is about: an alias of fhir_resources in the enclosing query, and
/// their type when known (which narrows the index lookups).
struct ResourceScope {
  std::string alias;
  std::optional<std::string> resource_type;
  /// How an indexed criterion is written. false: `alias.pk IN (SELECT the matching index
  /// rows)`, which lets the database start from that index. true: a correlated
  /// `EXISTS (SELECT 1 ... WHERE resource_pk = alias.pk ...)`, a probe of the (resource_pk,
  /// param) index per candidate: far cheaper for a criterion that matches many resources once
  /// another criterion has narrowed the candidates (patient=X&code=Y&date=ge...).
  bool probes_index = false;
};

/// Appends a condition that holds for the resources of `scope` that match `criterion`
/// (validated). `now` is the reference for `ap` on dates.
void append_criterion(SqlBuilder& sql, const Criterion& criterion, const ResourceScope& scope,
                      time::Instant now);

/// Appends " ORDER BY <keys>, <alias>.pk": resources without a sort value last, creation order
/// breaking ties so that paging is stable.
void append_order_by(SqlBuilder& sql, std::span<const SortKey> keys, std::string_view alias);

}  // namespace ptwin::store::fhir::detail
