// SPDX-License-Identifier: Apache-2.0
#pragma once
// RAII owner of one prepared statement, prepared once and reused for the life of the
// connection. Binding and column indices follow SQLite: parameters from 1, columns from 0.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace ptwin::store::detail {

class SqliteConnection;

class SqliteStatement {
 public:
  /// Prepares `sql` (one statement) on `connection`. `name` says what the statement does and
  /// is the operation named in error messages ("insert sample"). Throws Error(StoreFailure).
  SqliteStatement(SqliteConnection& connection, std::string_view sql, std::string name);

  void bind_int64(int index, std::int64_t value);
  void bind_double(int index, double value);
  void bind_text(int index, std::string_view value);
  void bind_optional_text(int index, const std::optional<std::string>& value);
  void bind_optional_int64(int index, std::optional<std::int64_t> value);
  /// A zero-length span binds an empty blob, not NULL.
  void bind_blob(int index, std::span<const std::byte> value);

  /// Steps once: true when a row is ready to read, false when the statement is done.
  /// Throws Error(StoreFailure) naming the statement on any failure.
  [[nodiscard]] bool step();
  /// Steps a statement that must not return rows (INSERT, UPDATE, BEGIN ...).
  void run();

  [[nodiscard]] bool column_is_null(int index) const;
  [[nodiscard]] std::int64_t column_int64(int index) const;
  [[nodiscard]] double column_double(int index) const;
  [[nodiscard]] std::string column_text(int index) const;
  [[nodiscard]] std::optional<std::string> column_optional_text(int index) const;
  [[nodiscard]] std::optional<std::int64_t> column_optional_int64(int index) const;
  /// Valid until the next step() or reset().
  [[nodiscard]] std::span<const std::byte> column_blob(int index) const;

  /// Makes the statement ready for reuse and drops its bindings. Resetting also ends the
  /// statement's read of the database, which in WAL mode would otherwise pin a snapshot.
  void reset() noexcept;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const noexcept;
  };
  void check_bind(int rc, int index);

  SqliteConnection& connection_;
  std::string name_;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

/// Resets a statement when the scope ends, however it ends.
class StatementReset {
 public:
  explicit StatementReset(SqliteStatement& statement) noexcept : statement_(statement) {}
  ~StatementReset() { statement_.reset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;
  StatementReset(StatementReset&&) = delete;
  StatementReset& operator=(StatementReset&&) = delete;

 private:
  SqliteStatement& statement_;
};

}  // namespace ptwin::store::detail
