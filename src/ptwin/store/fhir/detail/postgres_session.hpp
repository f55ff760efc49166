// SPDX-License-Identifier: Apache-2.0
#pragma once
// SqlSession on one libpq connection. The store's tables live in one schema of the database
// (search_path is set to it), so several stores, or a throw-away one per test, can share a
// database. Parameters travel separately from the SQL text (PQexecParams), never spliced in.

#include <memory>
#include <string>

#include "ptwin/store/fhir/detail/sql_session.hpp"

struct pg_conn;
struct pg_result;

namespace ptwin::store::fhir::detail {

class PostgresSession final : public SqlSession {
 public:
  /// Connects with the libpq connection string or URI `conninfo`, creates `schema` if absent
  /// and selects it. Throws Error(StoreFailure) naming host, port and database (never the
  /// password) and libpq's message.
  PostgresSession(const std::string& conninfo, std::string schema);
  ~PostgresSession() override;

  [[nodiscard]] std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params,
                                          std::span<const SqlType> columns,
                                          std::string_view operation) override;
  void execute(std::string_view sql, std::span<const SqlValue> params,
               std::string_view operation) override;
  void execute_script(std::string_view sql, std::string_view operation) override;
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() noexcept override;
  [[nodiscard]] std::size_t rows_per_insert() const override { return 16; }
  [[nodiscard]] const std::string& description() const override { return description_; }

 private:
  struct ConnectionCloser {
    void operator()(pg_conn* connection) const noexcept;
  };
  struct ResultClearer {
    void operator()(pg_result* result) const noexcept;
  };
  using Result = std::unique_ptr<pg_result, ResultClearer>;

  Result run(std::string_view sql, std::span<const SqlValue> params, std::string_view operation);
  void check(const Result& result, std::string_view operation) const;
  void select_schema();
  void reconnect_if_broken();

  std::string schema_;
  std::string description_;
  std::unique_ptr<pg_conn, ConnectionCloser> connection_;
};

/// `?` placeholders (outside quoted literals and identifiers) as PostgreSQL's `$1, $2, ...`.
[[nodiscard]] std::string numbered_placeholders(std::string_view sql);

/// True for a schema name the store accepts: [a-z_][a-z0-9_]{0,62}.
[[nodiscard]] bool is_schema_name(std::string_view name);

}  // namespace ptwin::store::fhir::detail
