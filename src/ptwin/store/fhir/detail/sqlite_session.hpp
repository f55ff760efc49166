// SPDX-License-Identifier: Apache-2.0
#pragma once
// SqlSession on one SQLite connection, configured like SqliteStore's (WAL, synchronous,
// foreign keys, busy timeout), with each distinct SQL text prepared once and reused.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ptwin/store/detail/sqlite_connection.hpp"
#include "ptwin/store/detail/sqlite_statement.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store::fhir::detail {

class SqliteSession final : public SqlSession {
 public:
  /// Opens and configures the database. Throws Error(StoreFailure) naming the path.
  SqliteSession(const std::filesystem::path& path, const SqliteOptions& options);
  ~SqliteSession() override;

  [[nodiscard]] std::vector<SqlRow> query(std::string_view sql, std::span<const SqlValue> params,
                                          std::span<const SqlType> columns,
                                          std::string_view operation) override;
  void execute(std::string_view sql, std::span<const SqlValue> params,
               std::string_view operation) override;
  void execute_script(std::string_view sql, std::string_view operation) override;
  void begin(TransactionMode mode) override;
  void commit() override;
  void rollback() noexcept override;
  [[nodiscard]] std::size_t rows_per_insert() const override { return 1; }
  [[nodiscard]] const std::string& description() const override { return description_; }

  /// The journal mode the connection runs in ("wal"; "memory" for ":memory:").
  [[nodiscard]] std::string journal_mode();

 private:
  store::detail::SqliteStatement& prepared(std::string_view sql, std::string_view operation);
  void bind_all(store::detail::SqliteStatement& statement, std::span<const SqlValue> params);

  store::detail::SqliteConnection connection_;  // first: destroyed after every statement
  std::string description_;
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  // Looked up by string_view: a statement run again costs a hash, not a copy of its text.
  std::unordered_map<std::string, std::unique_ptr<store::detail::SqliteStatement>, TextHash,
                     std::equal_to<>>
      statements_;
};

}  // namespace ptwin::store::fhir::detail
