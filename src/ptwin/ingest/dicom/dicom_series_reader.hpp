// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads one DICOM image series (CT or MR; single-frame files, or multi-frame files with
// functional groups such as Enhanced CT) into an ImageVolume, with DCMTK. Compressed transfer
// syntaxes that Debian's DCMTK decodes are read: JPEG (baseline, extended, lossless), JPEG-LS
// and RLE.
//
// Slices are sorted by their position along the slice normal (the cross product of the
// ImageOrientationPatient row and column directions), never by InstanceNumber or file name.
// Values are rescaled (RescaleSlope/RescaleIntercept) to HU for CT. The series is refused with
// an InputError naming the file (and frame) and the value when it is not one regular grid:
//   - files of different series, frames of reference, sizes, pixel spacings or orientations;
//   - two slices at the same position, or positions that leave the slice normal (gantry tilt);
//   - uneven slice spacing, e.g. a missing slice (the gap and the expected spacing are named);
//   - a CT slice without RescaleSlope/Intercept, unsupported pixel formats (colour, > 16 bits),
//     a transfer syntax that cannot be decoded, or a file that is not DICOM.

#include <filesystem>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::ingest::dicom {

/// One DICOM file's bytes (Part 10, with preamble and meta header) and the name errors use.
struct DicomBuffer {
  std::string name;
  std::string bytes;
};

struct SeriesReadOptions {
  /// Slice gaps may differ from the median gap by this fraction before the series is refused.
  double spacing_tolerance = 0.01;
  /// Orientation cosines may differ by this much between slices.
  double orientation_tolerance = 1e-4;
};

[[nodiscard]] ImageVolume read_dicom_series(const std::vector<DicomBuffer>& files,
                                            const SeriesReadOptions& options = {});
/// Every regular file of `directory` (not recursing); a file that is not DICOM is an error.
[[nodiscard]] ImageVolume read_dicom_series_directory(const std::filesystem::path& directory,
                                                      const SeriesReadOptions& options = {});

/// Registers DCMTK's JPEG, JPEG-LS and RLE decoders and encoders once per process.
void register_dicom_codecs();

}  // namespace ptwin::ingest::dicom
