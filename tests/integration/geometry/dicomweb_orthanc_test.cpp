// SPDX-License-Identifier: Apache-2.0
// The DICOMweb client against Orthanc + DICOMweb plugin (scripts/with_orthanc.sh): a phantom CT
// series goes in with STOW-RS, is found with QIDO-RS, comes back with WADO-RS (metadata and
// instances) and reads into the same volume; a FHIR ImagingStudy pointing at the server fetches
// only its CT series.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"
#include "ptwin/ingest/dicom/dicom_tags.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"
#include "ptwin/ingest/dicom/imaging_study_locator.hpp"

namespace ptwin::geometry::phantom {
namespace {

namespace fs = std::filesystem;
namespace dicom = ingest::dicom;

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), {}};
}

class DicomwebOrthancTest : public ::testing::Test {
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
    base_ = url;
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("ptwin-dicomweb-{}-{}", test->name(), ::getpid());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A small phantom written as a CT series; its files' bytes in slice order.
  std::vector<std::string> phantom_files(const fs::path& directory, dicom::WrittenSeries& written,
                                         dicom::DicomTransferSyntax syntax,
                                         const std::string& study_uid = "") {
    VesselPhantomSpec spec;
    spec.size = {32, 32, 12};
    auto phantom = make_vessel_phantom(spec);
    phantom.volume.identity.study_uid = study_uid;
    dicom::CtSeriesWriteOptions options;
    options.transfer_syntax = syntax;
    written = write_phantom_series(phantom, directory, options);
    std::vector<std::string> files;
    for (const auto& path : written.files) files.push_back(read_file(path));
    return files;
  }

  dicom::DicomwebClient client() const {
    dicom::DicomwebClientSettings settings;
    settings.base_url = base_;
    return dicom::DicomwebClient(settings);
  }

  std::string base_;
  fs::path dir_;
};

std::vector<std::string_view> views(const std::vector<std::string>& files) {
  return {files.begin(), files.end()};
}

std::vector<dicom::DicomBuffer> buffers(const std::vector<std::string>& files) {
  std::vector<dicom::DicomBuffer> out;
  for (std::size_t n = 0; n < files.size(); ++n) out.push_back({fmt::format("instance {}", n), files[n]});
  return out;
}

TEST_F(DicomwebOrthancTest, StowQidoWadoRoundTripIsByteIdentical) {
  dicom::WrittenSeries written;
  const auto files = phantom_files(dir_, written, dicom::DicomTransferSyntax::ExplicitVrLittleEndian);
  auto pacs = client();
  const auto stored = pacs.store_instances(views(files));
  EXPECT_EQ(stored.stored.size(), files.size());
  const std::set<std::string> sent_uids(written.sop_instance_uids.begin(), written.sop_instance_uids.end());
  for (const auto& instance : stored.stored) EXPECT_TRUE(sent_uids.contains(instance.sop_instance_uid));

  const auto& study_uid = written.identity.study_uid;
  const auto& series_uid = written.identity.series_uid;
  const auto studies = pacs.search_studies({{"StudyInstanceUID", study_uid}, {"includefield", "all"}});
  ASSERT_EQ(studies.size(), 1U);
  EXPECT_EQ(studies[0].patient_id, "PHANTOM-1");
  const auto by_modality = pacs.search_studies({{"ModalitiesInStudy", "CT"}});
  EXPECT_TRUE(std::any_of(by_modality.begin(), by_modality.end(),
                          [&](const auto& study) { return study.study_uid == study_uid; }));
  const auto series = pacs.search_series(study_uid, {{"Modality", "CT"}});
  ASSERT_EQ(series.size(), 1U);
  EXPECT_EQ(series[0].series_uid, series_uid);
  EXPECT_TRUE(pacs.search_series(study_uid, {{"Modality", "MR"}}).empty());
  const auto instances = pacs.search_instances(study_uid, series_uid);
  EXPECT_EQ(instances.size(), files.size());

  const auto metadata = pacs.retrieve_series_metadata(study_uid, series_uid);
  ASSERT_EQ(metadata.size(), files.size());
  for (const auto& dataset : metadata) {
    EXPECT_TRUE(sent_uids.contains(dataset.required_string(dicom::tags::kSopInstanceUid, "SOPInstanceUID")));
    EXPECT_EQ(dataset.integer(dicom::tags::kRows, "Rows"), 32);
  }

  auto retrieved = pacs.retrieve_series(study_uid, series_uid);
  auto sent_sorted = files;
  std::sort(retrieved.begin(), retrieved.end());
  std::sort(sent_sorted.begin(), sent_sorted.end());
  EXPECT_TRUE(retrieved == sent_sorted) << "WADO-RS instances differ from the STOW-RS ones";
  EXPECT_EQ(pacs.retrieve_instance(study_uid, series_uid, written.sop_instance_uids[3]), files[3]);

  const auto original = dicom::read_dicom_series(buffers(files));
  const auto round_trip = dicom::read_dicom_series(buffers(retrieved));
  EXPECT_EQ(round_trip.values, original.values);
  EXPECT_EQ(round_trip.geometry.origin_m, original.geometry.origin_m);
  EXPECT_EQ(round_trip.identity.series_uid, series_uid);
}

