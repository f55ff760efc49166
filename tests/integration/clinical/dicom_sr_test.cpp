// SPDX-License-Identifier: Apache-2.0
// DICOM SR (TID 1500) of vessel measurements (DCMTK dcmsr): valid for dciodvfy, in the source's
// study, referencing the SEG and the source series, and read back to the same measurements.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "dicom_results_fixture.hpp"
#include "ptwin/clinical/dicom/measurement_report_reader.hpp"
#include "ptwin/clinical/dicom/measurement_report_writer.hpp"
#include "ptwin/clinical/dicom/segmentation_writer.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

namespace fs = std::filesystem;

class DicomSrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("ptwin-sr-{}-{}", test->name(), ::getpid());
    fs::remove_all(dir_);
    series_ = testing::write_phantom(dir_ / "phantom");
    seg_ = write_segmentation(series_.lumen, series_.files, testing::test_segmentation_options());
  }
  void TearDown() override {
    if (std::getenv("PTWIN_KEEP_TEST_FILES") == nullptr) fs::remove_all(dir_);
  }
  static MeasurementReportWriteOptions options() {
    MeasurementReportWriteOptions options;
    options.software_version = "ptwin 0.1.0";
    return options;
  }

  fs::path dir_;
  testing::PhantomSeries series_;
  WrittenInstance seg_;
};

TEST_F(DicomSrTest, PassesDciodvfyWithoutErrors) {
  const auto sr =
      write_measurement_report(testing::test_measurements(), series_.files, seg_, options());
  const auto path = dir_ / "sr.dcm";
  testing::write_file(path, sr.bytes);
  const auto report = testing::run_dciodvfy(path);
  for (const auto& warning : report.warnings) std::cout << "dciodvfy SR: " << warning << '\n';
  EXPECT_TRUE(report.errors.empty()) << report.output;
}

// Values are written as DS with 9 significant digits: relative rounding at most 5e-9.
constexpr double kDsRelativeTolerance = 1e-8;

void expect_near_relative(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, kDsRelativeTolerance * std::abs(expected)) << what;
}

TEST_F(DicomSrTest, MeasurementsReadBackAsWritten) {
  const auto written = testing::test_measurements();
  const auto sr = write_measurement_report(written, series_.files, seg_, options());
  const auto contents = read_measurement_report(sr.bytes);
  ASSERT_EQ(contents.segments.size(), written.size());
  for (std::size_t n = 0; n < written.size(); ++n) {
    const auto& expected = written[n];
    const auto& actual = contents.segments[n].measurement;
    EXPECT_EQ(actual.name, expected.name);
    expect_near_relative(actual.mean_diameter.si(), expected.mean_diameter.si(),
                         expected.name + " mean");
    expect_near_relative(actual.minimal_diameter.si(), expected.minimal_diameter.si(),
                         expected.name + " minimal");
    expect_near_relative(actual.stenosis_diameter_reduction.si(),
                         expected.stenosis_diameter_reduction.si(), expected.name + " stenosis");
    EXPECT_EQ(actual.finding_site, expected.finding_site);
    ASSERT_EQ(actual.predicted_pressure_drop.has_value(),
              expected.predicted_pressure_drop.has_value());
    if (expected.predicted_pressure_drop) {
      expect_near_relative(actual.predicted_pressure_drop->mean_drop.si(),
                           expected.predicted_pressure_drop->mean_drop.si(),
                           expected.name + " pressure drop");
      EXPECT_EQ(actual.predicted_pressure_drop->model, expected.predicted_pressure_drop->model);
      ASSERT_EQ(actual.predicted_pressure_drop->peak_drop.has_value(),
                expected.predicted_pressure_drop->peak_drop.has_value());
      if (expected.predicted_pressure_drop->peak_drop) {
        expect_near_relative(actual.predicted_pressure_drop->peak_drop->si(),
                             expected.predicted_pressure_drop->peak_drop->si(),
                             expected.name + " peak pressure drop");
      }
    }
    // Every group references the lumen segment of this SEG and the segmented series.
    EXPECT_EQ(contents.segments[n].segmentation_sop_instance_uid, seg_.sop_instance_uid);
    EXPECT_EQ(contents.segments[n].segment_number, 1);
    EXPECT_EQ(contents.segments[n].source_series_uid, series_.written.identity.series_uid);
    EXPECT_FALSE(contents.segments[n].tracking_uid.empty());
  }
  EXPECT_NE(contents.segments[0].tracking_uid, contents.segments[1].tracking_uid);
}

