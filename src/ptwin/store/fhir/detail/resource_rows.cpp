// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/resource_rows.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/string_normalization.hpp"

namespace ptwin::store::fhir::detail {
namespace {

constexpr std::array<std::string_view, 7> kIndexTables{
    "fhir_string_index",   "fhir_token_index",     "fhir_date_index", "fhir_number_index",
    "fhir_quantity_index", "fhir_reference_index", "fhir_uri_index"};

std::string_view operation_text(VersionOperation operation) {
  switch (operation) {
    case VersionOperation::Create:
      return "create";
    case VersionOperation::Update:
      return "update";
    case VersionOperation::Delete:
      return "delete";
  }
  return "create";
}

VersionOperation operation_from_text(const std::string& text) {
  if (text == "create") return VersionOperation::Create;
  if (text == "update") return VersionOperation::Update;
  if (text == "delete") return VersionOperation::Delete;
  // The schema's CHECK constraint makes any other word a corrupt database.
  throw Error(ErrorCode::StoreFailure,
              fmt::format("fhir store: version operation '{}' is not create, update or delete",
                          printable_value(text)));
}

void insert_strings(SqlSession& session, const std::array<SqlValue, 2>& owner,
                    const IndexRows& rows) {
  for (const StringIndex& row : rows.strings) {
    const std::array<SqlValue, 5> params{
        owner[0], owner[1], row.param,
        normalize_search_string(row.value, fmt::format("string index '{}'", row.param)), row.value};
    session.execute(
        "INSERT INTO fhir_string_index (resource_pk, resource_type, param, value_normalized, "
        "value_exact) VALUES (?, ?, ?, ?, ?)",
        params, "insert string index row");
  }
  for (const TokenIndex& row : rows.tokens) {
    SqlValue text = std::monostate{};
    if (row.text) text = normalize_search_string(*row.text, fmt::format("token '{}'", row.param));
    const std::array<SqlValue, 6> params{
        owner[0],       owner[1], row.param, optional_text(row.system), optional_text(row.code),
        std::move(text)};
    session.execute(
        "INSERT INTO fhir_token_index (resource_pk, resource_type, param, system, code, "
        "text_normalized) VALUES (?, ?, ?, ?, ?, ?)",
        params, "insert token index row");
  }
}

void insert_ordered(SqlSession& session, const std::array<SqlValue, 2>& owner,
                    const IndexRows& rows) {
  for (const DateIndex& row : rows.dates) {
    const std::array<SqlValue, 5> params{owner[0], owner[1], row.param, time::to_epoch_ns(row.low),
                                         time::to_epoch_ns(row.high)};
    session.execute(
        "INSERT INTO fhir_date_index (resource_pk, resource_type, param, low_ns, high_ns) "
        "VALUES (?, ?, ?, ?, ?)",
        params, "insert date index row");
  }
  for (const NumberIndex& row : rows.numbers) {
    const std::array<SqlValue, 6> params{owner[0],  owner[1], row.param,
                                         row.value, row.low,  row.high};
    session.execute(
        "INSERT INTO fhir_number_index (resource_pk, resource_type, param, value, low, high) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        params, "insert number index row");
  }
  for (const QuantityIndex& row : rows.quantities) {
    const std::array<SqlValue, 9> params{owner[0],
                                         owner[1],
                                         row.param,
                                         row.value,
                                         row.low,
                                         row.high,
                                         optional_text(row.system),
                                         optional_text(row.code),
                                         optional_text(row.unit)};
    session.execute(
        "INSERT INTO fhir_quantity_index (resource_pk, resource_type, param, value, low, high, "
        "system, code, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params, "insert quantity index row");
  }
}

void insert_links(SqlSession& session, const std::array<SqlValue, 2>& owner,
                  const IndexRows& rows) {
  for (const ReferenceIndex& row : rows.references) {
    const std::array<SqlValue, 7> params{owner[0],
                                         owner[1],
                                         row.param,
                                         optional_text(row.target_type),
                                         optional_text(row.target_id),
                                         optional_text(row.target_version),
                                         optional_text(row.url)};
    session.execute(
        "INSERT INTO fhir_reference_index (resource_pk, resource_type, param, target_type, "
        "target_id, target_version, url) VALUES (?, ?, ?, ?, ?, ?, ?)",
        params, "insert reference index row");
  }
  for (const UriIndex& row : rows.uris) {
    const std::array<SqlValue, 4> params{owner[0], owner[1], row.param, row.uri};
    session.execute(
        "INSERT INTO fhir_uri_index (resource_pk, resource_type, param, uri) VALUES (?, ?, ?, ?)",
        params, "insert uri index row");
  }
}

}  // namespace

ResourceVersion version_from_row(const SqlRow& row, std::size_t first_column) {
  const std::size_t c = first_column;
  return ResourceVersion{.resource_type = as_text(row[c]),
                         .id = as_text(row[c + 1]),
                         .version_id = as_int64(row[c + 2]),
                         .last_updated = time::from_epoch_ns(as_int64(row[c + 3])),
                         .operation = operation_from_text(as_text(row[c + 4])),
                         .json = as_optional_text(row[c + 5]).value_or("")};
}

std::optional<CurrentRow> find_current(SqlSession& session, std::string_view resource_type,
                                       std::string_view id) {
  constexpr std::array kColumns{SqlType::Int64, SqlType::Int64, SqlType::Int64};
  const std::array<SqlValue, 2> params{std::string(resource_type), std::string(id)};
  const auto rows = session.query(
      "SELECT pk, version_id, is_deleted FROM fhir_resources WHERE resource_type = ? AND id = ?",
      params, kColumns, "find resource");
  if (rows.empty()) return std::nullopt;
  return CurrentRow{.pk = as_int64(rows[0][0]),
                    .version_id = as_int64(rows[0][1]),
                    .is_deleted = as_int64(rows[0][2]) != 0};
}

std::int64_t insert_resource(SqlSession& session, const ResourceVersion& version) {
  constexpr std::array kColumns{SqlType::Int64};
  const std::array<SqlValue, 5> params{version.resource_type, version.id, version.version_id,
                                       time::to_epoch_ns(version.last_updated),
                                       std::int64_t{version.is_deletion() ? 1 : 0}};
  const auto rows = session.query(
      "INSERT INTO fhir_resources (resource_type, id, version_id, last_updated_ns, is_deleted) "
      "VALUES (?, ?, ?, ?, ?) RETURNING pk",
      params, kColumns, "insert resource");
  return as_int64(rows.at(0).at(0));
}

void update_resource(SqlSession& session, std::int64_t pk, const ResourceVersion& version) {
  const std::array<SqlValue, 4> params{version.version_id, time::to_epoch_ns(version.last_updated),
                                       std::int64_t{version.is_deletion() ? 1 : 0}, pk};
  session.execute(
      "UPDATE fhir_resources SET version_id = ?, last_updated_ns = ?, is_deleted = ? "
      "WHERE pk = ?",
      params, "update resource");
}

void insert_version(SqlSession& session, std::int64_t pk, const ResourceVersion& version) {
  const SqlValue json = version.is_deletion() ? SqlValue{} : SqlValue{version.json};
  const std::array<SqlValue, 7> params{pk,
                                       version.resource_type,
                                       version.id,
                                       version.version_id,
                                       time::to_epoch_ns(version.last_updated),
                                       std::string(operation_text(version.operation)),
                                       json};
  session.execute(
      "INSERT INTO fhir_resource_versions (resource_pk, resource_type, id, version_id, "
      "last_updated_ns, operation, json) VALUES (?, ?, ?, ?, ?, ?, ?)",
      params, "insert resource version");
}

void replace_index_rows(SqlSession& session, std::int64_t pk, std::string_view resource_type,
                        const IndexRows& rows) {
  delete_index_rows(session, pk);
  const std::array<SqlValue, 2> owner{pk, std::string(resource_type)};
  insert_strings(session, owner, rows);
  insert_ordered(session, owner, rows);
  insert_links(session, owner, rows);
}

void delete_index_rows(SqlSession& session, std::int64_t pk) {
  const std::array<SqlValue, 1> params{pk};
  for (const std::string_view table : kIndexTables) {
    session.execute(fmt::format("DELETE FROM {} WHERE resource_pk = ?", table), params,
                    fmt::format("delete {} rows", table));
  }
}

std::optional<ResourceVersion> select_version(SqlSession& session, std::int64_t pk,
                                              std::int64_t version_id) {
  const std::array<SqlValue, 2> params{pk, version_id};
  const auto rows = session.query(
      fmt::format("SELECT {} FROM fhir_resource_versions v WHERE v.resource_pk = ? AND "
                  "v.version_id = ?",
                  kVersionColumns),
      params, kVersionColumnTypes, "read resource version");
  if (rows.empty()) return std::nullopt;
  return version_from_row(rows.front());
}

}  // namespace ptwin::store::fhir::detail
