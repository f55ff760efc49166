// SPDX-License-Identifier: Apache-2.0
// The DICOM JSON Model reader (PS3.18 F.2), QIDO-RS records and the STOW-RS response.
#include <gtest/gtest.h>

#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_json.hpp"
#include "ptwin/ingest/dicom/dicom_tags.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"
#include "ptwin/ingest/dicom/qido_records.hpp"
#include "ptwin/ingest/dicom/stow_response.hpp"

namespace ptwin::ingest::dicom {
namespace {

// A QIDO-RS study answer in the shape PS3.18 F.2 and Orthanc give.
constexpr std::string_view kStudies = R"([
 {"00080020": {"vr": "DA", "Value": ["20261120"]},
  "00080061": {"vr": "CS", "Value": ["CT", "SR"]},
  "00100010": {"vr": "PN", "Value": [{"Alphabetic": "PHANTOM^VESSEL"}]},
  "00100020": {"vr": "LO", "Value": ["PHANTOM-1"]},
  "0020000D": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.8.498.1"]},
  "00201206": {"vr": "IS", "Value": [2]},
  "00201208": {"vr": "IS", "Value": ["48"]},
  "00081190": {"vr": "UR", "Value": ["http://pacs/dicom-web/studies/1.2.826.0.1.3680043.8.498.1"]},
  "7FE00010": {"vr": "OW", "BulkDataURI": "http://pacs/bulk/1"}}
])";

TEST(DicomJson, StudyAnswerBecomesTypedRecords) {
  const auto datasets = parse_dicom_json_array(kStudies, "qido studies");
  ASSERT_EQ(datasets.size(), 1U);
  const auto study = to_study_record(datasets[0]);
  EXPECT_EQ(study.study_uid, "1.2.826.0.1.3680043.8.498.1");
  EXPECT_EQ(study.patient_id, "PHANTOM-1");
  EXPECT_EQ(study.study_date, "20261120");
  EXPECT_EQ(study.modalities, (std::vector<std::string>{"CT", "SR"}));
  EXPECT_EQ(study.number_of_series, 2);
  EXPECT_EQ(study.number_of_instances, 48);  // IS sent as a decimal string: accepted
  EXPECT_EQ(datasets[0].string(tags::kPatientName), "PHANTOM^VESSEL");
  EXPECT_EQ(datasets[0].vr(0x7FE00010), "OW");
}

TEST(DicomJson, SeriesAndInstancesTakeTheirScopeAndRefuseAnother) {
  const auto series = parse_dicom_json_array(
      R"([{"0020000E": {"vr": "UI", "Value": ["1.2.3.4"]}, "00080060": {"vr": "CS", "Value": ["CT"]},
           "00200011": {"vr": "IS", "Value": [3]}}])",
      "qido series");
  const auto record = to_series_record(series[0], "1.2.3");
  EXPECT_EQ(record.study_uid, "1.2.3");
  EXPECT_EQ(record.series_uid, "1.2.3.4");
  EXPECT_EQ(record.modality, "CT");
  EXPECT_EQ(record.series_number, 3);
  const auto other = parse_dicom_json_array(
      R"([{"0020000D": {"vr": "UI", "Value": ["1.2.9"]}, "0020000E": {"vr": "UI", "Value": ["1.2.3.4"]},
           "00080060": {"vr": "CS", "Value": ["CT"]}}])",
      "qido series");
  try {
    (void)to_series_record(other[0], "1.2.3");
    FAIL() << "a series of another study was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("1.2.9"), std::string::npos) << error.what();
  }
}

TEST(DicomJson, MissingKeyUidIsNamed) {
  const auto datasets = parse_dicom_json_array(R"([{"00080060": {"vr": "CS", "Value": ["CT"]}}])",
                                               "qido series");
  try {
    (void)to_series_record(datasets[0], "1.2.3");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::MissingField);
    EXPECT_NE(std::string(error.what()).find("SeriesInstanceUID (0020,000E)"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("qido series[0]"), std::string::npos);
  }
}

TEST(DicomJson, UidRules) {
  EXPECT_NO_THROW(require_uid("1.2.840.10008.5.1.4.1.1.2", "uid"));
  EXPECT_NO_THROW(require_uid("2.25.0", "uid"));
  for (const std::string& bad : std::vector<std::string>{"", "1..2", "1.2.", "01.2", "1.2a", std::string(65, '1')}) {
    EXPECT_THROW(require_uid(bad, "uid"), InputError) << bad;
  }
}

TEST(StowResponse, StoredAndFailedInstancesAreRead) {
  const auto response = parse_dicom_json_dataset(
      R"({"00081190": {"vr": "UR", "Value": ["http://pacs/dicom-web/studies/1.2.3"]},
          "00081199": {"vr": "SQ", "Value": [
            {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
             "00081155": {"vr": "UI", "Value": ["1.2.3.4.5"]},
             "00081190": {"vr": "UR", "Value": ["http://pacs/x"]}}]},
          "00081198": {"vr": "SQ", "Value": [
            {"00081150": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"]},
             "00081155": {"vr": "UI", "Value": ["1.2.3.4.6"]},
             "00081197": {"vr": "US", "Value": [42752]}}]}})",
      "stow");
  const auto stow = read_stow_response(response);
  ASSERT_EQ(stow.stored.size(), 1U);
  EXPECT_EQ(stow.stored[0].sop_instance_uid, "1.2.3.4.5");
  ASSERT_EQ(stow.failed.size(), 1U);
  EXPECT_EQ(stow.failed[0].failure_reason, 0xA700);
  const auto text = describe_failures(stow.failed);
  EXPECT_NE(text.find("1.2.3.4.6"), std::string::npos) << text;
  EXPECT_NE(text.find("0xA700 (out of resources)"), std::string::npos) << text;
}

TEST(StowResponse, FailedItemWithoutReasonIsAnError) {
  const auto response = parse_dicom_json_dataset(
      R"([{"00081198": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.3"]}}]}}])",
      "stow");
  EXPECT_THROW((void)read_stow_response(response), InputError);
}

TEST(DicomwebClient, RefusesABaseThatIsNotHttp) {
  DicomwebClientSettings settings;
  settings.base_url = "ftp://pacs/dicom-web";
  EXPECT_THROW(DicomwebClient{settings}, InputError);
}

TEST(DicomwebClient, UnreachableServerIsAnErrorNamingTheUrl) {
  DicomwebClientSettings settings;
  settings.base_url = "http://127.0.0.1:1/dicom-web";
  settings.connect_timeout = std::chrono::milliseconds{500};
  DicomwebClient client(settings);
  try {
    (void)client.search_studies({{"StudyInstanceUID", "1.2.3"}});
    FAIL();
  } catch (const DicomwebError& error) {
    EXPECT_EQ(error.http_status(), 0);
    EXPECT_NE(error.url().find("/dicom-web/studies?StudyInstanceUID=1.2.3"), std::string::npos)
        << error.url();
  }
  EXPECT_THROW((void)client.search_series("1.2.x"), InputError);  // checked before any request
}

}  // namespace
}  // namespace ptwin::ingest::dicom
