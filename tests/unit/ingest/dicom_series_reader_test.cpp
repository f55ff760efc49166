// SPDX-License-Identifier: Apache-2.0
// CT series written by write_ct_series read back by read_dicom_series: geometry, HU values and
// identity survive every transfer syntax; series that are not one regular grid are refused
// with the file and the value named.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::ingest::dicom {
namespace {

namespace fs = std::filesystem;

// A small oblique volume with distinct integer HU values in every voxel.
ImageVolume test_volume(std::size_t columns = 12, std::size_t rows = 10, std::size_t slices = 7) {
  ImageVolume volume;
  auto& g = volume.geometry;
  g.size = {columns, rows, slices};
  g.spacing_m = {0.7e-3, 0.6e-3, 1.25e-3};
  g.origin_m = {-0.05, 0.02, 0.1};
  const double c = std::cos(0.3);
  const double s = std::sin(0.3);
  g.direction_i = {c, s, 0.0};  // rotated about z
  g.direction_j = {-s, c, 0.0};
  g.direction_k = cross(g.direction_i, g.direction_j);
  volume.values.resize(g.voxel_count());
  for (std::size_t v = 0; v < volume.values.size(); ++v) {
    volume.values[v] = static_cast<float>(-1000 + static_cast<int>((v * 37) % 2500));
  }
  return volume;
}

class SeriesReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("ptwin-series-") + test->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string error_of(const fs::path& directory) {
    try {
      (void)read_dicom_series_directory(directory);
    } catch (const InputError& error) {
      return error.what();
    }
    return "(no error)";
  }

  fs::path dir_;
};

void expect_same_volume(const ImageVolume& read, const ImageVolume& written) {
  ASSERT_EQ(read.geometry.size, written.geometry.size);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(read.geometry.spacing_m[a], written.geometry.spacing_m[a], 1e-9) << a;
    EXPECT_NEAR(read.geometry.origin_m[a], written.geometry.origin_m[a], 1e-9) << a;
    EXPECT_NEAR(read.geometry.direction_i[a], written.geometry.direction_i[a], 1e-8) << a;
    EXPECT_NEAR(read.geometry.direction_j[a], written.geometry.direction_j[a], 1e-8) << a;
    EXPECT_NEAR(read.geometry.direction_k[a], written.geometry.direction_k[a], 1e-8) << a;
  }
  ASSERT_EQ(read.values.size(), written.values.size());
  std::size_t differing = 0;
  for (std::size_t v = 0; v < read.values.size(); ++v) differing += read.values[v] != written.values[v];
  EXPECT_EQ(differing, 0U);
  EXPECT_EQ(read.value_unit, "HU");
}

TEST_F(SeriesReaderTest, EveryTransferSyntaxReadsBackTheSameVolume) {
  const auto volume = test_volume();
  for (const auto syntax : {DicomTransferSyntax::ExplicitVrLittleEndian, DicomTransferSyntax::RleLossless,
                            DicomTransferSyntax::JpegLsLossless, DicomTransferSyntax::JpegLossless}) {
    SCOPED_TRACE(static_cast<int>(syntax));
    const auto directory = dir_ / std::to_string(static_cast<int>(syntax));
    CtSeriesWriteOptions options;
    options.transfer_syntax = syntax;
    const auto written = write_ct_series(volume, directory, options);
    ASSERT_EQ(written.files.size(), 7U);
    const auto read = read_dicom_series_directory(directory);
    expect_same_volume(read, volume);
    EXPECT_EQ(read.identity.series_uid, written.identity.series_uid);
    EXPECT_EQ(read.identity.study_uid, written.identity.study_uid);
    EXPECT_EQ(read.identity.modality, "CT");
  }
}

TEST_F(SeriesReaderTest, SliceOrderComesFromPositionsNotFileOrder) {
  const auto volume = test_volume();
  const auto written = write_ct_series(volume, dir_);
  std::vector<DicomBuffer> files;
  for (const auto& path : written.files) {
    std::ifstream stream(path, std::ios::binary);
    files.push_back({path.string(), std::string(std::istreambuf_iterator<char>(stream), {})});
  }
  std::shuffle(files.begin(), files.end(), std::mt19937(7));
  expect_same_volume(read_dicom_series(files), volume);
}

TEST_F(SeriesReaderTest, MissingSliceIsNamedWithTheGap) {
  (void)write_ct_series(test_volume(), dir_);
  fs::remove(dir_ / "slice_0003.dcm");
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("slice_0004.dcm"), std::string::npos) << message;
  EXPECT_NE(message.find("a gap of 2.5 mm after"), std::string::npos) << message;
  EXPECT_NE(message.find("1 slice(s) missing"), std::string::npos) << message;
}

