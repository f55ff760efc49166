// SPDX-License-Identifier: Apache-2.0
// What Bulk Data export needs from the resource store, on both backends: the keyset-paged scan
// (type, lastUpdated window, after_id, Patient compartment, deleted resources left out) and the
// job rows (save, replace, read, list, delete, id checks). Also: a SQLite file at schema
// version 1 is upgraded to the job table.
#include <sqlite3.h>

#include "fhir_store_fixture.hpp"

namespace ptwin::store::fhir::test_support {
namespace {

class FhirStoreExport : public FhirStoreTest {
 protected:
  std::vector<std::string> scan_ids(ExportScan scan) {
    std::vector<std::string> ids;
    while (true) {
      const auto transaction = store().begin(TransactionMode::ReadOnly);
      const std::vector<ResourceVersion> page = transaction->export_scan(scan);
      transaction->commit();
      for (const ResourceVersion& version : page) ids.push_back(version.id);
      if (std::ssize(page) < scan.limit) return ids;
      scan.after_id = page.back().id;
    }
  }
  static ExportScan scan_of(std::string type, std::int64_t limit) {
    ExportScan scan;
    scan.resource_type = std::move(type);
    scan.until = utc("2100-01-01T00:00:00Z");
    scan.limit = limit;
    return scan;
  }
};

TEST_P(FhirStoreExport, ScanPagesByIdWithinTheTimeWindowAndSkipsDeletions) {
  std::vector<std::string> all;
  for (int i = 0; i < 7; ++i) {
    all.push_back(create(observation({.subject = "Patient/p1"})).id);
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(scan_ids(scan_of("Observation", 3)), all);  // pages of 3, 3, 1
  EXPECT_EQ(scan_ids(scan_of("Observation", 7)), all);  // a full last page, then an empty one
  // _since / until: strictly after since, at or before until.
  clock_.advance(std::chrono::hours(1));
  const std::string later = create(observation({})).id;
  ExportScan since = scan_of("Observation", 100);
  since.since = utc("2024-05-01T12:00:00Z");
  EXPECT_EQ(scan_ids(since), std::vector<std::string>{later});
  ExportScan until = scan_of("Observation", 100);
  until.until = utc("2024-05-01T12:00:00Z");
  EXPECT_EQ(scan_ids(until), all);
  (void)store().remove("Observation", all.front());
  all.erase(all.begin());
  EXPECT_EQ(scan_ids(until), all);
}

TEST_P(FhirStoreExport, PatientCompartmentScanKeepsResourcesThatReferenceAPatient) {
  const std::string patient_id = create(patient({.family = "Compartment"})).id;
  const std::string linked = create(observation({.subject = "Patient/" + patient_id})).id;
  (void)create(observation({}));  // no subject
  ExportScan scan = scan_of("Observation", 100);
  scan.patient_compartment = CompartmentScope{.reference_params = {"subject"},
                                              .patient_ids = std::nullopt};
  EXPECT_EQ(scan_ids(scan), std::vector<std::string>{linked});
  // Through a parameter that is not one of the compartment's, nothing.
  scan.patient_compartment->reference_params = {"performer"};
  EXPECT_TRUE(scan_ids(scan).empty());
  // A type outside the compartment (no parameters) exports nothing.
  scan.patient_compartment->reference_params = {};
  EXPECT_TRUE(scan_ids(scan).empty());
  ExportScan patients = scan_of("Patient", 100);
  patients.patient_compartment = CompartmentScope{};
  EXPECT_EQ(scan_ids(patients), std::vector<std::string>{patient_id});
}

TEST_P(FhirStoreExport, CompartmentScanOfSomePatientsKeepsOnlyTheirResources) {
  const std::string first = create(patient({.family = "First"})).id;
  const std::string second = create(patient({.family = "Second"})).id;
  const std::string third = create(patient({.family = "Third"})).id;
  std::vector<std::string> wanted;
  for (const std::string& id : {first, second, third, first}) {
    const std::string observation_id = create(observation({.subject = "Patient/" + id})).id;
    if (id != second) wanted.push_back(observation_id);
  }
  std::sort(wanted.begin(), wanted.end());
  ExportScan scan = scan_of("Observation", 2);  // pages of 2 across the patients
  scan.patient_compartment = CompartmentScope{.reference_params = {"subject", "performer"},
                                              .patient_ids = std::vector{first, third}};
  EXPECT_EQ(scan_ids(scan), wanted);
  ExportScan patients = scan_of("Patient", 100);
  patients.patient_compartment = CompartmentScope{.reference_params = {},
                                                  .patient_ids = std::vector{third, first}};
  std::vector<std::string> both{first, third};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(scan_ids(patients), both);
  patients.patient_compartment->patient_ids = std::vector<std::string>{};
  EXPECT_TRUE(scan_ids(patients).empty());
  // A Patient that links to one in scope (Patient.link, the compartment's `link`) is in it.
  NewResource linked = patient({.family = "Linked"});
  linked.index.references.push_back(reference_index("link", "Patient/" + third));
  const std::string linked_id = create(linked).id;
  patients.patient_compartment = CompartmentScope{.reference_params = {"link"},
                                                  .patient_ids = std::vector{third}};
  std::vector<std::string> third_and_linked{third, linked_id};
  std::sort(third_and_linked.begin(), third_and_linked.end());
  EXPECT_EQ(scan_ids(patients), third_and_linked);
}

TEST_P(FhirStoreExport, FiltersAreOredAndTheirCriteriaAnded) {
  const std::string heart = create(observation({.code = "8867-4"})).id;
  const std::string heart_of_patient =
      create(observation({.code = "8867-4", .subject = "Patient/p1"})).id;
  const std::string breath = create(observation({.code = "9279-1"})).id;
  (void)create(observation({.code = "8310-5"}));
  ExportScan scan = scan_of("Observation", 100);
  scan.filters = {{token_criterion("code", "http://loinc.org|9279-1")},
                  {token_criterion("code", "8867-4"), reference_criterion("subject", "Patient/p1")}};
  std::vector<std::string> either{breath, heart_of_patient};
  std::sort(either.begin(), either.end());
  EXPECT_EQ(scan_ids(scan), either);
  scan.filters = {{token_criterion("code", "8867-4")}};
  std::vector<std::string> hearts{heart, heart_of_patient};
  std::sort(hearts.begin(), hearts.end());
  EXPECT_EQ(scan_ids(scan), hearts);
  // An empty filter, or a criterion the search would refuse, is refused.
  for (const auto& filters :
       {std::vector<std::vector<Criterion>>{{}},
        std::vector<std::vector<Criterion>>{{Criterion{.param = "code",
                                                       .type = SearchParamType::Token,
                                                       .modifier = Modifier::None,
                                                       .values = {},
                                                       .chain = std::nullopt,
                                                       .reverse_chain = std::nullopt}}}}) {
    scan.filters = filters;
    const auto transaction = store().begin(TransactionMode::ReadOnly);
    EXPECT_THROW((void)transaction->export_scan(scan), InputError);
  }
}

TEST_P(FhirStoreExport, ScanRefusesABadTypeIdOrLimit) {
  ExportScan bad_id = scan_of("Observation", 10);
  bad_id.after_id = "no spaces allowed";
  for (const ExportScan& scan : {scan_of("observation", 10), scan_of("Observation", 0),
                                 scan_of("Observation", kMaxPageSize + 1), bad_id}) {
    const auto transaction = store().begin(TransactionMode::ReadOnly);
    EXPECT_THROW((void)transaction->export_scan(scan), InputError) << scan.resource_type;
  }
}

TEST_P(FhirStoreExport, JobRowsAreSavedReplacedListedAndDeleted) {
  ExportJobRecord job{.id = "job-1",
                      .state = "accepted",
                      .request_json = R"({"types":["Patient"]})",
                      .progress_json = "{}",
                      .transaction_time = utc("2024-05-01T12:00:00Z"),
                      .updated_at = utc("2024-05-01T12:00:01Z")};
  ExportJobRecord other = job;
  other.id = "job-0";
  other.transaction_time = utc("2024-05-01T13:00:00Z");
  {
    const auto transaction = store().begin(TransactionMode::ReadWrite);
    transaction->save_export_job(job);
    transaction->save_export_job(other);
    job.state = "running";
    job.progress_json = R"({"next_type":1})";
    transaction->save_export_job(job);  // replaces
    EXPECT_THROW(transaction->save_export_job(ExportJobRecord{.id = "bad id!",
                                                              .state = "accepted",
                                                              .request_json = "{}",
                                                              .progress_json = "{}",
                                                              .transaction_time = {},
                                                              .updated_at = {}}),
                 InputError);
  }  // the throw failed the transaction: nothing was written
  {
    const auto transaction = store().begin(TransactionMode::ReadOnly);
    EXPECT_TRUE(transaction->export_jobs().empty());
    transaction->commit();
  }
  {
    const auto transaction = store().begin(TransactionMode::ReadWrite);
    transaction->save_export_job(other);
    transaction->save_export_job(job);
    transaction->commit();
  }
  const auto reopened = open_store();  // a second connection reads what the first wrote
  const auto transaction = reopened->begin(TransactionMode::ReadWrite);
  EXPECT_EQ(transaction->export_job("job-1"), job);
  EXPECT_FALSE(transaction->export_job("job-2").has_value());
  EXPECT_FALSE(transaction->export_job("../etc").has_value());
  const auto jobs = transaction->export_jobs();
  ASSERT_EQ(jobs.size(), 2U);
  EXPECT_EQ(jobs[0].id, "job-1");  // oldest transaction time first
  EXPECT_EQ(jobs[1].id, "job-0");
  EXPECT_TRUE(transaction->delete_export_job("job-1"));
  EXPECT_FALSE(transaction->delete_export_job("job-1"));
  EXPECT_EQ(transaction->export_jobs().size(), 1U);
  transaction->commit();
}

PTWIN_FHIR_STORE_BACKENDS(FhirStoreExport);

TEST(SqliteResourceStoreSchema, AVersionOneFileGetsTheLaterSteps) {
  const store::test_support::TempDir dir;
  const auto path = dir.file("v1.sqlite");
  const time::ManualClock clock(utc("2024-05-01T12:00:00Z"));
  {
    SqliteResourceStore store(path, clock);
    (void)store.create(patient({.family = "Before"}));
  }
  {  // Take the file back to version 1, as a build before step 2 left it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE fhir_export_jobs; "
                           "DROP TABLE fhir_subscription_counters; "
                           "DROP TABLE fhir_subscription_events; "
                           "DROP TABLE fhir_leases; "
                           "DELETE FROM fhir_schema_migrations WHERE version >= 2;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  SqliteResourceStore store(path, clock);
  EXPECT_EQ(store.schema_version(), 4);
  EXPECT_EQ(store.schema_version(), SqliteResourceStore::latest_schema_version());
  const auto transaction = store.begin(TransactionMode::ReadWrite);
  EXPECT_TRUE(transaction->export_jobs().empty());
  EXPECT_EQ(transaction->export_scan(ExportScan{.resource_type = "Patient",
                                                .since = std::nullopt,
                                                .until = utc("2100-01-01T00:00:00Z"),
                                                .after_id = std::nullopt,
                                                .patient_compartment = std::nullopt,
                                                .filters = {},
                                                .limit = 10})
                .size(),
            1U);
  transaction->commit();
}

}  // namespace
}  // namespace ptwin::store::fhir::test_support
