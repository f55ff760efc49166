// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes an ImageVolume in HU as a CT Image Storage series, one file per slice (DCMTK): correct
// ImagePositionPatient / ImageOrientationPatient from the volume's geometry, PixelSpacing,
// SliceThickness, unsigned 16-bit stored values with RescaleIntercept / RescaleSlope, fresh
// SOP instance UIDs, and the study / series / frame-of-reference UIDs of the volume's identity
// (fresh ones where it has none). Used for the synthetic phantoms and for tests; a value that
// the stored range cannot hold is an error, never clamped.

#include <filesystem>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::ingest::dicom {

enum class DicomTransferSyntax {
  ExplicitVrLittleEndian,  // 1.2.840.10008.1.2.1
  RleLossless,             // 1.2.840.10008.1.2.5
  JpegLsLossless,          // 1.2.840.10008.1.2.4.80
  JpegLossless,            // 1.2.840.10008.1.2.4.70 (process 14, selection value 1)
};

struct CtSeriesWriteOptions {
  DicomTransferSyntax transfer_syntax = DicomTransferSyntax::ExplicitVrLittleEndian;
  double rescale_intercept_hu = -1024.0;  // stored = round(HU - intercept), slope 1
  std::string patient_name = "PHANTOM^VESSEL";
  std::string series_description = "synthetic vessel phantom";
  int series_number = 1;
};

struct WrittenSeries {
  VolumeIdentity identity;  // as written (generated UIDs filled in)
  std::vector<std::filesystem::path> files;  // slice k in files[k]
  std::vector<std::string> sop_instance_uids;
};

/// Writes `volume` into `directory` (created if absent) as slice_0000.dcm, slice_0001.dcm, ...
WrittenSeries write_ct_series(const ImageVolume& volume, const std::filesystem::path& directory,
                              const CtSeriesWriteOptions& options = {});

/// A fresh DICOM UID (DCMTK's generator under its site root).
[[nodiscard]] std::string new_dicom_uid();

}  // namespace ptwin::ingest::dicom