// Changes one attribute of one written file, as a broken modality or PACS would.
void modify(const fs::path& file, const DcmTagKey& tag, const char* value) {
  DcmFileFormat format;
  ASSERT_TRUE(format.loadFile(file.c_str()).good());
  if (value == nullptr) {
    ASSERT_TRUE(format.getDataset()->findAndDeleteElement(tag).good());
  } else {
    ASSERT_TRUE(format.getDataset()->putAndInsertString(tag, value).good());
  }
  ASSERT_TRUE(format.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
}

TEST_F(SeriesReaderTest, MixedOrientationIsRefused) {
  (void)write_ct_series(test_volume(), dir_);
  modify(dir_ / "slice_0002.dcm", DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("slice_0002.dcm: ImageOrientationPatient"), std::string::npos) << message;
  EXPECT_NE(message.find("mixed orientations"), std::string::npos) << message;
}

TEST_F(SeriesReaderTest, MixedSizesAreRefused) {
  const auto written = write_ct_series(test_volume(), dir_);
  auto other = test_volume(12, 9, 7);
  other.identity = written.identity;
  const auto second = write_ct_series(other, dir_ / "other");
  fs::copy_file(second.files[6], dir_ / "slice_extra.dcm");
  fs::remove_all(dir_ / "other");
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("slice_extra.dcm: Columns x Rows"), std::string::npos) << message;
  EXPECT_NE(message.find("12x9"), std::string::npos) << message;
}

TEST_F(SeriesReaderTest, DuplicatePositionIsRefused) {
  (void)write_ct_series(test_volume(), dir_);
  fs::copy_file(dir_ / "slice_0001.dcm", dir_ / "slice_0001_copy.dcm");
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("is at the same place"), std::string::npos) << message;
}

TEST_F(SeriesReaderTest, CtWithoutRescaleIsRefused) {
  (void)write_ct_series(test_volume(), dir_);
  modify(dir_ / "slice_0005.dcm", DCM_RescaleSlope, nullptr);
  modify(dir_ / "slice_0005.dcm", DCM_RescaleIntercept, nullptr);
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("slice_0005.dcm: RescaleSlope"), std::string::npos) << message;
}

// MR images carry no rescale: stored values are the values, and no unit is claimed.
TEST_F(SeriesReaderTest, MrWithoutRescaleReadsStoredValues) {
  const auto volume = test_volume();
  const auto written = write_ct_series(volume, dir_);
  for (const auto& file : written.files) {
    modify(file, DCM_Modality, "MR");
    modify(file, DCM_RescaleSlope, nullptr);
    modify(file, DCM_RescaleIntercept, nullptr);
  }
  const auto read = read_dicom_series_directory(dir_);
  EXPECT_EQ(read.identity.modality, "MR");
  EXPECT_EQ(read.value_unit, "");
  ASSERT_EQ(read.values.size(), volume.values.size());
  for (std::size_t v = 0; v < read.values.size(); v += 97) {
    EXPECT_EQ(read.values[v], volume.values[v] + 1024.0F) << v;  // the writer's intercept undone
  }
}

TEST_F(SeriesReaderTest, FileThatIsNotDicomIsNamed) {
  (void)write_ct_series(test_volume(), dir_);
  std::ofstream(dir_ / "notes.txt") << "not an image\n";
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("notes.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("a DICOM Part 10 file"), std::string::npos) << message;
}

TEST_F(SeriesReaderTest, ShiftedSliceIsRefused) {
  const auto volume = test_volume();
  (void)write_ct_series(volume, dir_);
  const auto p = volume.geometry.position_m(0, 0, 4);
  const std::string shifted = std::to_string(p[0] * 1e3 + 3.0) + "\\" + std::to_string(p[1] * 1e3) +
                              "\\" + std::to_string(p[2] * 1e3);
  modify(dir_ / "slice_0004.dcm", DCM_ImagePositionPatient, shifted.c_str());
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("slice_0004.dcm: ImagePositionPatient"), std::string::npos) << message;
  EXPECT_NE(message.find("off the slice normal"), std::string::npos) << message;
}

std::string ds(double value) { return std::to_string(value); }

