// SPDX-License-Identifier: Apache-2.0
#include "plain_insert.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/time.hpp"

namespace ptwin::bench {
namespace {

namespace sf = ptwin::store::fhir;

// --- the tables, as data, for both backends --------------------------------------------------

enum class ColumnType { Key, Integer, Real, Text };

struct Column {
  std::string_view name;
  ColumnType type;
};

struct SecondaryIndex {
  bool is_unique;
  std::string_view columns;
};

struct TableSpec {
  std::string_view name;
  std::vector<Column> columns;
  std::vector<SecondaryIndex> indexes;  // PlainIndexes::AsStore: the store schema's
};

// Positions of the tables in tables(), used as indexes into per-table arrays.
constexpr std::size_t kResources = 0;
constexpr std::size_t kStrings = 1;
constexpr std::size_t kTokens = 2;
constexpr std::size_t kDates = 3;
constexpr std::size_t kNumbers = 4;
constexpr std::size_t kQuantities = 5;
constexpr std::size_t kReferences = 6;
constexpr std::size_t kUris = 7;
constexpr std::size_t kTableCount = 8;

std::vector<Column> index_columns(std::initializer_list<Column> own) {
  std::vector<Column> columns{{"resource_pk", ColumnType::Integer},
                              {"resource_type", ColumnType::Text},
                              {"param", ColumnType::Text}};
  columns.insert(columns.end(), own);
  return columns;
}

const std::array<TableSpec, kTableCount>& tables() {
  using enum ColumnType;
  constexpr SecondaryIndex kByResource{false, "resource_pk, param"};
  static const std::array<TableSpec, kTableCount> specs{{
      {"plain_resources",
       {{"pk", Key}, {"resource_type", Text}, {"id", Text}, {"json", Text}},
       {{true, "resource_type, id"}}},
      {"plain_string_index",
       index_columns({{"value", Text}}),
       {{false, "resource_type, param, value"}, kByResource}},
      {"plain_token_index",
       index_columns({{"system", Text}, {"code", Text}, {"text", Text}}),
       {{false, "resource_type, param, code, system"}, kByResource}},
      {"plain_date_index",
       index_columns({{"low_ns", Integer}, {"high_ns", Integer}}),
       {{false, "resource_type, param, low_ns"},
        {false, "resource_type, param, high_ns"},
        kByResource}},
      {"plain_number_index",
       index_columns({{"value", Real}, {"low", Real}, {"high", Real}}),
       {{false, "resource_type, param, low"}, kByResource}},
      {"plain_quantity_index",
       index_columns({{"value", Real},
                      {"low", Real},
                      {"high", Real},
                      {"system", Text},
                      {"code", Text},
                      {"unit", Text}}),
       {{false, "resource_type, param, low"}, kByResource}},
      {"plain_reference_index",
       index_columns(
           {{"target_type", Text}, {"target_id", Text}, {"target_version", Text}, {"url", Text}}),
       {{false, "target_id, target_type, param"}, {false, "url"}, kByResource}},
      {"plain_uri_index",
       index_columns({{"uri", Text}}),
       {{false, "resource_type, param, uri"}, kByResource}},
  }};
  return specs;
}

enum class Dialect { Sqlite, Postgres };

std::string_view sql_type(ColumnType type, Dialect dialect) {
  switch (type) {
    case ColumnType::Key:
      // SQLite: a rowid alias, as the store's `pk INTEGER PRIMARY KEY`.
      return dialect == Dialect::Sqlite ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY";
    case ColumnType::Integer:
      return dialect == Dialect::Sqlite ? "INTEGER" : "BIGINT";
    case ColumnType::Real:
      return dialect == Dialect::Sqlite ? "REAL" : "DOUBLE PRECISION";
    case ColumnType::Text:
      break;
  }
  return "TEXT";
}

// Primary keys only, no other constraint: plain tables.
std::vector<std::string> schema_sql(Dialect dialect, PlainIndexes indexes) {
  std::vector<std::string> statements;
  for (const TableSpec& table : tables()) {
    std::vector<std::string> columns;
    for (const Column& column : table.columns) {
      columns.push_back(fmt::format("{} {}", column.name, sql_type(column.type, dialect)));
    }
    statements.push_back(fmt::format("CREATE TABLE {} ({})", table.name, fmt::join(columns, ", ")));
    if (indexes == PlainIndexes::None) continue;
    int number = 0;
    for (const SecondaryIndex& index : table.indexes) {
      statements.push_back(fmt::format("CREATE {}INDEX {}_{} ON {} ({})",
                                       index.is_unique ? "UNIQUE " : "", table.name, ++number,
                                       table.name, index.columns));
    }
  }
  return statements;
}

std::string insert_sql(const TableSpec& table, Dialect dialect) {
  std::vector<std::string_view> names;
  std::vector<std::string> placeholders;
  for (const Column& column : table.columns) {
    names.push_back(column.name);
    placeholders.push_back(dialect == Dialect::Sqlite
                               ? std::string("?")
                               : fmt::format("${}", placeholders.size() + 1));
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name, fmt::join(names, ", "),
                     fmt::join(placeholders, ", "));
}

// --- the rows of one resource -----------------------------------------------------------------

// Text is held as the std::string it lives in: libpq wants NUL-terminated text.
using Value = std::variant<std::monostate, std::int64_t, double, const std::string*>;

Value text(const std::optional<std::string>& value) { return value ? Value(&*value) : Value(); }

// Calls emit(table, values) for the resource row and each index row, values in column order.
template <typename Emit>
void emit_rows(const sf::NewResource& resource, std::int64_t pk, const std::string& id,
               const Emit& emit) {
  using A4 = std::array<Value, 4>;
  using A5 = std::array<Value, 5>;
  using A6 = std::array<Value, 6>;
  const std::string* type = &resource.resource_type;
  const sf::IndexRows& rows = resource.index;
  emit(kResources, A4{pk, type, &id, &resource.json});
  for (const auto& row : rows.strings) emit(kStrings, A4{pk, type, &row.param, &row.value});
  for (const auto& row : rows.tokens) {
    emit(kTokens, A6{pk, type, &row.param, text(row.system), text(row.code), text(row.text)});
  }
  for (const auto& row : rows.dates) {
    emit(kDates, A5{pk, type, &row.param, time::to_epoch_ns(row.low), time::to_epoch_ns(row.high)});
  }
  for (const auto& row : rows.numbers) {
    emit(kNumbers, A6{pk, type, &row.param, row.value, row.low, row.high});
  }
  for (const auto& row : rows.quantities) {
    emit(kQuantities, std::array<Value, 9>{pk, type, &row.param, row.value, row.low, row.high,
                                           text(row.system), text(row.code), text(row.unit)});
  }
  for (const auto& row : rows.references) {
    emit(kReferences,
         std::array<Value, 7>{pk, type, &row.param, text(row.target_type), text(row.target_id),
                              text(row.target_version), text(row.url)});
  }
  for (const auto& row : rows.uris) emit(kUris, A4{pk, type, &row.param, &row.uri});
}

// A UUID-shaped id (36 characters, as the store's UUID v4 ids), unique per pk.
std::string plain_id(std::int64_t pk) {
  return fmt::format("00000000-0000-4000-8000-{:012x}", static_cast<std::uint64_t>(pk));
}

// --- SQLite ----------------------------------------------------------------------------------

struct SqliteCloser {
  void operator()(sqlite3* database) const noexcept { sqlite3_close_v2(database); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};

class SqlitePlainTables final : public PlainTables {
 public:
  SqlitePlainTables(const std::filesystem::path& file, store::SqliteSynchronous synchronous,
                    PlainIndexes indexes) {
    sqlite3* opened = nullptr;
    const int status =
        sqlite3_open_v2(file.c_str(), &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    database_.reset(opened);
    check(status, fmt::format("open {}", file.string()));
    exec("PRAGMA journal_mode = WAL");
    exec(synchronous == store::SqliteSynchronous::Full ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL");
    for (const std::string& sql : schema_sql(Dialect::Sqlite, indexes)) exec(sql);
    for (const TableSpec& table : tables()) {
      const std::string sql = insert_sql(table, Dialect::Sqlite);
      sqlite3_stmt* prepared = nullptr;
      check(sqlite3_prepare_v3(database_.get(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                               &prepared, nullptr),
            sql);
      inserts_.emplace_back(prepared);
    }
  }

  void insert(std::span<const sf::NewResource> resources) override {
    exec("BEGIN IMMEDIATE");
    for (const sf::NewResource& resource : resources) {
      const std::int64_t pk = next_pk_++;
      const std::string id = plain_id(pk);
      emit_rows(resource, pk, id, [this](std::size_t table, std::span<const Value> values) {
        sqlite3_stmt* statement = inserts_[table].get();
        int position = 0;
        for (const Value& value : values) bind(statement, ++position, value);
        check(sqlite3_step(statement) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR,
              tables()[table].name);
        sqlite3_reset(statement);
      });
    }
    exec("COMMIT");
  }

 private:
  void check(int status, std::string_view what) const {
    if (status == SQLITE_OK) return;
    throw std::runtime_error(
        fmt::format("plain sqlite insert: {}: {}", what, sqlite3_errmsg(database_.get())));
  }
  void exec(const std::string& sql) const {
    check(sqlite3_exec(database_.get(), sql.c_str(), nullptr, nullptr, nullptr), sql);
  }
  void bind(sqlite3_stmt* statement, int position, const Value& value) const {
    int status = SQLITE_OK;
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      status = sqlite3_bind_int64(statement, position, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      status = sqlite3_bind_double(statement, position, *real);
    } else if (const auto* string = std::get_if<const std::string*>(&value)) {
      status = sqlite3_bind_text(statement, position, (*string)->data(),
                                 static_cast<int>((*string)->size()), SQLITE_STATIC);
    } else {
      status = sqlite3_bind_null(statement, position);
    }
    check(status, "bind");
  }

  std::unique_ptr<sqlite3, SqliteCloser> database_;
  std::vector<std::unique_ptr<sqlite3_stmt, SqliteFinalizer>> inserts_;  // before database_ dies
  std::int64_t next_pk_ = 1;
};

// --- PostgreSQL ------------------------------------------------------------------------------

struct PgFinisher {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct PgClearer {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgClearer>;

void ignore_notice(void* /*argument*/, const char* /*message*/) {}

bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

class PgConnection {
 public:
  explicit PgConnection(const std::string& conninfo) : connection_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(connection_.get()) != CONNECTION_OK) {
      throw std::runtime_error(
          fmt::format("plain postgres insert: connect: {}", PQerrorMessage(connection_.get())));
    }
    PQsetNoticeProcessor(connection_.get(), &ignore_notice, nullptr);
  }
  [[nodiscard]] PGconn* get() const { return connection_.get(); }
  void exec(const std::string& sql) const { check(PQexec(get(), sql.c_str()), sql); }
  void check(PGresult* raw, std::string_view what) const {
    const PgResult result(raw);
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    throw std::runtime_error(
        fmt::format("plain postgres insert: {}: {}", what,
                    result ? PQresultErrorMessage(result.get()) : PQerrorMessage(get())));
  }

 private:
  std::unique_ptr<PGconn, PgFinisher> connection_;
};

class PostgresPlainTables final : public PlainTables {
 public:
  PostgresPlainTables(const std::string& conninfo, const std::string& schema, PlainIndexes indexes)
      : connection_(conninfo) {
    if (!is_plain_name(schema)) throw std::runtime_error("plain postgres insert: schema " + schema);
    connection_.exec(fmt::format("CREATE SCHEMA {}", schema));
    connection_.exec(fmt::format("SET search_path TO {}", schema));
    for (const std::string& sql : schema_sql(Dialect::Postgres, indexes)) connection_.exec(sql);
    for (std::size_t t = 0; t < kTableCount; ++t) {
      const std::string sql = insert_sql(tables()[t], Dialect::Postgres);
      connection_.check(PQprepare(connection_.get(), statement_name(t).c_str(), sql.c_str(),
                                  static_cast<int>(tables()[t].columns.size()), nullptr),
                        sql);
    }
  }

  void insert(std::span<const sf::NewResource> resources) override {
    connection_.exec("BEGIN");
    std::array<std::string, 16> numbers;   // text of the numeric values of one row
    std::array<const char*, 16> values{};  // text format: NUL-terminated, lengths not needed
    for (const sf::NewResource& resource : resources) {
      const std::int64_t pk = next_pk_++;
      const std::string id = plain_id(pk);
      emit_rows(resource, pk, id, [&](std::size_t table, std::span<const Value> row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
          values[i] = nullptr;  // SQL NULL
          if (const auto* string = std::get_if<const std::string*>(&row[i])) {
            values[i] = (*string)->c_str();
          } else if (const auto* integer = std::get_if<std::int64_t>(&row[i])) {
            numbers[i] = fmt::format("{}", *integer);
            values[i] = numbers[i].c_str();
          } else if (const auto* real = std::get_if<double>(&row[i])) {
            numbers[i] = fmt::format("{}", *real);  // shortest text that reads back exactly
            values[i] = numbers[i].c_str();
          }
        }
        connection_.check(
            PQexecPrepared(connection_.get(), statement_name(table).c_str(),
                           static_cast<int>(row.size()), values.data(), nullptr, nullptr, 0),
            tables()[table].name);
      });
    }
    connection_.exec("COMMIT");
  }

 private:
  static std::string statement_name(std::size_t table) { return fmt::format("plain_{}", table); }

  PgConnection connection_;
  std::int64_t next_pk_ = 1;
};

}  // namespace

std::unique_ptr<PlainTables> open_sqlite_plain_tables(const std::filesystem::path& file,
                                                      store::SqliteSynchronous synchronous,
                                                      PlainIndexes indexes) {
  return std::make_unique<SqlitePlainTables>(file, synchronous, indexes);
}

std::unique_ptr<PlainTables> open_postgres_plain_tables(const std::string& conninfo,
                                                        const std::string& schema,
                                                        PlainIndexes indexes) {
  return std::make_unique<PostgresPlainTables>(conninfo, schema, indexes);
}

void drop_postgres_schema(const std::string& conninfo, const std::string& schema) {
  if (!is_plain_name(schema)) throw std::runtime_error("drop schema: invalid name " + schema);
  PgConnection(conninfo).exec(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", schema));
}

std::string postgres_server_version(const std::string& conninfo) {
  const int version = PQserverVersion(PgConnection(conninfo).get());  // e.g. 150012
  return fmt::format("{}.{}", version / 10000, version % 10000);
}

}  // namespace ptwin::bench
