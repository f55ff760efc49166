// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sorts the files offered as one image series before the series is read (dicom_series_reader.hpp):
// which are images of the series in scope, which are refused (kept for the quarantine with the
// reason), and which are DICOM objects outside the scope (skipped, counted and named). Every file
// offered lands in exactly one of the three lists: offered = accepted + refused + skipped.
//
//   refused:  not DICOM (no "DICM" after the 128-byte preamble, PS3.10 §7.1), or a Part 10 file
//             DCMTK cannot parse (truncated, broken element lengths), or without SeriesInstanceUID
//   skipped:  DICOM without Pixel Data (7FE0,0010) (e.g. an SR), or of another series than the
//             one in scope
// The series in scope is the one asked for, or else the series with the most image files (ties go
// to the smaller UID, so the choice does not depend on file order).

#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::ingest::dicom {

struct ScreenedFile {
  DicomBuffer file;
  std::string reason;  // why it is refused or skipped; empty for accepted files
};

struct SeriesScreening {
  std::string series_uid;  // the series in scope; empty when no file is an image
  std::vector<DicomBuffer> accepted;
  std::vector<ScreenedFile> refused;
  std::vector<ScreenedFile> skipped;
};

/// Screens `files` (their order is kept within each list). `wanted_series_uid` empty: the series
/// with the most image files. Never throws for bad file contents: they are the refused list.
[[nodiscard]] SeriesScreening screen_series_files(std::vector<DicomBuffer> files,
                                                  std::string_view wanted_series_uid = {});

}  // namespace ptwin::ingest::dicom
