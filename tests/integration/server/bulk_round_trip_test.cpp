// SPDX-License-Identifier: Apache-2.0
// Import of another server's export: a facade exports its store, BulkExportImport polls the
// status URL with the FHIR client, downloads the files and imports them into a second store
// (its own SQLite file). Both stores then hold the same resources under the same ids, with the
// same content apart from meta (versionId and lastUpdated are the importing store's).
#include <fstream>
#include <map>

#include "bulk_export_fixture.hpp"
#include "ptwin/ingest/fhir/bulk/bulk_export_import.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::server::fhir::testing {
namespace {

using nlohmann::json;
namespace bulk_import = ingest::fhir::bulk;

// type/id -> the resource without meta.
std::map<std::string, json> contents(store::fhir::ResourceStore& store, const std::string& type) {
  store::fhir::SearchQuery query;
  query.resource_type = type;
  query.count = store::fhir::kMaxPageSize;
  std::map<std::string, json> resources;
  for (const auto& version : store.search(query).matches) {
    json resource = json::parse(version.json);
    resource.erase("meta");
    resources.emplace(type + "/" + version.id, std::move(resource));
  }
  return resources;
}

TEST_P(BulkExportTest, AnExportImportedIntoASecondStoreGivesTheSameResources) {
  start();
  for (int p = 0; p < 3; ++p) {
    const std::string id = create(patient(fmt::format("Trip{}", p)));
    for (int o = 0; o < 6; ++o) (void)create(heart_rate(id, 55.0 + o + p));
  }
  (void)create({{"resourceType", "Device"}, {"status", "active"}});
  const std::string status_url = kick_off("/$export");

  time::ManualClock other_clock{time::parse_iso8601("2025-01-01T00:00:00Z")};
  store::fhir::SqliteResourceStore copy(directory_ / "copy.db", other_clock);
  store::SqliteStore quarantine(directory_ / "quarantine.db");
  const ingest::fhir::indexing::IndexExtractor extractor(*definitions_);
  bulk_import::NdjsonImporter importer(
      copy, *validator_, extractor,
      [&](const store::QuarantineEntry& entry) { (void)quarantine.quarantine(entry); }, {});
  ingest::fhir::FhirClientSettings client_settings;
  client_settings.base_url = base_;
  ingest::fhir::FhirClient client(client_settings);
  bulk_import::BulkExportImport import(client, importer, directory_ / "downloads");
  const bulk_import::BulkImportReport report =
      import.from_status_url(status_url, std::chrono::seconds(60));

  EXPECT_EQ(report.total.accepted, 3 + 18 + 1);
  EXPECT_EQ(report.total.quarantined(), 0);
  EXPECT_TRUE(report.total.is_conserved());
  EXPECT_EQ(quarantine.count_quarantined(), 0);
  EXPECT_EQ(report.files.size(), 3U);  // Device, Observation, Patient
  for (const std::string type : {"Patient", "Observation", "Device"}) {
    const auto exported = contents(*store_, type);
    const auto imported = contents(copy, type);
    EXPECT_EQ(imported.size(), exported.size()) << type;
    EXPECT_EQ(imported, exported) << type;
  }
  // The downloads were removed once imported.
  EXPECT_TRUE(std::filesystem::is_empty(directory_ / "downloads"));

  // The same manifest with its files already on disk (as a manifest JSON + files would come).
  const std::filesystem::path files = directory_ / "files";
  std::filesystem::create_directories(files);
  for (const auto& output : report.manifest.output) {
    const Reply file = http("GET", output.url);
    std::ofstream(files / output.url.substr(output.url.rfind('/') + 1), std::ios::binary)
        << file.body;
  }
  store::fhir::SqliteResourceStore third(directory_ / "third.db", other_clock);
  bulk_import::NdjsonImporter local_importer(
      third, *validator_, extractor,
      [&](const store::QuarantineEntry& entry) { (void)quarantine.quarantine(entry); }, {});
  bulk_import::BulkExportImport local(client, local_importer, directory_ / "unused");
  const bulk_import::BulkImportReport from_disk = local.from_local_files(report.manifest, files);
  EXPECT_EQ(from_disk.total.accepted, report.total.accepted);
  for (const std::string type : {"Patient", "Observation", "Device"}) {
    EXPECT_EQ(contents(third, type), contents(*store_, type)) << type;
  }
}

}  // namespace
}  // namespace ptwin::server::fhir::testing
