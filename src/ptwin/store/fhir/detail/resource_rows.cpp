// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/resource_rows.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
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

// The index rows of one resource go into each table with INSERTs of up to
// SqlSession::rows_per_insert() rows (at most kRowsPerInsert; a resource has about 15 rows,
// most of them tokens), so that PostgreSQL makes fewer round trips. The texts are built once;
// each is prepared once per SQLite connection.
constexpr std::size_t kRowsPerInsert = 16;

struct IndexTable {
  std::string_view name;
  std::string_view columns;  // after resource_pk, resource_type
  std::size_t arity;         // columns of a row, the owner's two included
};

enum TableIndex : std::size_t { kString, kToken, kDate, kNumber, kQuantity, kReference, kUri };
constexpr std::array<IndexTable, 7> kInsertTables{{
    {"fhir_string_index", "param, value_normalized, value_exact", 5},
    {"fhir_token_index", "param, system, code, text_normalized", 6},
    {"fhir_date_index", "param, low_ns, high_ns", 5},
    {"fhir_number_index", "param, value, low, high", 6},
    {"fhir_quantity_index", "param, value, low, high, system, code, unit", 9},
    {"fhir_reference_index", "param, target_type, target_id, target_version, url", 7},
    {"fhir_uri_index", "param, uri", 4},
}};

const std::string& insert_sql(TableIndex table, std::size_t rows) {
  static const auto kTexts = [] {
    std::array<std::array<std::string, kRowsPerInsert>, kInsertTables.size()> texts;
    for (std::size_t t = 0; t < kInsertTables.size(); ++t) {
      const IndexTable& info = kInsertTables[t];
      std::string tuple = "(?";
      for (std::size_t c = 1; c < info.arity; ++c) tuple.append(", ?");
      tuple.push_back(')');
      for (std::size_t n = 1; n <= kRowsPerInsert; ++n) {
        std::string& text = texts[t][n - 1];
        text.append("INSERT INTO ").append(info.name).append(" (resource_pk, resource_type, ");
        text.append(info.columns).append(") VALUES ").append(tuple);
        for (std::size_t r = 1; r < n; ++r) text.append(", ").append(tuple);
      }
    }
    return texts;
  }();
  return kTexts[table][rows - 1];
}

// normalize_search_string() naming the parameter when the value is refused; the name is
// formatted only then, not for every row.
std::string normalized(std::string_view value, std::string_view kind, const std::string& param) {
  try {
    return normalize_search_string(value, kind);
  } catch (const InputError&) {
    return normalize_search_string(value, fmt::format("{} '{}'", kind, param));  // throws again
  }
}

// Collects the parameters of one table's rows and writes them rows_per_insert at a time.
class RowInserter {
 public:
  RowInserter(SqlSession& session, const std::array<SqlValue, 2>& owner, TableIndex table)
      : session_(session),
        owner_(owner),
        table_(table),
        rows_per_insert_(std::clamp<std::size_t>(session.rows_per_insert(), 1, kRowsPerInsert)) {
    params_.reserve(kInsertTables[table].arity * rows_per_insert_);
  }
  RowInserter(const RowInserter&) = delete;
  RowInserter& operator=(const RowInserter&) = delete;
  ~RowInserter() = default;  // flush() is called explicitly: it may throw

  template <typename... Values>
  void add(Values&&... values) {
    PTWIN_ASSERT(sizeof...(Values) + 2 == kInsertTables[table_].arity,
                 "index row with the wrong number of columns");
    params_.push_back(owner_[0]);
    params_.push_back(owner_[1]);
    (params_.emplace_back(std::forward<Values>(values)), ...);
    if (++rows_ == rows_per_insert_) flush();
  }

  void flush() {
    if (rows_ == 0) return;
    session_.execute(insert_sql(table_, rows_), params_, kInsertTables[table_].name);
    params_.clear();
    rows_ = 0;
  }

