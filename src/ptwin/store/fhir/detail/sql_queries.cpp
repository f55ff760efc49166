// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/sql_queries.hpp"

#include <array>
#include <unordered_set>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/detail/resource_rows.hpp"
#include "ptwin/store/fhir/detail/search_sql.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir::detail {
namespace {

// pk first, then the version columns.
constexpr std::array kPkAndVersionTypes{SqlType::Int64, SqlType::Text,  SqlType::Text,
                                        SqlType::Int64, SqlType::Int64, SqlType::Text,
                                        SqlType::Text};

struct Found {
  std::int64_t pk = 0;
  ResourceVersion version;
};

std::vector<Found> found_rows(const std::vector<SqlRow>& rows) {
  std::vector<Found> found;
  found.reserve(rows.size());
  for (const SqlRow& row : rows) {
    found.push_back(Found{.pk = as_int64(row[0]), .version = version_from_row(row, 1)});
  }
  return found;
}

// How likely a criterion is to narrow a search to few resources, for choosing the one the
// database starts from: a reference (the patient compartment, the twin's usual search) before a
// code before a text or a range. Negated and :missing criteria never start a search.
int narrowing_rank(const Criterion& criterion) {
  if (criterion.chain || criterion.reverse_chain) return 0;  // written as their own subqueries
  if (criterion.modifier == Modifier::Not || criterion.modifier == Modifier::Missing) return 0;
  if (criterion.param == kIdParam) return 5;
  switch (criterion.type) {
    case SearchParamType::Reference: return 4;
    case SearchParamType::Token: return 3;
    case SearchParamType::String:
    case SearchParamType::Uri: return 2;
    default: return 1;
  }
}

void append_matches(SqlBuilder& sql, const SearchQuery& query, time::Instant now) {
  const ResourceScope driver{.alias = "r", .resource_type = query.resource_type};
  ResourceScope probe = driver;
  probe.probes_index = true;
  // The most narrowing criterion is an IN subquery the database can start from; the others
  // are probes of the candidates it yields (ResourceScope::probes_index).
  std::size_t start = query.criteria.size();
  int best = 0;
  for (std::size_t c = 0; c < query.criteria.size(); ++c) {
    const int rank = narrowing_rank(query.criteria[c]);
    if (rank > best) {
      best = rank;
      start = c;
    }
  }
  sql << "r.resource_type = ";
  sql.bind(query.resource_type) << " AND r.is_deleted = 0";
  for (std::size_t c = 0; c < query.criteria.size(); ++c) {
    sql << " AND ";
    append_criterion(sql, query.criteria[c], c == start ? driver : probe, now);
  }
}

std::int64_t count_matches(SqlSession& session, const SearchQuery& query, time::Instant now) {
  SqlBuilder sql;
  sql << "SELECT count(*) FROM fhir_resources r WHERE ";
  append_matches(sql, query, now);
  constexpr std::array kColumns{SqlType::Int64};
  return as_int64(
      session.query(sql.sql(), sql.params(), kColumns, "count search matches").at(0).at(0));
}

std::vector<Found> page_of_matches(SqlSession& session, const SearchQuery& query,
                                   time::Instant now) {
  SqlBuilder sql;
  sql << "SELECT r.pk, " << kVersionColumns
      << " FROM fhir_resources r JOIN fhir_resource_versions v ON v.resource_pk = r.pk AND "
         "v.version_id = r.version_id WHERE ";
  append_matches(sql, query, now);
  append_order_by(sql, query.sort, "r");
  sql << " LIMIT ";
  sql.bind(query.count) << " OFFSET ";
  sql.bind(query.offset);
  return found_rows(session.query(sql.sql(), sql.params(), kPkAndVersionTypes, "search"));
}

void bind_list(SqlBuilder& sql, const std::vector<SqlValue>& values) {
  sql << "(";
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k > 0) sql << ", ";
    sql.bind(values[k]);
  }
  sql << ")";
}

// The live resources the matches point to through `include.param`.
std::vector<Found> included(SqlSession& session, const Include& include,
                            const std::vector<Found>& matches) {
  std::vector<SqlValue> pks;
  for (const Found& match : matches) pks.emplace_back(match.pk);
  SqlBuilder sql;
  sql << "SELECT t.pk, " << kVersionColumns
      << " FROM fhir_resources t JOIN fhir_resource_versions v ON v.resource_pk = t.pk AND "
         "v.version_id = t.version_id WHERE t.is_deleted = 0 AND t.pk IN (SELECT t2.pk FROM "
         "fhir_reference_index ref JOIN fhir_resources t2 ON t2.resource_type = "
         "ref.target_type AND t2.id = ref.target_id WHERE ref.resource_pk IN ";
  bind_list(sql, pks);
  sql << " AND ref.param = ";
  sql.bind(include.param);
  if (include.target_type) {
    sql << " AND ref.target_type = ";
    sql.bind(*include.target_type);
  }
  sql << ") ORDER BY t.pk";
  return found_rows(session.query(sql.sql(), sql.params(), kPkAndVersionTypes, "_include"));
}

