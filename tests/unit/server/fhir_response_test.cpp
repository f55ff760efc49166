// SPDX-License-Identifier: Apache-2.0
// The facade's header helpers and query-string encoding, without HTTP.
#include <gtest/gtest.h>

#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/server/fhir/search_request.hpp"

namespace ptwin::server::fhir {
namespace {

TEST(FhirResponse, HttpDateIsRfc9110) {
  EXPECT_EQ(http_date(time::parse_iso8601("2024-05-01T12:00:00.5Z")), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(http_date(time::parse_iso8601("1999-12-31T23:59:59Z")), "Fri, 31 Dec 1999 23:59:59 GMT");
}

TEST(FhirResponse, EtagRoundTripsAndRefusesGarbage) {
  EXPECT_EQ(etag(3), "W/\"3\"");
  EXPECT_EQ(parse_etag("W/\"3\""), 3);
  EXPECT_EQ(parse_etag("\"12\""), 12);
  EXPECT_THROW((void)parse_etag("W/\"x\""), FhirError);
  EXPECT_THROW((void)parse_etag("0"), FhirError);
}

TEST(FhirResponse, OperationOutcomeNamesExpression) {
  const auto outcome = operation_outcome("invalid", "bad", "Patient.name");
  EXPECT_EQ(outcome["issue"][0]["expression"][0], "Patient.name");
  EXPECT_EQ(outcome["issue"][0]["severity"], "error");
}

TEST(SearchRequest, EncodeQueryEscapesReservedCharacters) {
  EXPECT_EQ(encode_query({{"code", "http://loinc.org|8867-4"}, {"_count", "2"}}),
            "code=http:%2F%2Floinc.org%7C8867-4&_count=2");
}

}  // namespace
}  // namespace ptwin::server::fhir
