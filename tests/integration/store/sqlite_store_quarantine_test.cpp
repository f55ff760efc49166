// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::RawDatabase;
using test_support::TempDir;

QuarantineEntry make_entry(std::string source, std::string raw_bytes) {
  return QuarantineEntry{.source = std::move(source),
                         .reason =
                             "Observation/bp-1: valueQuantity.code 'kg' is not a pressure "
                             "unit [unit-mismatch]",
                         .raw_bytes = std::move(raw_bytes),
                         .received_at = time::from_epoch_ns(1'714'564'800'000'000'007)};
}

std::string every_byte_value() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

TEST(SqliteStoreQuarantine, RawBytesRoundTripExactlyIncludingNulAndInvalidUtf8) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  // Embedded NUL, a lone continuation byte, an overlong encoding, a truncated sequence, and
  // then all 256 byte values.
  const std::string raw =
      std::string("{\"a\":\"x\0y\"}\x80\xC0\xAF\xE2\x82", 16) + every_byte_value();
  ASSERT_EQ(raw.size(), 16U + 256U);
  const QuarantineEntry entry = make_entry("fhir:Bundle entry 3", raw);
  QuarantineId id = 0;
  {
    SqliteStore store(path);
    id = store.quarantine(entry);
  }
  SqliteStore reopened(path);
  const auto found = reopened.quarantined(std::nullopt);
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].id, id);
  EXPECT_EQ(found[0].entry, entry);
  EXPECT_EQ(found[0].entry.raw_bytes.size(), raw.size());
  RawDatabase database(path);
  EXPECT_EQ(database.scalar("SELECT typeof(raw_bytes) FROM quarantine"), "blob");
  EXPECT_EQ(database.scalar("SELECT length(raw_bytes) FROM quarantine"), "272");
}

TEST(SqliteStoreQuarantine, EmptyRawInputIsKeptAsEmptyNotNull) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const QuarantineEntry entry = make_entry("mqtt:icu/bed4/hr", "");
  static_cast<void>(store.quarantine(entry));
  const auto found = store.quarantined(std::nullopt);
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].entry, entry);
}

TEST(SqliteStoreQuarantine, SourcePrefixFiltersLiterallyAndIdsIncrease) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  const QuarantineId first = store.quarantine(make_entry("fhir:Bundle entry 3", "a"));
  const QuarantineId second = store.quarantine(make_entry("mqtt:icu/bed4/hr", "b"));
  const QuarantineId third = store.quarantine(make_entry("fhir:Bundle entry 9", "c"));
  static_cast<void>(store.quarantine(make_entry("fhir_x", "d")));  // '_' is not a wildcard
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  const auto fhir = store.quarantined("fhir:");
  ASSERT_EQ(fhir.size(), 2U);
  EXPECT_EQ(fhir[0].id, first);
  EXPECT_EQ(fhir[1].id, third);
  EXPECT_EQ(store.quarantined("mqtt:icu/bed4/hr").size(), 1U);
  EXPECT_TRUE(store.quarantined("fhi%").empty());
  EXPECT_EQ(store.quarantined(std::nullopt).size(), 4U);
  EXPECT_EQ(store.count_quarantined(), 4);
}

TEST(SqliteStoreQuarantine, EntryWithoutSourceOrReasonIsRejected) {
  const TempDir dir;
  SqliteStore store(dir.file("store.sqlite"));
  QuarantineEntry entry = make_entry("", "x");
  EXPECT_THROW(static_cast<void>(store.quarantine(entry)), InputError);
  entry = make_entry("hl7v2:mllp", "x");
  entry.reason.clear();
  try {
    static_cast<void>(store.quarantine(entry));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "quarantine entry from 'hl7v2:mllp': reason");
  }
  EXPECT_EQ(store.count_quarantined(), 0);
}

}  // namespace
}  // namespace ptwin::store