// The live resources of `include.source_type` that point to a match through `include.param`.
std::vector<Found> rev_included(SqlSession& session, const Include& include,
                                const std::string& matched_type,
                                const std::vector<Found>& matches) {
  std::vector<SqlValue> ids;
  for (const Found& match : matches) ids.emplace_back(match.version.id);
  SqlBuilder sql;
  sql << "SELECT s.pk, " << kVersionColumns
      << " FROM fhir_resources s JOIN fhir_resource_versions v ON v.resource_pk = s.pk AND "
         "v.version_id = s.version_id WHERE s.is_deleted = 0 AND s.pk IN (SELECT "
         "ref.resource_pk FROM fhir_reference_index ref WHERE ref.resource_type = ";
  sql.bind(include.source_type) << " AND ref.param = ";
  sql.bind(include.param) << " AND ref.target_type = ";
  sql.bind(matched_type) << " AND ref.target_id IN ";
  bind_list(sql, ids);
  sql << ") ORDER BY s.pk";
  return found_rows(session.query(sql.sql(), sql.params(), kPkAndVersionTypes, "_revinclude"));
}

std::vector<ResourceVersion> inclusions(SqlSession& session, const SearchQuery& query,
                                        const std::vector<Found>& matches) {
  std::vector<ResourceVersion> result;
  if (matches.empty()) return result;
  std::unordered_set<std::int64_t> seen;
  for (const Found& match : matches) seen.insert(match.pk);
  const auto keep_new = [&](std::vector<Found> found) {
    for (Found& row : found) {
      if (seen.insert(row.pk).second) result.push_back(std::move(row.version));
    }
  };
  for (const Include& include : query.includes) keep_new(included(session, include, matches));
  for (const Include& include : query.revincludes) {
    keep_new(rev_included(session, include, query.resource_type, matches));
  }
  return result;
}

[[noreturn]] void fail_history(std::string_view field, std::string_view value,
                               const std::string& rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("history: {}", field), printable_value(value),
                   rule);
}

void validate(const HistoryQuery& query) {
  if (query.id && !query.resource_type) fail_history("id", *query.id, "needs a resource type");
  if (query.resource_type && !is_resource_type_name(*query.resource_type)) {
    fail_history("resource type", *query.resource_type, "must be a FHIR resource type name");
  }
  if (query.id && !is_resource_id(*query.id)) {
    fail_history("id", *query.id, "must be a FHIR id");
  }
  if (query.count < 0 || query.count > kMaxPageSize) {
    fail_history("_count", std::to_string(query.count),
                 fmt::format("must be 0 to {}", kMaxPageSize));
  }
  if (query.offset < 0) fail_history("offset", std::to_string(query.offset), "must be >= 0");
}

void append_history_filter(SqlBuilder& sql, const HistoryQuery& query) {
  sql << " WHERE 1 = 1";
  if (query.resource_type) {
    sql << " AND v.resource_type = ";
    sql.bind(*query.resource_type);
  }
  if (query.id) {
    sql << " AND v.id = ";
    sql.bind(*query.id);
  }
  if (query.since) {
    sql << " AND v.last_updated_ns >= ";
    sql.bind(time::to_epoch_ns(*query.since));
  }
}

}  // namespace

SearchResult run_search(SqlSession& session, const SearchQuery& query, time::Instant now) {
  validate(query);
  SearchResult result;
  std::vector<Found> matches;
  if (query.count > 0) matches = page_of_matches(session, query, now);
  const bool is_whole_result = query.offset == 0 && std::ssize(matches) < query.count;
  result.total = is_whole_result ? std::ssize(matches) : count_matches(session, query, now);
  if (query.count > 0 && query.offset + query.count < result.total) {
    result.next_offset = query.offset + query.count;
  }
  result.included = inclusions(session, query, matches);
  result.matches.reserve(matches.size());
  for (Found& match : matches) result.matches.push_back(std::move(match.version));
  return result;
}

HistoryPage run_history(SqlSession& session, const HistoryQuery& query) {
  validate(query);
  HistoryPage page;
  SqlBuilder count;
  count << "SELECT count(*) FROM fhir_resource_versions v";
  append_history_filter(count, query);
  constexpr std::array kCountColumns{SqlType::Int64};
  page.total = as_int64(
      session.query(count.sql(), count.params(), kCountColumns, "count history").at(0).at(0));
  if (query.count == 0 || query.offset >= page.total) return page;
  SqlBuilder sql;
  sql << "SELECT " << kVersionColumns << " FROM fhir_resource_versions v";
  append_history_filter(sql, query);
  sql << " ORDER BY v.last_updated_ns DESC, v.pk DESC LIMIT ";
  sql.bind(query.count) << " OFFSET ";
  sql.bind(query.offset);
  for (const SqlRow& row : session.query(sql.sql(), sql.params(), kVersionColumnTypes, "history")) {
    page.versions.push_back(version_from_row(row));
  }
  return page;
}

}  // namespace ptwin::store::fhir::detail