// `volume` as one Enhanced CT file: orientation, spacing and rescale in the shared functional
// groups, one position per frame, frames stored top slice first so that order must come from
// the positions. `frames_with_position` < the slice count leaves the last frames unplaced.
void write_multiframe(const ImageVolume& volume, const fs::path& file, std::size_t frames_with_position) {
  const auto& g = volume.geometry;
  const std::size_t frames = g.size[2];
  DcmFileFormat format;
  DcmDataset& dataset = *format.getDataset();
  ASSERT_TRUE(dataset.putAndInsertString(DCM_SOPClassUID, UID_EnhancedCTImageStorage).good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_SOPInstanceUID, new_dicom_uid().c_str()).good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.8.498.77").good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.8.498.77.1").good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_FrameOfReferenceUID, "1.2.826.0.1.3680043.8.498.77.2").good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_Modality, "CT").good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_NumberOfFrames, std::to_string(frames).c_str()).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(g.size[1])).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(g.size[0])).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_SamplesPerPixel, 1).good());
  ASSERT_TRUE(dataset.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2").good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_BitsAllocated, 16).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_BitsStored, 16).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_HighBit, 15).good());
  ASSERT_TRUE(dataset.putAndInsertUint16(DCM_PixelRepresentation, 0).good());
  DcmItem* shared = nullptr;
  ASSERT_TRUE(dataset.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  DcmItem* orientation = nullptr;
  ASSERT_TRUE(shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, orientation, 0).good());
  const auto& di = g.direction_i;
  const auto& dj = g.direction_j;
  const std::string cosines = ds(di[0]) + "\\" + ds(di[1]) + "\\" + ds(di[2]) + "\\" + ds(dj[0]) + "\\" +
                              ds(dj[1]) + "\\" + ds(dj[2]);
  ASSERT_TRUE(orientation->putAndInsertString(DCM_ImageOrientationPatient, cosines.c_str()).good());
  DcmItem* measures = nullptr;
  ASSERT_TRUE(shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, measures, 0).good());
  const std::string spacing = ds(g.spacing_m[1] * 1e3) + "\\" + ds(g.spacing_m[0] * 1e3);
  ASSERT_TRUE(measures->putAndInsertString(DCM_PixelSpacing, spacing.c_str()).good());
  DcmItem* transform = nullptr;
  ASSERT_TRUE(shared->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, transform, 0).good());
  ASSERT_TRUE(transform->putAndInsertString(DCM_RescaleIntercept, "-1024").good());
  ASSERT_TRUE(transform->putAndInsertString(DCM_RescaleSlope, "1").good());
  const std::size_t pixels = g.size[0] * g.size[1];
  std::vector<Uint16> stored(pixels * frames);
  for (std::size_t f = 0; f < frames; ++f) {
    const std::size_t k = frames - 1 - f;
    DcmItem* group = nullptr;
    ASSERT_TRUE(dataset.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, group, -2).good());
    if (f < frames_with_position) {
      DcmItem* position = nullptr;
      ASSERT_TRUE(group->findOrCreateSequenceItem(DCM_PlanePositionSequence, position, 0).good());
      const auto p = g.position_m(0, 0, static_cast<double>(k));
      const std::string text = ds(p[0] * 1e3) + "\\" + ds(p[1] * 1e3) + "\\" + ds(p[2] * 1e3);
      ASSERT_TRUE(position->putAndInsertString(DCM_ImagePositionPatient, text.c_str()).good());
    }
    for (std::size_t n = 0; n < pixels; ++n) {
      stored[f * pixels + n] = static_cast<Uint16>(volume.values[k * pixels + n] + 1024.0F);
    }
  }
  ASSERT_TRUE(dataset.putAndInsertUint16Array(DCM_PixelData, stored.data(),
                                              static_cast<unsigned long>(stored.size())).good());
  ASSERT_TRUE(format.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
}

TEST_F(SeriesReaderTest, EnhancedMultiFrameCtReadsLikeTheSingleFrameSeries) {
  const auto volume = test_volume();
  fs::create_directories(dir_);
  write_multiframe(volume, dir_ / "enhanced.dcm", volume.geometry.size[2]);
  const auto read = read_dicom_series_directory(dir_);
  EXPECT_EQ(read.identity.series_uid, "1.2.826.0.1.3680043.8.498.77.1");
  // Positions were written with 6 significant digits: compare geometry at that precision.
  ASSERT_EQ(read.geometry.size, volume.geometry.size);
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(read.geometry.origin_m[a], volume.geometry.origin_m[a], 1e-6);
    EXPECT_NEAR(read.geometry.spacing_m[a], volume.geometry.spacing_m[a], 1e-6);
  }
  EXPECT_EQ(read.values, volume.values);
}

TEST_F(SeriesReaderTest, MultiFrameWithoutPerFramePositionNamesTheFrame) {
  const auto volume = test_volume();
  fs::create_directories(dir_);
  write_multiframe(volume, dir_ / "enhanced.dcm", 5);
  const auto message = error_of(dir_);
  EXPECT_NE(message.find("enhanced.dcm frame 6: ImagePositionPatient"), std::string::npos) << message;
}

TEST_F(SeriesReaderTest, ValueOutsideTheStoredRangeIsNotClamped) {
  auto volume = test_volume();
  volume.values[volume.values.size() - 1] = -2000.0F;  // in the last slice
  try {
    (void)write_ct_series(volume, dir_);
    FAIL() << "a value below the stored range was written";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("voxel 119 of slice 6"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(fs::exists(dir_)) << "a partial series was left behind";
}

}  // namespace
}  // namespace ptwin::ingest::dicom
