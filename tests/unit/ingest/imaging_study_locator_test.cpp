// SPDX-License-Identifier: Apache-2.0
// A FHIR R5 ImagingStudy resolves to the Study Instance UID, the DICOMweb base of each series,
// and the series in scope.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/imaging_study_locator.hpp"

namespace ptwin::ingest::dicom {
namespace {

nlohmann::json imaging_study() {
  return nlohmann::json::parse(R"({
    "resourceType": "ImagingStudy", "id": "cta-1", "status": "available",
    "subject": {"reference": "Patient/p1"},
    "contained": [{"resourceType": "Endpoint", "id": "pacs", "status": "active",
      "connectionType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
                                      "code": "dicom-wado-rs"}]}],
      "address": "http://pacs.example.org/dicom-web"}],
    "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:uuid:9f1c"},
                   {"system": "urn:dicom:uid", "value": "urn:oid:1.2.826.0.1.3680043.8.498.7"}],
    "endpoint": [{"reference": "#pacs"}],
    "series": [
      {"uid": "1.2.826.0.1.3680043.8.498.7.1", "numberOfInstances": 300,
       "modality": {"coding": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CT"}]}},
      {"uid": "1.2.826.0.1.3680043.8.498.7.2", "numberOfInstances": 1,
       "modality": {"coding": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "SR"}]}},
      {"uid": "1.2.826.0.1.3680043.8.498.7.3", "numberOfInstances": 2,
       "modality": {"coding": [{"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "CT"}]},
       "endpoint": [{"reference": "Endpoint/archive"}]}]})");
}

std::optional<nlohmann::json> resolver(std::string_view reference) {
  if (reference != "Endpoint/archive") return std::nullopt;
  return nlohmann::json::parse(R"({"resourceType": "Endpoint", "id": "archive",
    "connectionType": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
                                    "code": "dicom-qido-rs"}]}],
    "address": "https://archive.example.org/dicomweb"})");
}

TEST(ImagingStudyLocator, StudyUidEndpointsAndSeriesAreRead) {
  const auto location = locate_imaging_study(imaging_study(), resolver);
  EXPECT_EQ(location.study_uid, "1.2.826.0.1.3680043.8.498.7");
  EXPECT_EQ(location.dicomweb_base, "http://pacs.example.org/dicom-web");
  ASSERT_EQ(location.series.size(), 3U);
  EXPECT_EQ(location.series[0].modality, "CT");
  EXPECT_EQ(location.series[0].number_of_instances, 300);
  EXPECT_EQ(location.series[0].dicomweb_base, "http://pacs.example.org/dicom-web");
  EXPECT_EQ(location.series[2].dicomweb_base, "https://archive.example.org/dicomweb");
}

TEST(ImagingStudyLocator, SeriesInScopeByModalityAndSize) {
  const auto location = locate_imaging_study(imaging_study(), resolver);
  const auto ct = select_series(location, SeriesCriteria{});
  ASSERT_EQ(ct.size(), 2U);
  EXPECT_EQ(ct[0].series_uid, "1.2.826.0.1.3680043.8.498.7.1");
  const auto large = select_series(location, SeriesCriteria{.modalities = {"CT"}, .min_instances = 10,
                                                            .body_site = std::nullopt});
  ASSERT_EQ(large.size(), 1U);
  EXPECT_TRUE(select_series(location, SeriesCriteria{.modalities = {"MR"}, .min_instances = 1,
                                                     .body_site = std::nullopt})
                  .empty());
}

TEST(ImagingStudyLocator, MissingStudyUidIsNamed) {
  auto study = imaging_study();
  study["identifier"].erase(1);
  try {
    (void)locate_imaging_study(study, resolver);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "ImagingStudy.identifier");
  }
  study = imaging_study();
  study["identifier"][1]["value"] = "1.2.3";  // not written as urn:oid:
  EXPECT_THROW((void)locate_imaging_study(study, resolver), InputError);
}

TEST(ImagingStudyLocator, UnresolvedEndpointAndSeriesWithoutEndpointAreErrors) {
  try {
    (void)locate_imaging_study(imaging_study());  // no resolver for Endpoint/archive
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::NotFound);
    EXPECT_EQ(error.where(), "ImagingStudy.series[2].endpoint[0].reference");
  }
  auto study = imaging_study();
  study.erase("endpoint");
  try {
    (void)locate_imaging_study(study, resolver);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "ImagingStudy.series[0].endpoint");
  }
}

// A full-resource notification of a new study carries the ImagingStudy; an id-only one only
// its reference.
TEST(ImagingStudyLocator, NotificationFocusResolvesToTheStudy) {
  nlohmann::json bundle = {
      {"resourceType", "Bundle"},
      {"type", "subscription-notification"},
      {"entry",
       {{{"fullUrl", "urn:uuid:5c1e"},
         {"resource",
          {{"resourceType", "SubscriptionStatus"},
           {"status", "active"},
           {"type", "event-notification"},
           {"eventsSinceSubscriptionStart", "2"},
           {"notificationEvent",
            {{{"eventNumber", "1"}, {"focus", {{"reference", "http://ehr.test/fhir/ImagingStudy/cta-1"}}}},
             {{"eventNumber", "2"}, {"focus", {{"reference", "http://ehr.test/fhir/ImagingStudy/cta-2"}}}}}},
           {"subscription", {{"reference", "http://ehr.test/fhir/Subscription/s9"}}},
           {"topic", "http://ptwin.test/SubscriptionTopic/imaging-study"}}}},
        {{"fullUrl", "http://ehr.test/fhir/ImagingStudy/cta-1"}, {"resource", imaging_study()}},
        {{"fullUrl", "http://ehr.test/fhir/ImagingStudy/cta-2"},
         {"request", {{"method", "POST"}, {"url", "ImagingStudy/cta-2"}}}}}}};
  const auto notification = fhir::notifications::read_notification(bundle.dump());
  const auto notified = locate_notified_imaging_studies(notification, resolver);
  ASSERT_EQ(notified.located.size(), 1U);
  EXPECT_EQ(notified.located[0].study_uid, "1.2.826.0.1.3680043.8.498.7");
  EXPECT_EQ(notified.unresolved, std::vector<std::string>{"http://ehr.test/fhir/ImagingStudy/cta-2"});
}

}  // namespace
}  // namespace ptwin::ingest::dicom