 private:
  SqlSession& session_;
  const std::array<SqlValue, 2>& owner_;
  TableIndex table_;
  std::size_t rows_per_insert_;
  std::vector<SqlValue> params_;
  std::size_t rows_ = 0;
};

void insert_strings(SqlSession& session, const std::array<SqlValue, 2>& owner,
                    const IndexRows& rows) {
  if (!rows.strings.empty()) {
    RowInserter strings(session, owner, kString);
    for (const StringIndex& row : rows.strings) {
      strings.add(row.param, normalized(row.value, "string index", row.param), row.value);
    }
    strings.flush();
  }
  if (!rows.tokens.empty()) {
    RowInserter tokens(session, owner, kToken);
    for (const TokenIndex& row : rows.tokens) {
      SqlValue text = std::monostate{};
      if (row.text) text = normalized(*row.text, "token", row.param);
      tokens.add(row.param, optional_text(row.system), optional_text(row.code), std::move(text));
    }
    tokens.flush();
  }
}

void insert_ordered(SqlSession& session, const std::array<SqlValue, 2>& owner,
                    const IndexRows& rows) {
  if (!rows.dates.empty()) {
    RowInserter dates(session, owner, kDate);
    for (const DateIndex& row : rows.dates) {
      dates.add(row.param, time::to_epoch_ns(row.low), time::to_epoch_ns(row.high));
    }
    dates.flush();
  }
  if (!rows.numbers.empty()) {
    RowInserter numbers(session, owner, kNumber);
    for (const NumberIndex& row : rows.numbers) numbers.add(row.param, row.value, row.low, row.high);
    numbers.flush();
  }
  if (!rows.quantities.empty()) {
    RowInserter quantities(session, owner, kQuantity);
    for (const QuantityIndex& row : rows.quantities) {
      quantities.add(row.param, row.value, row.low, row.high, optional_text(row.system),
                     optional_text(row.code), optional_text(row.unit));
    }
    quantities.flush();
  }
}

void insert_links(SqlSession& session, const std::array<SqlValue, 2>& owner,
                  const IndexRows& rows) {
  if (!rows.references.empty()) {
    RowInserter references(session, owner, kReference);
    for (const ReferenceIndex& row : rows.references) {
      references.add(row.param, optional_text(row.target_type), optional_text(row.target_id),
                     optional_text(row.target_version), optional_text(row.url));
    }
    references.flush();
  }
  if (!rows.uris.empty()) {
    RowInserter uris(session, owner, kUri);
    for (const UriIndex& row : rows.uris) uris.add(row.param, row.uri);
    uris.flush();
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

void insert_index_rows(SqlSession& session, std::int64_t pk, std::string_view resource_type,
                       const IndexRows& rows) {
  const std::array<SqlValue, 2> owner{pk, std::string(resource_type)};
  insert_strings(session, owner, rows);
  insert_ordered(session, owner, rows);
  insert_links(session, owner, rows);
}

void replace_index_rows(SqlSession& session, std::int64_t pk, std::string_view resource_type,
                        const IndexRows& rows) {
  delete_index_rows(session, pk);
  insert_index_rows(session, pk, resource_type, rows);
}

void delete_index_rows(SqlSession& session, std::int64_t pk) {
  // Constant texts: each is prepared once per connection and found again without formatting.
  static constexpr std::array<std::string_view, kIndexTables.size()> kDeletes{
      "DELETE FROM fhir_string_index WHERE resource_pk = ?",
      "DELETE FROM fhir_token_index WHERE resource_pk = ?",
      "DELETE FROM fhir_date_index WHERE resource_pk = ?",
      "DELETE FROM fhir_number_index WHERE resource_pk = ?",
      "DELETE FROM fhir_quantity_index WHERE resource_pk = ?",
      "DELETE FROM fhir_reference_index WHERE resource_pk = ?",
      "DELETE FROM fhir_uri_index WHERE resource_pk = ?"};
  const std::array<SqlValue, 1> params{pk};
  for (const std::string_view sql : kDeletes) {
    session.execute(sql, params, "delete index rows");
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
