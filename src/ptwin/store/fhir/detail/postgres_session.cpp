// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/postgres_session.hpp"

#include <charconv>
#include <cstdint>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::store::fhir::detail {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat (stable since 7.x); libpq-fe.h does not define them.
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat8Oid = 701;
constexpr std::size_t kMaxSchemaNameLength = 63;  // NAMEDATALEN - 1

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Notices ("schema already exists, skipping") are expected chatter, not errors: libpq would
// print them to stderr.
void ignore_notice(void* /*argument*/, const char* /*message*/) {}

// The advisory lock every writer of one store (one schema of one database) takes, so that
// writers are serialised as in SQLite. FNV-1a: any stable hash does; a collision between two
// schemas only serialises their writers together.
std::int64_t writer_lock_key(std::string_view schema) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : std::string("ptwin.fhir/") + std::string(schema)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return static_cast<std::int64_t>(hash);
}

template <typename T>
T parse_number(const char* text, int length, std::string_view what) {
  T value{};
  const auto [end, error] = std::from_chars(text, text + length, value);
  if (error != std::errc() || end != text + length) {
    throw Error(
        ErrorCode::StoreFailure,
        fmt::format("postgres fhir store: a column read as {} holds '{}'", what,
                    printable_value(std::string_view(text, static_cast<std::size_t>(length)))));
  }
  return value;
}

}  // namespace

void PostgresSession::ConnectionCloser::operator()(pg_conn* connection) const noexcept {
  PQfinish(connection);
}

void PostgresSession::ResultClearer::operator()(pg_result* result) const noexcept {
  PQclear(result);
}

bool is_schema_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxSchemaNameLength) return false;
  if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string numbered_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  char quote = '\0';  // the quote character we are inside, if any ('' and "" toggle twice)
  int number = 0;
  for (const char c : sql) {
    if (quote != '\0') {
      if (c == quote) quote = '\0';
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++number);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {
std::string checked_schema(std::string schema) {
  if (!is_schema_name(schema)) {
    throw InputError(ErrorCode::BadInput, "postgres fhir store: schema", printable_value(schema),
                     "must match [a-z_][a-z0-9_]{0,62}");
  }
  return schema;
}
}  // namespace

PostgresSession::PostgresSession(const std::string& conninfo, std::string schema)
    : schema_(checked_schema(std::move(schema))), connection_(PQconnectdb(conninfo.c_str())) {
  if (connection_ == nullptr) {
    throw Error(ErrorCode::StoreFailure, "postgres fhir store: connect: out of memory");
  }
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    throw Error(ErrorCode::StoreFailure, fmt::format("postgres fhir store: connect: {}",
                                                     trimmed(PQerrorMessage(connection_.get()))));
  }
  description_ =
      fmt::format("postgres fhir store '{}:{}/{}' schema '{}'", PQhost(connection_.get()),
                  PQport(connection_.get()), PQdb(connection_.get()), schema_);
  PQsetNoticeProcessor(connection_.get(), &ignore_notice, nullptr);
  if (PQsetClientEncoding(connection_.get(), "UTF8") != 0) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("{}: set client encoding UTF8: {}", description_,
                            trimmed(PQerrorMessage(connection_.get()))));
  }
  begin(TransactionMode::ReadWrite);  // two processes creating the schema at once queue here
  try {
    char* quoted = PQescapeIdentifier(connection_.get(), schema_.data(), schema_.size());
    const std::string statement = fmt::format("CREATE SCHEMA IF NOT EXISTS {}", quoted);
    PQfreemem(quoted);
    execute_script(statement, "create schema");
    commit();
  } catch (...) {
    rollback();
    throw;
  }
  select_schema();
}

PostgresSession::~PostgresSession() = default;

void PostgresSession::select_schema() {
  char* quoted = PQescapeIdentifier(connection_.get(), schema_.data(), schema_.size());
  if (quoted == nullptr) {
    throw Error(ErrorCode::StoreFailure, fmt::format("{}: quote schema name: {}", description_,
                                                     trimmed(PQerrorMessage(connection_.get()))));
  }
  const std::string statement = fmt::format("SET search_path TO {}", quoted);
  PQfreemem(quoted);
  execute_script(statement, "select schema");
}

void PostgresSession::reconnect_if_broken() {
  if (PQstatus(connection_.get()) == CONNECTION_OK) return;
  logging::zone_logger("store")->warn("fhir store connection lost, reconnecting store={}",
                                      description_);
  PQreset(connection_.get());
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    throw Error(ErrorCode::StoreFailure, fmt::format("{}: reconnect: {}", description_,
                                                     trimmed(PQerrorMessage(connection_.get()))));
  }
  PQsetClientEncoding(connection_.get(), "UTF8");
  select_schema();
}

