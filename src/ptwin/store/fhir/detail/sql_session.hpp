// SPDX-License-Identifier: Apache-2.0
#pragma once
// The one seam between the FHIR store's logic and a database. Everything above it (CRUD,
// history, search SQL) is written once and runs on both backends, so that they give identical
// results by construction; a backend implements only this: run parameterised SQL, read typed
// columns, and open/commit/roll back transactions with the locking the store needs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir::detail {

/// A bound parameter or a column value. monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;
enum class SqlType { Int64, Double, Text };

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  SqlSession(const SqlSession&) = delete;
  SqlSession& operator=(const SqlSession&) = delete;
  SqlSession(SqlSession&&) = delete;
  SqlSession& operator=(SqlSession&&) = delete;

  /// Runs one statement whose `?` placeholders are bound to `params` in order, and returns its
  /// rows with column i read as `columns[i]` (NULL as monostate). `operation` names the
  /// statement in errors. Throws Error(StoreFailure).
  [[nodiscard]] virtual std::vector<SqlRow> query(std::string_view sql,
                                                  std::span<const SqlValue> params,
                                                  std::span<const SqlType> columns,
                                                  std::string_view operation) = 0;
  /// Runs one statement and ignores any rows.
  virtual void execute(std::string_view sql, std::span<const SqlValue> params,
                       std::string_view operation) = 0;
  /// Runs several statements without parameters (schema steps).
  virtual void execute_script(std::string_view sql, std::string_view operation) = 0;

  /// ReadOnly: a consistent snapshot. ReadWrite: excludes every other writer of the same
  /// store until commit or rollback (SQLite BEGIN IMMEDIATE; PostgreSQL an advisory lock).
  virtual void begin(TransactionMode mode) = 0;
  virtual void commit() = 0;
  /// Never throws: a failure is logged (ptwin.store) and the connection is left to the
  /// database's own recovery (both roll back an unfinished transaction on close).
  virtual void rollback() noexcept = 0;

  /// How many rows one INSERT of index rows should carry. PostgreSQL: many (each statement is
  /// a round trip). SQLite: one (an INSERT of several rows opens a statement journal, which
  /// costs more than the statements it saves: measured with bench/ingest/fhir_bulk_bench).
  [[nodiscard]] virtual std::size_t rows_per_insert() const = 0;

  /// "sqlite fhir store '<path>'" or "postgres fhir store '<host:port/db>' schema '<s>'".
  [[nodiscard]] virtual const std::string& description() const = 0;

 protected:
  SqlSession() = default;
};

/// Column readers: the SqlType asked for decides the alternative; NULL reads as empty.
[[nodiscard]] std::int64_t as_int64(const SqlValue& value);
[[nodiscard]] double as_double(const SqlValue& value);
[[nodiscard]] const std::string& as_text(const SqlValue& value);
[[nodiscard]] std::optional<std::string> as_optional_text(const SqlValue& value);

/// Optional text as a parameter: nullopt binds NULL.
[[nodiscard]] SqlValue optional_text(const std::optional<std::string>& value);

/// SQL text with its parameters, built left to right: every bind() appends one `?`.
class SqlBuilder {
 public:
  SqlBuilder& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  SqlBuilder& bind(SqlValue value) {
    sql_ += '?';
    params_.push_back(std::move(value));
    return *this;
  }
  /// A fresh table alias ("i3") for a nested subquery.
  [[nodiscard]] std::string alias(std::string_view stem) {
    return std::string(stem) + std::to_string(++alias_count_);
  }
  [[nodiscard]] const std::string& sql() const { return sql_; }
  [[nodiscard]] const std::vector<SqlValue>& params() const { return params_; }

 private:
  std::string sql_;
  std::vector<SqlValue> params_;
  int alias_count_ = 0;
};

}  // namespace ptwin::store::fhir::detail
