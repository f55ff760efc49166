// SPDX-License-Identifier: Apache-2.0
// parse_manifest: a complete-status manifest of the Bulk Data IG v2 is read; each missing or
// malformed field is refused with its name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/bulk/bulk_manifest.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

using nlohmann::json;

json good_manifest() {
  return json::parse(R"({
    "transactionTime": "2024-05-01T12:00:00Z",
    "request": "http://ehr.example/fhir/$export?_type=Patient,Observation",
    "requiresAccessToken": false,
    "output": [{"type": "Patient", "url": "http://ehr.example/fhir/f/Patient-1.ndjson", "count": 2},
               {"type": "Observation", "url": "http://ehr.example/fhir/f/Observation-1.ndjson"}],
    "error": []
  })");
}

std::string error_of(const json& manifest) {
  try {
    (void)parse_manifest(manifest, "test");
  } catch (const InputError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(BulkManifest, ReadsOutputFilesInOrder) {
  const BulkManifest manifest = parse_manifest(good_manifest(), "test");
  EXPECT_EQ(manifest.transaction_time, "2024-05-01T12:00:00Z");
  EXPECT_FALSE(manifest.requires_access_token);
  ASSERT_EQ(manifest.output.size(), 2U);
  EXPECT_EQ(manifest.output[0].type, "Patient");
  EXPECT_EQ(manifest.output[0].count, 2);
  EXPECT_EQ(manifest.output[1].url, "http://ehr.example/fhir/f/Observation-1.ndjson");
  EXPECT_FALSE(manifest.output[1].count.has_value());
  EXPECT_TRUE(manifest.error.empty());
}

TEST(BulkManifest, NamesTheMissingOrMalformedField) {
  json manifest = good_manifest();
  manifest.erase("transactionTime");
  EXPECT_NE(error_of(manifest).find("transactionTime"), std::string::npos);
  manifest = good_manifest();
  manifest.erase("output");
  EXPECT_NE(error_of(manifest).find("manifest output"), std::string::npos);
  manifest = good_manifest();
  manifest["output"][1].erase("url");
  EXPECT_NE(error_of(manifest).find("output[1].url"), std::string::npos);
  manifest = good_manifest();
  manifest["output"][0]["count"] = -1;
  EXPECT_NE(error_of(manifest).find("output[0].count"), std::string::npos);
  manifest = good_manifest();
  manifest["requiresAccessToken"] = "no";
  EXPECT_NE(error_of(manifest).find("requiresAccessToken"), std::string::npos);
  EXPECT_NE(error_of(json::array()).find("JSON object"), std::string::npos);
}

}  // namespace
}  // namespace ptwin::ingest::fhir::bulk
