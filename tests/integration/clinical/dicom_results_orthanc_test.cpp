// SPDX-License-Identifier: Apache-2.0
// SEG and SR back to PACS against Orthanc + DICOMweb plugin (scripts/with_orthanc.sh): the
// phantom CT series is stored, its lumen SEG and measurement SR are written and stored with
// STOW-RS, found with QIDO-RS by study and modality, and retrieved with WADO-RS byte-identical.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "dicom_results_fixture.hpp"
#include "ptwin/clinical/dicom/measurement_report_reader.hpp"
#include "ptwin/clinical/dicom/pacs_results.hpp"
#include "ptwin/clinical/dicom/segmentation_reader.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

namespace fs = std::filesystem;
namespace ingest_dicom = ingest::dicom;

class DicomResultsOrthancTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PTWIN_TEST_DICOMWEB_URL");
    if (url == nullptr) {
      if (std::getenv("CI") != nullptr) {
        FAIL() << "PTWIN_TEST_DICOMWEB_URL is not set under CI: run under scripts/with_orthanc.sh";
      }
      GTEST_SKIP() << "PTWIN_TEST_DICOMWEB_URL is not set: run under scripts/with_orthanc.sh "
                      "(scripts/test.sh does)";
    }
    ingest_dicom::DicomwebClientSettings settings;
    settings.base_url = url;
    client_.emplace(settings);
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("ptwin-pacs-{}-{}", test->name(), ::getpid());
    fs::remove_all(dir_);
    series_ = testing::write_phantom(dir_ / "phantom");
    std::vector<std::string_view> files;
    for (const auto& file : series_.files) files.emplace_back(file.bytes);
    (void)client_->store_instances(files);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static PacsResultsOptions options() {
    PacsResultsOptions options;
    options.segmentation = testing::test_segmentation_options();
    options.report.software_version = "ptwin 0.1.0";
    return options;
  }

  std::optional<ingest_dicom::DicomwebClient> client_;
  fs::path dir_;
  testing::PhantomSeries series_;
};

TEST_F(DicomResultsOrthancTest, SegAndSrAreStoredFoundAndRetrievedUnchanged) {
  const auto results = write_results_to_pacs(*client_, series_.lumen, series_.files,
                                             testing::test_measurements(), options());
  ASSERT_TRUE(results.report.has_value());
  EXPECT_EQ(results.stow.stored.size(), 2U);
  const auto& study_uid = series_.written.identity.study_uid;
  EXPECT_EQ(results.segmentation.study_uid, study_uid);
  EXPECT_EQ(results.report->study_uid, study_uid);

  // QIDO-RS: the study now holds CT, SEG and SR; each new series is found by its modality.
  const auto studies = client_->search_studies(
      {{"StudyInstanceUID", study_uid}, {"includefield", "ModalitiesInStudy"}});
  ASSERT_EQ(studies.size(), 1U);
  for (const char* modality : {"CT", "SEG", "SR"}) {
    EXPECT_NE(std::find(studies[0].modalities.begin(), studies[0].modalities.end(), modality),
              studies[0].modalities.end())
        << modality;
  }
  const auto seg_series = client_->search_series(study_uid, {{"Modality", "SEG"}});
  ASSERT_EQ(seg_series.size(), 1U);
  EXPECT_EQ(seg_series[0].series_uid, results.segmentation.series_uid);
  const auto sr_series = client_->search_series(study_uid, {{"Modality", "SR"}});
  ASSERT_EQ(sr_series.size(), 1U);
  EXPECT_EQ(sr_series[0].series_uid, results.report->series_uid);
  const auto seg_instances = client_->search_instances(study_uid, results.segmentation.series_uid);
  ASSERT_EQ(seg_instances.size(), 1U);
  EXPECT_EQ(seg_instances[0].sop_instance_uid, results.segmentation.sop_instance_uid);
  EXPECT_EQ(seg_instances[0].sop_class_uid,
            "1.2.840.10008.5.1.4.1.1.66.4");  // Segmentation Storage

  // WADO-RS: the stored bytes come back unchanged and decode to what was written.
  const auto seg_bytes = client_->retrieve_instance(study_uid, results.segmentation.series_uid,
                                                    results.segmentation.sop_instance_uid);
  EXPECT_TRUE(seg_bytes == results.segmentation.bytes)
      << seg_bytes.size() << " vs " << results.segmentation.bytes.size();
  EXPECT_EQ(read_segmentation(seg_bytes, series_.lumen.geometry).labels.labels,
            series_.lumen.labels);
  const auto sr_bytes = client_->retrieve_instance(study_uid, results.report->series_uid,
                                                   results.report->sop_instance_uid);
  EXPECT_TRUE(sr_bytes == results.report->bytes);
  const auto contents = read_measurement_report(sr_bytes);
  ASSERT_EQ(contents.segments.size(), 2U);
  EXPECT_EQ(contents.segments[1].measurement.name, "daughter-1 stenosis");
  EXPECT_EQ(contents.segments[1].segmentation_sop_instance_uid,
            results.segmentation.sop_instance_uid);
}

TEST_F(DicomResultsOrthancTest, WithoutMeasurementsOnlyTheSegIsStored) {
  const auto results = write_results_to_pacs(*client_, series_.lumen, series_.files, {}, options());
  EXPECT_FALSE(results.report.has_value());
  EXPECT_EQ(results.stow.stored.size(), 1U);
  const auto& study_uid = series_.written.identity.study_uid;
  EXPECT_EQ(client_->search_series(study_uid, {{"Modality", "SEG"}}).size(), 1U);
  EXPECT_TRUE(client_->search_series(study_uid, {{"Modality", "SR"}}).empty());
}

TEST_F(DicomResultsOrthancTest, BadMeasurementsStoreNothing) {
  auto measurements = testing::test_measurements();
  measurements[0].stenosis_diameter_reduction = 1.5 * units::one;
  EXPECT_THROW(
      (void)write_results_to_pacs(*client_, series_.lumen, series_.files, measurements, options()),
      InputError);
  const auto& study_uid = series_.written.identity.study_uid;
  EXPECT_TRUE(client_->search_series(study_uid, {{"Modality", "SEG"}}).empty());
  EXPECT_TRUE(client_->search_series(study_uid, {{"Modality", "SR"}}).empty());
}

}  // namespace
}  // namespace ptwin::clinical::dicom
