// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the store integration tests: a throw-away directory per test and sample
// builders with fixed, synthetic values.

#include <sqlite3.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include <gtest/gtest.h>

#include "ptwin/core/sample.hpp"
#include "ptwin/core/time.hpp"

namespace ptwin::store::test_support {

/// A fresh directory under the system temp dir, removed with everything in it at scope end.
class TempDir {
 public:
  TempDir() {
    std::string name = (std::filesystem::temp_directory_path() / "ptwin-store-XXXXXX").string();
    if (mkdtemp(name.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + name);
    }
    path_ = name;
  }
  ~TempDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
    if (error) ADD_FAILURE() << "could not remove " << path_ << ": " << error.message();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline Sample make_sample(std::string patient_id, std::string code, std::int64_t time_ns,
                          double value_si) {
  return Sample{.patient_id = std::move(patient_id),
                .code = std::move(code),
                .value_si = value_si,
                .unit_of_origin = "mm[Hg]",
                .time = time::from_epoch_ns(time_ns),
                .source_id = "test:synthetic",
                .quality = SampleQuality::Good};
}

/// Plain SQLite access to a store's file, bypassing SqliteStore: for checks on the stored bytes
/// and for simulating a database written by another version of ptwin.
class RawDatabase {
 public:
  explicit RawDatabase(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      ADD_FAILURE() << "sqlite3_open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;
  RawDatabase(RawDatabase&&) = delete;
  RawDatabase& operator=(RawDatabase&&) = delete;

  /// Runs SQL that returns no rows; fails the test on error.
  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (message != nullptr ? message : "?");
    }
    sqlite3_free(message);
  }

  /// The first column of the first row as bytes ("" when there is no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return {};
    }
    std::string result;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const void* data = sqlite3_column_blob(statement, 0);
      const int size = sqlite3_column_bytes(statement, 0);
      if (data != nullptr)
        result.assign(static_cast<const char*>(data), static_cast<std::size_t>(size));
    }
    sqlite3_finalize(statement);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace ptwin::store::test_support