// Without a transfer-syntax in Accept the server answers in its default, Explicit VR Little
// Endian (PS3.18 8.7.3.5.2): Orthanc decompresses, so the files differ and the pixels must not.
TEST_F(DicomwebOrthancTest, CompressedSeriesComesBackPixelIdentical) {
  dicom::WrittenSeries written;
  const auto files = phantom_files(dir_, written, dicom::DicomTransferSyntax::JpegLsLossless);
  auto pacs = client();
  (void)pacs.store_instances(views(files));
  const auto retrieved = pacs.retrieve_series(written.identity.study_uid, written.identity.series_uid);
  ASSERT_EQ(retrieved.size(), files.size());
  EXPECT_EQ(dicom::read_dicom_series(buffers(retrieved)).values,
            dicom::read_dicom_series(buffers(files)).values);
}

TEST_F(DicomwebOrthancTest, StoreOfSomethingThatIsNotDicomIsAnError) {
  auto pacs = client();
  try {
    (void)pacs.store_instances({std::string_view("this is not a DICOM file")});
    FAIL() << "the server's refusal was not reported";
  } catch (const dicom::DicomwebError& error) {
    EXPECT_NE(std::string(error.what()).find("/studies"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("0 of 1 instances stored"), std::string::npos) << error.what();
  }
}

TEST_F(DicomwebOrthancTest, UnknownSeriesIsAnErrorNotAnEmptyAnswer) {
  auto pacs = client();
  EXPECT_THROW((void)pacs.retrieve_series("1.2.3.999", "1.2.3.999.1"), dicom::DicomwebError);
}

// Changes the Modality of every file of a series (a second, non-CT series of the same study).
std::vector<std::string> as_modality(const std::vector<fs::path>& paths, const char* modality) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    DcmFileFormat format;
    EXPECT_TRUE(format.loadFile(path.c_str()).good());
    EXPECT_TRUE(format.getDataset()->putAndInsertString(DCM_Modality, modality).good());
    EXPECT_TRUE(format.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
    files.push_back(read_file(path));
  }
  return files;
}

TEST_F(DicomwebOrthancTest, ImagingStudyFetchesOnlyTheSeriesInScope) {
  dicom::WrittenSeries ct;
  const auto ct_files = phantom_files(dir_ / "ct", ct, dicom::DicomTransferSyntax::ExplicitVrLittleEndian);
  dicom::WrittenSeries other;
  (void)phantom_files(dir_ / "ot", other, dicom::DicomTransferSyntax::ExplicitVrLittleEndian,
                      ct.identity.study_uid);
  const auto other_files = as_modality(other.files, "OT");
  auto pacs = client();
  (void)pacs.store_instances(views(ct_files));
  (void)pacs.store_instances(views(other_files));

  const nlohmann::json study = {
      {"resourceType", "ImagingStudy"},
      {"status", "available"},
      {"subject", {{"reference", "Patient/p1"}}},
      {"contained",
       {{{"resourceType", "Endpoint"},
         {"id", "pacs"},
         {"status", "active"},
         {"connectionType",
          {{{"coding",
             {{{"system", "http://terminology.hl7.org/CodeSystem/endpoint-connection-type"},
               {"code", "dicom-wado-rs"}}}}}}},
         {"address", base_}}}},
      {"identifier", {{{"system", "urn:dicom:uid"}, {"value", "urn:oid:" + ct.identity.study_uid}}}},
      {"endpoint", {{{"reference", "#pacs"}}}},
      {"series",
       {{{"uid", other.identity.series_uid},
         {"numberOfInstances", other_files.size()},
         {"modality", {{"coding", {{{"system", "http://dicom.nema.org/resources/ontology/DCM"}, {"code", "OT"}}}}}}},
        {{"uid", ct.identity.series_uid},
         {"numberOfInstances", ct_files.size()},
         {"modality", {{"coding", {{{"system", "http://dicom.nema.org/resources/ontology/DCM"}, {"code", "CT"}}}}}}}}}};
  const auto location = dicom::locate_imaging_study(study);
  EXPECT_EQ(location.study_uid, ct.identity.study_uid);
  EXPECT_EQ(location.dicomweb_base, base_);

  dicom::DicomwebClientSettings settings;
  settings.base_url = location.dicomweb_base;
  dicom::DicomwebClient fetcher(settings);
  const auto fetched = dicom::fetch_series(location, dicom::SeriesCriteria{},
                                           [&](const std::string&) -> dicom::DicomwebClient& { return fetcher; });
  ASSERT_EQ(fetched.size(), 1U);
  EXPECT_EQ(fetched[0].location.series_uid, ct.identity.series_uid);
  EXPECT_EQ(fetched[0].files.size(), ct_files.size());
  // One request, and no more bytes than the CT series and its multipart framing.
  std::size_t ct_bytes = 0;
  for (const auto& file : ct_files) ct_bytes += file.size();
  EXPECT_EQ(fetcher.counters().requests, 1U);
  EXPECT_GE(fetcher.counters().bytes_received, ct_bytes);
  EXPECT_LT(fetcher.counters().bytes_received, ct_bytes + 200 * ct_files.size());
  const auto volume = dicom::read_dicom_series(buffers(fetched[0].files));
  EXPECT_EQ(volume.identity.modality, "CT");
  EXPECT_EQ(volume.geometry.size[2], 12U);
}

}  // namespace
}  // namespace ptwin::geometry::phantom
