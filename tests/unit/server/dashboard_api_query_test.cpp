// SPDX-License-Identifier: Apache-2.0
// Query parameters of the dashboard API: unknown, repeated and malformed ones are refused naming
// the parameter.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/dashboard/api_query.hpp"

namespace {

using ptwin::server::dashboard::ApiQuery;

std::string where_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.http_status(), 400);
    return e.where();
  }
  return "(no error)";
}

TEST(ApiQuery, ReadsInstantsAsIso8601OrEpochMilliseconds) {
  const ApiQuery query("since=2026-11-24T21%3A00%3A00Z&until=1795000000123", {"since", "until"});
  EXPECT_EQ(*query.instant("since"), ptwin::time::parse_iso8601("2026-11-24T21:00:00Z"));
  EXPECT_EQ(*query.instant("until"), ptwin::time::from_epoch_ms(1795000000123));
  EXPECT_FALSE(ApiQuery("", {"since"}).instant("since"));
}

TEST(ApiQuery, RefusesUnknownRepeatedAndMalformedParametersNamingThem) {
  EXPECT_EQ(where_of([] { (void)ApiQuery("snice=1", {"since", "until"}); }), "snice");
  EXPECT_EQ(where_of([] { (void)ApiQuery("since=1&since=2", {"since"}); }), "since");
  EXPECT_EQ(where_of([] { (void)ApiQuery("since=yesterday", {"since"}).instant("since"); }),
            "since");
  EXPECT_EQ(where_of([] { (void)ApiQuery("since=2026-11-24T21:00", {"since"}).instant("since"); }),
            "since");  // no offset: ambiguous
  EXPECT_EQ(where_of([] { (void)ApiQuery("minutes=0", {"minutes"}).integer("minutes", 1, 1440); }),
            "minutes");
  EXPECT_EQ(where_of([] { (void)ApiQuery("minutes=5x", {"minutes"}).integer("minutes", 1, 1440); }),
            "minutes");
  EXPECT_EQ(*ApiQuery("minutes=1440", {"minutes"}).integer("minutes", 1, 1440), 1440);
}

}  // namespace