TEST_F(DicomSrTest, IsAnEnhancedSrInTheSourceStudyObservedByPtwin) {
  auto report_options = options();
  report_options.device_observer_uid = "1.2.826.0.1.3680043.10.1234.1";
  const auto sr =
      write_measurement_report(testing::test_measurements(), series_.files, seg_, report_options);
  const auto contents = read_measurement_report(sr.bytes);
  EXPECT_EQ(contents.sop_class_uid, "1.2.840.10008.5.1.4.1.1.88.22");  // Enhanced SR Storage
  EXPECT_EQ(sr.sop_class_uid, contents.sop_class_uid);
  EXPECT_EQ(contents.study_uid, series_.written.identity.study_uid);
  EXPECT_EQ(sr.study_uid, contents.study_uid);
  EXPECT_NE(contents.series_uid, series_.written.identity.series_uid);
  EXPECT_NE(contents.series_uid, seg_.series_uid);
  EXPECT_EQ(contents.document_title, "Imaging Measurement Report");
  EXPECT_EQ(contents.device_observer_uid, report_options.device_observer_uid);
  EXPECT_EQ(contents.device_observer_name, "ptwin");
  EXPECT_EQ(contents.device_observer_model_name, "ptwin 0.1.0");
  // Evidence: every source image and the SEG.
  const auto& evidence = contents.evidence_sop_instance_uids;
  EXPECT_EQ(evidence.size(), series_.files.size() + 1);
  EXPECT_NE(std::find(evidence.begin(), evidence.end(), seg_.sop_instance_uid), evidence.end());
  for (const auto& uid : series_.written.sop_instance_uids) {
    EXPECT_NE(std::find(evidence.begin(), evidence.end(), uid), evidence.end()) << uid;
  }
}

TEST_F(DicomSrTest, RefusesMeasurementsThatBreakTheirRules) {
  auto measurements = testing::test_measurements();
  measurements[1].minimal_diameter = 9.0 * units::mm;  // above the mean
  try {
    (void)write_measurement_report(measurements, series_.files, seg_, options());
    FAIL() << "minimal above mean accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("daughter-1 stenosis"), std::string::npos) << error.what();
    EXPECT_NE(error.where().find("minimal_diameter"), std::string::npos) << error.what();
    EXPECT_EQ(error.value(), "9 mm");
  }
  measurements = testing::test_measurements();
  measurements[1].predicted_pressure_drop->model.version.clear();
  try {
    (void)write_measurement_report(measurements, series_.files, seg_, options());
    FAIL() << "a prediction without model version accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("predicted_pressure_drop.model"), std::string::npos)
        << error.what();
  }
  measurements = testing::test_measurements();
  measurements[1].predicted_pressure_drop->peak_drop = 10.0 * units::mmHg;  // below the mean
  try {
    (void)write_measurement_report(measurements, series_.files, seg_, options());
    FAIL() << "a peak below the mean accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.where().find("predicted_pressure_drop.peak_drop"), std::string::npos)
        << error.what();
  }
  measurements = testing::test_measurements();
  measurements[1].name = measurements[0].name;
  EXPECT_THROW((void)write_measurement_report(measurements, series_.files, seg_, options()),
               InputError);
  EXPECT_THROW((void)write_measurement_report({}, series_.files, seg_, options()), InputError);
}

TEST_F(DicomSrTest, RefusesASegOfAnotherStudy) {
  auto other = seg_;
  other.study_uid = "1.2.3.4.5";
  try {
    (void)write_measurement_report(testing::test_measurements(), series_.files, other, options());
    FAIL() << "a SEG of another study accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.value(), "1.2.3.4.5");
  }
}

TEST_F(DicomSrTest, ReaderRefusesAFileThatIsNotAnSr) {
  EXPECT_THROW((void)read_measurement_report(seg_.bytes, "seg.dcm"), InputError);
  EXPECT_THROW((void)read_measurement_report("not DICOM", "garbage"), InputError);
}

}  // namespace
}  // namespace ptwin::clinical::dicom
