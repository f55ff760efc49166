// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>

#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::ingest::dicom {
namespace {

constexpr double kMmPerMetre = 1e3;

E_TransferSyntax to_dcmtk(DicomTransferSyntax syntax) {
  switch (syntax) {
    case DicomTransferSyntax::ExplicitVrLittleEndian: return EXS_LittleEndianExplicit;
    case DicomTransferSyntax::RleLossless: return EXS_RLELossless;
    case DicomTransferSyntax::JpegLsLossless: return EXS_JPEGLSLossless;
    case DicomTransferSyntax::JpegLossless: return EXS_JPEGProcess14SV1;
  }
  return EXS_LittleEndianExplicit;
}

// DS values (PS3.5: at most 16 characters).
std::string ds(double value) { return fmt::format("{:.9g}", value); }

void put(DcmDataset& dataset, const DcmTagKey& tag, const std::string& value) {
  const OFCondition status = dataset.putAndInsertString(tag, value.c_str());
  if (status.bad()) {
    throw Error(ErrorCode::Internal,
                fmt::format("DICOM writer: {} = '{}' refused: {}", DcmTag(tag).getTagName(), value, status.text()));
  }
}

void check(const OFCondition& status, const std::string& what) {
  if (status.bad()) throw Error(ErrorCode::Io, fmt::format("DICOM writer: {}: {}", what, status.text()));
}

}  // namespace

std::string new_dicom_uid() {
  char buffer[100];
  dcmGenerateUniqueIdentifier(buffer, SITE_INSTANCE_UID_ROOT);
  return buffer;
}

namespace {

void check_volume(const ImageVolume& volume) {
  const auto& g = volume.geometry;
  if (g.voxel_count() == 0 || volume.values.size() != g.voxel_count() || g.size[0] > 65535 ||
      g.size[1] > 65535) {
    throw InputError(ErrorCode::BadInput, "CT series writer: volume size",
                     fmt::format("{}x{}x{} with {} values", g.size[0], g.size[1], g.size[2],
                                 volume.values.size()),
                     "a non-empty grid of at most 65535 columns and rows, one value per voxel");
  }
}

// Every voxel as a stored value, checked before any file is written (no partial series).
std::vector<Uint16> stored_values(const ImageVolume& volume, double intercept_hu) {
  std::vector<Uint16> stored(volume.values.size());
  for (std::size_t v = 0; v < stored.size(); ++v) {
    const double value = std::round(volume.values[v] - intercept_hu);
    if (!(value >= 0.0 && value <= 65535.0)) {
      const std::size_t pixels = volume.geometry.size[0] * volume.geometry.size[1];
      throw InputError(ErrorCode::BadInput,
                       fmt::format("CT series writer: voxel {} of slice {}", v % pixels, v / pixels),
                       fmt::format("{} HU", volume.values[v]),
                       fmt::format("a value from {} to {} HU (RescaleIntercept {})", intercept_hu,
                                   intercept_hu + 65535.0, intercept_hu));
    }
    stored[v] = static_cast<Uint16>(value);
  }
  return stored;
}

// Patient, study, series, frame of reference and equipment: the same in every slice.
void put_identity(DcmDataset& dataset, const VolumeIdentity& identity,
                  const CtSeriesWriteOptions& options) {
  put(dataset, DCM_SpecificCharacterSet, "ISO_IR 100");
  put(dataset, DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
  put(dataset, DCM_SOPClassUID, UID_CTImageStorage);
  put(dataset, DCM_StudyDate, "20261120");
  put(dataset, DCM_StudyTime, "081500");
  put(dataset, DCM_Modality, "CT");
  put(dataset, DCM_Manufacturer, "ptwin");
  put(dataset, DCM_SeriesDescription, options.series_description);
  put(dataset, DCM_PatientName, options.patient_name);
  put(dataset, DCM_PatientID, identity.patient_id);
  put(dataset, DCM_StudyInstanceUID, identity.study_uid);
  put(dataset, DCM_SeriesInstanceUID, identity.series_uid);
  put(dataset, DCM_StudyID, "1");
  put(dataset, DCM_SeriesNumber, fmt::format("{}", options.series_number));
  put(dataset, DCM_FrameOfReferenceUID, identity.frame_of_reference_uid);
  put(dataset, DCM_PositionReferenceIndicator, "");
  // Type 2 attributes of the Patient, General Study, General Series and CT Image modules (PS3.3
  // C.7.1.1, C.7.2.1, C.7.3.1, C.8.2.1): present, empty where a synthetic series has no value,
  // so that the series validates (dciodvfy) and readers such as dcmseg do not warn.
  put(dataset, DCM_PatientBirthDate, "");
  put(dataset, DCM_PatientSex, "");
  put(dataset, DCM_ReferringPhysicianName, "");
  put(dataset, DCM_AccessionNumber, "");
  put(dataset, DCM_PatientPosition, "HFS");
  put(dataset, DCM_Laterality, "");
  put(dataset, DCM_AcquisitionNumber, "");
  put(dataset, DCM_KVP, "120");
}

// Where slice k lies: position, orientation, spacing (PixelSpacing is row spacing, then column
// spacing: j, then i).
void put_plane(DcmDataset& dataset, const VolumeGeometry& geometry, std::size_t k) {
  const auto position = geometry.position_m(0.0, 0.0, static_cast<double>(k));
  const auto& di = geometry.direction_i;
  const auto& dj = geometry.direction_j;
  put(dataset, DCM_ImagePositionPatient,
      fmt::format("{}\\{}\\{}", ds(position[0] * kMmPerMetre), ds(position[1] * kMmPerMetre),
                  ds(position[2] * kMmPerMetre)));
  put(dataset, DCM_ImageOrientationPatient,
      fmt::format("{}\\{}\\{}\\{}\\{}\\{}", ds(di[0]), ds(di[1]), ds(di[2]), ds(dj[0]), ds(dj[1]),
                  ds(dj[2])));
  put(dataset, DCM_SliceThickness, ds(geometry.spacing_m[2] * kMmPerMetre));
  put(dataset, DCM_SliceLocation, ds(dot(position, geometry.direction_k) * kMmPerMetre));
  put(dataset, DCM_PixelSpacing, fmt::format("{}\\{}", ds(geometry.spacing_m[1] * kMmPerMetre),
                                             ds(geometry.spacing_m[0] * kMmPerMetre)));
}

void put_pixels(DcmDataset& dataset, const VolumeGeometry& geometry, const Uint16* stored,
                double intercept_hu) {
  const std::size_t pixels = geometry.size[0] * geometry.size[1];
  put(dataset, DCM_PhotometricInterpretation, "MONOCHROME2");
  check(dataset.putAndInsertUint16(DCM_SamplesPerPixel, 1), "SamplesPerPixel");
  check(dataset.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(geometry.size[1])), "Rows");
  check(dataset.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(geometry.size[0])), "Columns");
  check(dataset.putAndInsertUint16(DCM_BitsAllocated, 16), "BitsAllocated");
  check(dataset.putAndInsertUint16(DCM_BitsStored, 16), "BitsStored");
  check(dataset.putAndInsertUint16(DCM_HighBit, 15), "HighBit");
  check(dataset.putAndInsertUint16(DCM_PixelRepresentation, 0), "PixelRepresentation");
  put(dataset, DCM_RescaleIntercept, ds(intercept_hu));
  put(dataset, DCM_RescaleSlope, "1");
  put(dataset, DCM_RescaleType, "HU");
  check(dataset.putAndInsertUint16Array(DCM_PixelData, stored, static_cast<unsigned long>(pixels)),
        "PixelData");
}

}  // namespace

