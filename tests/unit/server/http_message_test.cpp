// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/http/http_message.hpp"

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server {
namespace {

TEST(HttpMessage, PathAndQuerySplitAtTheFirstQuestionMark) {
  HttpRequest request;
  request.target = "/fhir/Patient?name=a?b&_count=2";
  EXPECT_EQ(request.path(), "/fhir/Patient");
  EXPECT_EQ(request.query(), "name=a?b&_count=2");
  request.target = "/fhir/metadata";
  EXPECT_EQ(request.query(), "");
}

TEST(HttpMessage, HeaderNamesAreCaseInsensitive) {
  HttpRequest request;
  request.headers["Content-Type"] = "application/fhir+json";
  EXPECT_EQ(request.header("content-type").value_or(""), "application/fhir+json");
  EXPECT_EQ(request.header("CONTENT-TYPE").value_or(""), "application/fhir+json");
  EXPECT_FALSE(request.header("accept").has_value());
}

TEST(HttpMessage, QueryIsDecodedInOrderWithRepeatedNamesKept) {
  const auto query = parse_query("code=http%3A%2F%2Floinc.org%7C8867-4&date=ge2024&date=lt2025"
                                 "&name:exact=Ann+Smith&flag&&empty=");
  ASSERT_EQ(query.size(), 6U);
  EXPECT_EQ(query[0].second, "http://loinc.org|8867-4");
  EXPECT_EQ(query[1], (std::pair<std::string, std::string>{"date", "ge2024"}));
  EXPECT_EQ(query[2].second, "lt2025");
  EXPECT_EQ(query[3], (std::pair<std::string, std::string>{"name:exact", "Ann Smith"}));
  EXPECT_EQ(query[4], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(query[5], (std::pair<std::string, std::string>{"empty", ""}));
}

TEST(HttpMessage, ABrokenEscapeIsAnInputErrorNamingTheText) {
  for (const char* bad : {"a=%G1", "a=%4", "a=%", "%zz=1"}) {
    try {
      (void)parse_query(bad);
      FAIL() << bad;
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("percent-escape"), std::string::npos) << bad;
    }
  }
  EXPECT_EQ(percent_decode("a+b%20c", false), "a+b c");
}

}  // namespace
}  // namespace ptwin::server