void PostgresSession::check(const Result& result, std::string_view operation) const {
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  const char* sqlstate = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = result ? trimmed(PQresultErrorMessage(result.get()))
                                     : trimmed(PQerrorMessage(connection_.get()));
  throw Error(ErrorCode::StoreFailure,
              fmt::format("{}: {}: {} (SQLSTATE {})", description_, operation, message,
                          sqlstate != nullptr ? sqlstate : "none"));
}

PostgresSession::Result PostgresSession::run(std::string_view sql, std::span<const SqlValue> params,
                                             std::string_view operation) {
  const std::string numbered = numbered_placeholders(sql);
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<Oid> types(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (const auto* integer = std::get_if<std::int64_t>(&params[i])) {
      texts[i] = std::to_string(*integer);
      types[i] = kInt8Oid;
    } else if (const auto* real = std::get_if<double>(&params[i])) {
      texts[i] = fmt::format("{}", *real);  // shortest text that reads back to the same double
      types[i] = kFloat8Oid;
    } else if (const auto* text = std::get_if<std::string>(&params[i])) {
      texts[i] = *text;
      types[i] = kTextOid;
    } else {
      continue;  // NULL: value nullptr, type left to the server
    }
    values[i] = texts[i].c_str();
  }
  Result result(PQexecParams(connection_.get(), numbered.c_str(), static_cast<int>(params.size()),
                             types.data(), values.data(), nullptr, nullptr, 0));
  check(result, operation);
  return result;
}

std::vector<SqlRow> PostgresSession::query(std::string_view sql, std::span<const SqlValue> params,
                                           std::span<const SqlType> columns,
                                           std::string_view operation) {
  const Result result = run(sql, params, operation);
  if (PQnfields(result.get()) < static_cast<int>(columns.size())) {
    throw Error(ErrorCode::Internal,
                fmt::format("{}: {}: fewer columns than expected", description_, operation));
  }
  const int row_count = PQntuples(result.get());
  std::vector<SqlRow> rows(static_cast<std::size_t>(row_count));
  for (int r = 0; r < row_count; ++r) {
    SqlRow& row = rows[static_cast<std::size_t>(r)];
    row.reserve(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const int column = static_cast<int>(c);
      if (PQgetisnull(result.get(), r, column) != 0) {
        row.emplace_back(std::monostate{});
        continue;
      }
      const char* text = PQgetvalue(result.get(), r, column);
      const int length = PQgetlength(result.get(), r, column);
      if (columns[c] == SqlType::Int64) {
        row.emplace_back(parse_number<std::int64_t>(text, length, "int64"));
      } else if (columns[c] == SqlType::Double) {
        row.emplace_back(parse_number<double>(text, length, "double"));
      } else {
        row.emplace_back(std::string(text, static_cast<std::size_t>(length)));
      }
    }
  }
  return rows;
}

void PostgresSession::execute(std::string_view sql, std::span<const SqlValue> params,
                              std::string_view operation) {
  static_cast<void>(run(sql, params, operation));
}

void PostgresSession::execute_script(std::string_view sql, std::string_view operation) {
  const Result result(PQexec(connection_.get(), std::string(sql).c_str()));
  check(result, operation);
}

void PostgresSession::begin(TransactionMode mode) {
  reconnect_if_broken();
  if (mode == TransactionMode::ReadOnly) {
    // REPEATABLE READ: every statement of the transaction (count, page, includes) sees one
    // snapshot, as a SQLite read transaction does.
    execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, "begin transaction");
    return;
  }
  execute("BEGIN", {}, "begin transaction");
  try {
    const SqlValue key = writer_lock_key(schema_);
    execute("SELECT pg_advisory_xact_lock(?)", std::span(&key, 1), "take the writer lock");
  } catch (...) {
    rollback();
    throw;
  }
}

void PostgresSession::commit() {
  const Result result = run("COMMIT", {}, "commit transaction");
  // A COMMIT of a transaction that already failed succeeds as a ROLLBACK: report it.
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("{}: commit transaction: the server rolled it back ({})", description_,
                            PQcmdStatus(result.get())));
  }
}

void PostgresSession::rollback() noexcept {
  if (PQtransactionStatus(connection_.get()) == PQTRANS_IDLE) return;
  const Result result(PQexec(connection_.get(), "ROLLBACK"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    logging::zone_logger("store")->error("fhir store rollback failed store={} message={}",
                                         description_, trimmed(PQerrorMessage(connection_.get())));
  }
}

}  // namespace ptwin::store::fhir::detail
