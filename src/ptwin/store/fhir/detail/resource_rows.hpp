// SPDX-License-Identifier: Apache-2.0
#pragma once
// The row-level reads and writes of the resource, version and index tables, shared by every
// operation of SqlResourceTransaction. Each function runs in the caller's transaction.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir::detail {

/// The resource table's row of one resource.
struct CurrentRow {
  std::int64_t pk = 0;
  std::int64_t version_id = 0;
  bool is_deleted = false;
};

/// The columns version_from_row() reads, for `SELECT <kVersionColumns> FROM
/// fhir_resource_versions v ...`, and their types.
inline constexpr std::string_view kVersionColumns =
    "v.resource_type, v.id, v.version_id, v.last_updated_ns, v.operation, v.json";
inline constexpr std::array kVersionColumnTypes{SqlType::Text,  SqlType::Text, SqlType::Int64,
                                                SqlType::Int64, SqlType::Text, SqlType::Text};

[[nodiscard]] ResourceVersion version_from_row(const SqlRow& row, std::size_t first_column = 0);

[[nodiscard]] std::optional<CurrentRow> find_current(SqlSession& session,
                                                     std::string_view resource_type,
                                                     std::string_view id);

/// Inserts the resource row of a new resource and returns its pk.
[[nodiscard]] std::int64_t insert_resource(SqlSession& session, const ResourceVersion& version);

/// Points the resource row at `version`.
void update_resource(SqlSession& session, std::int64_t pk, const ResourceVersion& version);

void insert_version(SqlSession& session, std::int64_t pk, const ResourceVersion& version);

/// Writes `rows` (normalising strings) for a resource that has none yet: a row just inserted
/// by insert_resource (resource rows are never removed, and the index tables' foreign keys
/// name them, so a new pk has no index rows).
void insert_index_rows(SqlSession& session, std::int64_t pk, std::string_view resource_type,
                       const IndexRows& rows);

/// Drops every index row of the resource and writes `rows` (normalising strings).
void replace_index_rows(SqlSession& session, std::int64_t pk, std::string_view resource_type,
                        const IndexRows& rows);

void delete_index_rows(SqlSession& session, std::int64_t pk);

/// The version `version_id` of the resource with row `pk`, if it exists.
[[nodiscard]] std::optional<ResourceVersion> select_version(SqlSession& session, std::int64_t pk,
                                                            std::int64_t version_id);

}  // namespace ptwin::store::fhir::detail
