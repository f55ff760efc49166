// SPDX-License-Identifier: Apache-2.0
// DCMTK stays inside the ingest/dicom sources (DESIGN.md: heavy toolkits behind our own headers).
#include "ptwin/ingest/dicom/series_screening.hpp"
#include "ptwin/ingest/dicom/detail/dicom_buffer_parse.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>

#include <map>
#include <optional>

namespace ptwin::ingest::dicom {
namespace {

struct Header {
  std::string series_uid;
  bool has_pixel_data = false;
};

// The header of a Part 10 file, or the reason it is refused.
std::optional<Header> read_header(const DicomBuffer& file, std::string& reason) {
  if (file.bytes.size() < 132 || file.bytes.compare(128, 4, "DICM") != 0) {
    reason = fmt::format("{}: not a DICOM Part 10 file ({} bytes without 'DICM' at byte 128, PS3.10 7.1)", file.name,
                         file.bytes.size());
    return std::nullopt;
  }
  DcmFileFormat format;
  const OFCondition read = detail::parse_dicom_buffer(file, format);
  if (read.bad()) {
    reason = fmt::format("{}: broken DICOM file, DCMTK cannot parse it ({})", file.name, read.text());
    return std::nullopt;
  }
  DcmDataset& dataset = *format.getDataset();
  OFString series;
  if (dataset.findAndGetOFString(DCM_SeriesInstanceUID, series).bad() || series.empty()) {
    reason = fmt::format("{}: SeriesInstanceUID (0020,000E) is missing or empty", file.name);
    return std::nullopt;
  }
  return Header{series.c_str(), dataset.tagExists(DCM_PixelData)};
}

}  // namespace

SeriesScreening screen_series_files(std::vector<DicomBuffer> files, std::string_view wanted_series_uid) {
  SeriesScreening out;
  std::vector<std::pair<DicomBuffer, Header>> readable;
  std::map<std::string, std::size_t> images_per_series;
  for (auto& file : files) {
    std::string reason;
    if (auto header = read_header(file, reason)) {
      if (header->has_pixel_data) ++images_per_series[header->series_uid];
      readable.emplace_back(std::move(file), std::move(*header));
    } else {
      out.refused.push_back({std::move(file), std::move(reason)});
    }
  }
  out.series_uid = wanted_series_uid;
  if (out.series_uid.empty()) {
    std::size_t most = 0;
    for (const auto& [series, count] : images_per_series) {  // ascending UIDs: ties go to the smaller
      if (count > most) {
        most = count;
        out.series_uid = series;
      }
    }
  }
  for (auto& [file, header] : readable) {
    if (!header.has_pixel_data) {
      std::string reason = fmt::format("{}: no Pixel Data (7FE0,0010): not an image", file.name);
      out.skipped.push_back({std::move(file), std::move(reason)});
    } else if (header.series_uid != out.series_uid) {
      std::string reason = fmt::format("{}: series {}, not the series in scope ({})", file.name, header.series_uid,
                                       out.series_uid);
      out.skipped.push_back({std::move(file), std::move(reason)});
    } else {
      out.accepted.push_back(std::move(file));
    }
  }
  return out;
}

}  // namespace ptwin::ingest::dicom