WrittenSeries write_ct_series(const ImageVolume& volume, const std::filesystem::path& directory,
                              const CtSeriesWriteOptions& options) {
  register_dicom_codecs();
  check_volume(volume);
  const auto stored = stored_values(volume, options.rescale_intercept_hu);
  WrittenSeries written;
  written.identity = volume.identity;
  auto& identity = written.identity;
  if (identity.study_uid.empty()) identity.study_uid = new_dicom_uid();
  if (identity.series_uid.empty()) identity.series_uid = new_dicom_uid();
  if (identity.frame_of_reference_uid.empty()) identity.frame_of_reference_uid = new_dicom_uid();
  if (identity.patient_id.empty()) identity.patient_id = "PHANTOM-1";
  identity.modality = "CT";

  std::filesystem::create_directories(directory);
  const E_TransferSyntax syntax = to_dcmtk(options.transfer_syntax);
  const std::size_t pixels = volume.geometry.size[0] * volume.geometry.size[1];
  for (std::size_t k = 0; k < volume.geometry.size[2]; ++k) {
    DcmFileFormat format;
    DcmDataset& dataset = *format.getDataset();
    const std::string sop_uid = new_dicom_uid();
    put_identity(dataset, identity, options);
    put(dataset, DCM_SOPInstanceUID, sop_uid);
    put(dataset, DCM_InstanceNumber, fmt::format("{}", k + 1));
    put_plane(dataset, volume.geometry, k);
    put_pixels(dataset, volume.geometry, stored.data() + k * pixels, options.rescale_intercept_hu);
    if (syntax != EXS_LittleEndianExplicit) {
      check(dataset.chooseRepresentation(syntax, nullptr), "compressing to the transfer syntax");
      if (!dataset.canWriteXfer(syntax)) {
        throw Error(ErrorCode::Internal, fmt::format("DICOM writer: DCMTK cannot write {}",
                                                     DcmXfer(syntax).getXferName()));
      }
    }
    const auto path = directory / fmt::format("slice_{:04d}.dcm", k);
    check(format.saveFile(path.c_str(), syntax), path.string());
    written.files.push_back(path);
    written.sop_instance_uids.push_back(sop_uid);
  }
  return written;
}

}  // namespace ptwin::ingest::dicom
