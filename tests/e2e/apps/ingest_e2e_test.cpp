// SPDX-License-Identifier: Apache-2.0
// `ptwin ingest` as a user runs it: files in, a summary out, and a database in which every
// record of every file is accounted for (accepted + quarantined + skipped = records), the
// quarantine holding each refused record's bytes and reason (docs/ingest.md#ptwin-ingest).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ptwin/store/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code;
  std::string output;
};

CommandResult run(const std::string& command, const fs::path& dir) {
  const fs::path log = dir / "output.txt";
  const int status = std::system((command + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

class IngestE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ptwin_ingest_e2e_" + std::string(
                                      ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string ptwin(const std::string& arguments) {
    return std::string(PTWIN_EXECUTABLE) + " ingest --db " + (dir_ / "twin.db").string() + " " +
           arguments;
  }
  fs::path dir_;
};

// Synthetic messages, no real patient. Two vitals in the first ORU, one OBX with an unknown
// unit in the second (that segment is quarantined, the rest stored), an unparseable message,
// and the batch envelope around them.
const std::string kBatch =
    "FHS|^~\\&|MONITOR|ICU\n"
    "BHS|^~\\&|MONITOR|ICU\n"
    "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120000+0000||ORU^R01^ORU_R01|M1|P|2.5.1\n"
    "PID|1||123456^^^HOSP^MR||Doe^Jane||19700101|F\n"
    "OBR|1|||85354-9^BP panel^LN|||20240501115500+0000\n"
    "OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F|||20240501115900+0000\n"
    "OBX|2|NM|8480-6^Systolic^LN||120|mm[Hg]^^UCUM|||||F|||20240501115900+0000\n"
    "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120100+0000||ORU^R01^ORU_R01|M2|P|2.5.1\n"
    "PID|1||123456^^^HOSP^MR||Doe^Jane||19700101|F\n"
    "OBR|1|||85354-9^BP panel^LN|||20240501120000+0000\n"
    "OBX|1|NM|8867-4^Heart rate^LN||75|/min^^UCUM|||||F|||20240501120000+0000\n"
    "OBX|2|NM|8480-6^Systolic^LN||118|furlongs^^UCUM|||||F|||20240501120000+0000\n"
    "MSH|broken header\n"
    "BTS|3\n"
    "FTS|1\n";

TEST_F(IngestE2e, AnHl7v2BatchFileIsAccountedForMessageByMessage) {
  const auto file = write("monitor.hl7", kBatch);
  const auto result = run(ptwin(file.string()), dir_);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // Summary: 3 messages, 2 accepted (one with a quarantined segment), 1 quarantined.
  EXPECT_NE(result.output.find("hl7v2"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("3 messages: 2 accepted, 1 quarantined, 0 skipped"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("3 samples stored, 1 segments quarantined, 4 batch envelope"),
            std::string::npos)
      << result.output;

  ptwin::store::SqliteStore store(dir_ / "twin.db");
  EXPECT_EQ(store.count_samples(), 3);
  const auto quarantined = store.quarantined(std::nullopt);
  ASSERT_EQ(quarantined.size(), 2U);
  bool has_message = false;
  bool has_segment = false;
  for (const auto& record : quarantined) {
    if (record.entry.raw_bytes.find("MSH|broken header") != std::string::npos) {
      has_message = true;
      EXPECT_NE(record.entry.source.find("monitor.hl7:13"), std::string::npos)
          << record.entry.source;
    }
    if (record.entry.raw_bytes.find("furlongs") != std::string::npos) {
      has_segment = true;
      EXPECT_NE(record.entry.reason.find("furlongs"), std::string::npos) << record.entry.reason;
    }
  }
  EXPECT_TRUE(has_message);
  EXPECT_TRUE(has_segment);
}

TEST_F(IngestE2e, AFileOfNoKnownFormatIsAnErrorThatSaysWhatToDo) {
  const auto file = write("notes.txt", "hello\n");
  const auto result = run(ptwin(file.string()), dir_);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("notes.txt"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("--format"), std::string::npos) << result.output;
}

TEST_F(IngestE2e, AMissingFileIsRefusedBeforeAnythingIsImported) {
  const auto result = run(ptwin((dir_ / "absent.hl7").string()), dir_);
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("absent.hl7"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(dir_ / "twin.db"));
}

TEST_F(IngestE2e, FhirNdjsonJsonXmlAndTransactionsAreValidatedStoredOrQuarantined) {
  const auto ndjson = write(
      "export.ndjson",
      "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n"
      "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\",\"code\":{\"text\":"
      "\"HR\"},\"subject\":{\"reference\":\"Patient/p1\"},\"valueQuantity\":{\"value\":72}}\n"
      "\n"
      "{\"resourceType\":\"Observation\",\"id\":\"o2\",\"status\":\"finished\"}\n");
  const auto xml = write("patient.xml",
                         "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p2\"/>"
                         "<birthDate value=\"1970-01-01\"/></Patient>");
  const auto transaction = write("transaction.json", R"({"resourceType": "Bundle", "type": "transaction",
    "entry": [
      {"fullUrl": "urn:uuid:6b0c1ae4-1f6c-4a0e-9d1b-2f6f8e2b7c11",
       "resource": {"resourceType": "Patient", "name": [{"family": "Doe"}]},
       "request": {"method": "POST", "url": "Patient"}},
      {"resource": {"resourceType": "Observation", "status": "final", "code": {"text": "MAP"},
                    "subject": {"reference": "urn:uuid:6b0c1ae4-1f6c-4a0e-9d1b-2f6f8e2b7c11"}},
       "request": {"method": "POST", "url": "Observation"}}]})");
  const auto result =
      run(ptwin(ndjson.string() + " " + xml.string() + " " + transaction.string()), dir_);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  // NDJSON: 4 lines, one blank (skipped), one invalid status (quarantined).
  EXPECT_NE(result.output.find("4 resources: 2 accepted, 1 quarantined, 1 skipped"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("1 resources: 1 accepted, 0 quarantined"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("2 resources: 2 accepted, 0 quarantined"), std::string::npos)
      << result.output;
  ptwin::store::SqliteStore store(dir_ / "twin.db");
  const auto quarantined = store.quarantined(std::nullopt);
  ASSERT_EQ(quarantined.size(), 1U);
  EXPECT_EQ(quarantined.front().entry.raw_bytes,
            "{\"resourceType\":\"Observation\",\"id\":\"o2\",\"status\":\"finished\"}");
  EXPECT_NE(quarantined.front().entry.source.find("export.ndjson:4"), std::string::npos)
      << quarantined.front().entry.source;
  EXPECT_NE(quarantined.front().entry.reason.find("finished"), std::string::npos)
      << quarantined.front().entry.reason;
}

TEST_F(IngestE2e, AVcfBecomesPharmacogenomicObservationsOfThePatientNamed) {
  const auto vcf = fs::path(PTWIN_SOURCE_DIR) / "data/genomics/synthetic-001.vcf";
  const auto without_patient = run(ptwin(vcf.string()), dir_);
  EXPECT_EQ(without_patient.exit_code, 2) << without_patient.output;
  EXPECT_NE(without_patient.output.find("--patient"), std::string::npos) << without_patient.output;

  const auto result = run(ptwin("--patient synthetic-001 " + vcf.string()), dir_);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("10 variant records: 7 accepted, 0 quarantined, 3 skipped"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("CYP2C19 *1/*2 (Intermediate metabolizer)"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("9 Observations stored, 0 refused"), std::string::npos)
      << result.output;
}

}  // namespace
