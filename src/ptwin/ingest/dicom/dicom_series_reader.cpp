// SPDX-License-Identifier: Apache-2.0
// DCMTK stays inside this file and ct_series_writer.cpp (DESIGN.md: heavy toolkits behind our
// own headers).
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/oflog/oflog.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/detail/dicom_buffer_parse.hpp"

namespace ptwin::ingest::dicom {
namespace {

constexpr double kMetresPerMm = 1e-3;

// One frame of the series with what placing it needs.
struct Slice {
  std::string name;  // file, and frame for multi-frame files
  std::string series_uid, study_uid, frame_of_reference_uid, modality, patient_id;
  std::size_t rows = 0, columns = 0;
  Vector3 position_mm{}, row_direction{}, column_direction{};
  double row_spacing_mm = 0.0, column_spacing_mm = 0.0;  // PixelSpacing[0], [1]
  double slope = 1.0, intercept = 0.0;
  std::vector<float> stored;  // stored values, before rescale
  double normal_offset_mm = 0.0;
};

[[noreturn]] void refuse(const std::string& where, std::string value, std::string rule) {
  throw InputError(ErrorCode::BadInput, where, printable_value(value), std::move(rule));
}

std::string text_of(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).good()) return value.c_str();
  return {};
}

std::optional<double> number_of(DcmItem& item, const DcmTagKey& tag, unsigned long index = 0) {
  Float64 value = 0.0;
  if (item.findAndGetFloat64(tag, value, index).good() && std::isfinite(value)) return value;
  return std::nullopt;
}

// The item of `sequence` in the frame's per-frame group, else in the shared group, else the
// dataset itself (single-frame files keep the attributes at the top level).
DcmItem* functional_group(DcmItem& dataset, DcmItem* per_frame, const DcmTagKey& sequence) {
  DcmItem* item = nullptr;
  if (per_frame != nullptr && per_frame->findAndGetSequenceItem(sequence, item, 0).good()) return item;
  DcmItem* shared = nullptr;
  if (dataset.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good() &&
      shared->findAndGetSequenceItem(sequence, item, 0).good()) {
    return item;
  }
  return &dataset;
}

std::array<double, 6> orientation_of(DcmItem& item, const std::string& where) {
  std::array<double, 6> cosines{};
  for (unsigned long n = 0; n < 6; ++n) {
    const auto value = number_of(item, DCM_ImageOrientationPatient, n);
    if (!value) {
      refuse(where + ": ImageOrientationPatient (0020,0037)", text_of(item, DCM_ImageOrientationPatient),
             "six direction cosines");
    }
    cosines[n] = *value;
  }
  return cosines;
}

Vector3 unit(const Vector3& v, const std::string& where, std::string_view field) {
  const double norm = std::sqrt(dot(v, v));
  if (std::fabs(norm - 1.0) > 1e-3) {
    refuse(where + ": " + std::string(field), fmt::format("{} {} {}", v[0], v[1], v[2]),
           "a unit direction vector");
  }
  return {v[0] / norm, v[1] / norm, v[2] / norm};
}

// Stored values of frame `frame` as floats, honouring BitsStored and PixelRepresentation.
std::vector<float> stored_values(DcmDataset& dataset, std::size_t frame, std::size_t pixels,
                                 const std::string& where) {
  Uint16 bits_allocated = 0, bits_stored = 0, representation = 0, samples = 0;
  dataset.findAndGetUint16(DCM_BitsAllocated, bits_allocated);
  dataset.findAndGetUint16(DCM_BitsStored, bits_stored);
  dataset.findAndGetUint16(DCM_PixelRepresentation, representation);
  dataset.findAndGetUint16(DCM_SamplesPerPixel, samples);
  if (samples != 1) refuse(where + ": SamplesPerPixel", fmt::format("{}", samples), "1 (greyscale)");
  if (bits_stored == 0 || bits_stored > bits_allocated) {
    refuse(where + ": BitsStored", fmt::format("{}", bits_stored), "1 to BitsAllocated");
  }
  std::vector<float> values(pixels);
  const bool is_signed = representation == 1;
  const auto convert = [&](std::uint32_t raw) {
    const std::uint32_t mask = bits_stored >= 32 ? 0xFFFFFFFFU : ((1U << bits_stored) - 1U);
    std::int64_t v = raw & mask;
    if (is_signed && (v & (std::int64_t{1} << (bits_stored - 1))) != 0) v -= std::int64_t{1} << bits_stored;
    return static_cast<float>(v);
  };
  unsigned long count = 0;
  const std::size_t first = frame * pixels;
  if (bits_allocated == 16) {
    const Uint16* data = nullptr;
    if (dataset.findAndGetUint16Array(DCM_PixelData, data, &count).bad() || data == nullptr ||
        count < first + pixels) {
      refuse(where + ": PixelData", fmt::format("{} values", count),
             fmt::format("at least {} 16-bit values", first + pixels));
    }
    for (std::size_t n = 0; n < pixels; ++n) values[n] = convert(data[first + n]);
  } else if (bits_allocated == 8) {
    const Uint8* data = nullptr;
    if (dataset.findAndGetUint8Array(DCM_PixelData, data, &count).bad() || data == nullptr ||
        count < first + pixels) {
      refuse(where + ": PixelData", fmt::format("{} values", count),
             fmt::format("at least {} 8-bit values", first + pixels));
    }
    for (std::size_t n = 0; n < pixels; ++n) values[n] = convert(data[first + n]);
  } else {
    refuse(where + ": BitsAllocated", fmt::format("{}", bits_allocated), "8 or 16");
  }
  return values;
}

// Position, orientation and pixel spacing of the frame, in mm and direction cosines.
void read_plane(DcmDataset& dataset, DcmItem* per_frame, const std::string& where, Slice& slice) {
  DcmItem& position_item = *functional_group(dataset, per_frame, DCM_PlanePositionSequence);
  for (unsigned long n = 0; n < 3; ++n) {
    const auto value = number_of(position_item, DCM_ImagePositionPatient, n);
    if (!value) {
      refuse(where + ": ImagePositionPatient (0020,0032)",
             text_of(position_item, DCM_ImagePositionPatient), "three coordinates in mm");
    }
    slice.position_mm[n] = *value;
  }
  const auto cosines =
      orientation_of(*functional_group(dataset, per_frame, DCM_PlaneOrientationSequence), where);
  slice.row_direction = unit({cosines[0], cosines[1], cosines[2]}, where, "ImageOrientationPatient row");
  slice.column_direction =
      unit({cosines[3], cosines[4], cosines[5]}, where, "ImageOrientationPatient column");
  if (std::fabs(dot(slice.row_direction, slice.column_direction)) > 1e-3) {
    refuse(where + ": ImageOrientationPatient (0020,0037)",
           text_of(*functional_group(dataset, per_frame, DCM_PlaneOrientationSequence),
                   DCM_ImageOrientationPatient),
           "orthogonal row and column directions");
  }
  DcmItem& measures = *functional_group(dataset, per_frame, DCM_PixelMeasuresSequence);
  const auto row_spacing = number_of(measures, DCM_PixelSpacing, 0);
  const auto column_spacing = number_of(measures, DCM_PixelSpacing, 1);
  if (!row_spacing || !column_spacing || *row_spacing <= 0.0 || *column_spacing <= 0.0) {
    refuse(where + ": PixelSpacing (0028,0030)", text_of(measures, DCM_PixelSpacing),
           "two positive spacings in mm");
  }
  slice.row_spacing_mm = *row_spacing;
  slice.column_spacing_mm = *column_spacing;
}

// Stored value -> value: RescaleSlope and RescaleIntercept, both or neither.
void read_rescale(DcmDataset& dataset, DcmItem* per_frame, const std::string& where, Slice& slice) {
  DcmItem& transform = *functional_group(dataset, per_frame, DCM_PixelValueTransformationSequence);
  const auto slope = number_of(transform, DCM_RescaleSlope);
  const auto intercept = number_of(transform, DCM_RescaleIntercept);
  if (slope.has_value() != intercept.has_value() || (slope && *slope == 0.0)) {
    refuse(where + ": RescaleSlope/RescaleIntercept (0028,1053/1052)",
           text_of(transform, DCM_RescaleSlope) + "/" + text_of(transform, DCM_RescaleIntercept),
           "both present with a non-zero slope, or both absent");
  }
  // Absent rescale means stored values are the values (PS3.3 C.7.6.16.2.9); CT requires it.
  if (!slope && slice.modality == "CT") {
    refuse(where + ": RescaleSlope (0028,1053)", "(absent)", "a CT image states its rescale to HU");
  }
  slice.slope = slope.value_or(1.0);
  slice.intercept = intercept.value_or(0.0);
}

Slice frame_slice(DcmDataset& dataset, DcmItem* per_frame, const std::string& where,
                  std::size_t frame) {
  Slice slice;
  slice.name = where;
  slice.series_uid = text_of(dataset, DCM_SeriesInstanceUID);
  slice.study_uid = text_of(dataset, DCM_StudyInstanceUID);
  slice.frame_of_reference_uid = text_of(dataset, DCM_FrameOfReferenceUID);
  slice.modality = text_of(dataset, DCM_Modality);
  slice.patient_id = text_of(dataset, DCM_PatientID);
  Uint16 rows = 0, columns = 0;
  if (dataset.findAndGetUint16(DCM_Rows, rows).bad() || rows == 0) {
    refuse(where + ": Rows (0028,0010)", text_of(dataset, DCM_Rows), "a positive number");
  }
  if (dataset.findAndGetUint16(DCM_Columns, columns).bad() || columns == 0) {
    refuse(where + ": Columns (0028,0011)", text_of(dataset, DCM_Columns), "a positive number");
  }
  slice.rows = rows;
  slice.columns = columns;

  read_plane(dataset, per_frame, where, slice);
  read_rescale(dataset, per_frame, where, slice);
  slice.stored = stored_values(dataset, frame, slice.rows * slice.columns, where);
  return slice;
}

void read_file_slices(const DicomBuffer& file, std::vector<Slice>& slices) {
  DcmFileFormat format;
  const OFCondition read = detail::parse_dicom_buffer(file, format);
  if (read.bad()) {
    refuse(file.name, fmt::format("{} bytes", file.bytes.size()),
           fmt::format("a DICOM Part 10 file (DCMTK: {})", read.text()));
  }
  DcmDataset& dataset = *format.getDataset();
  const E_TransferSyntax original = dataset.getOriginalXfer();
  if (dataset.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
      !dataset.canWriteXfer(EXS_LittleEndianExplicit)) {
    refuse(file.name + ": TransferSyntaxUID", DcmXfer(original).getXferID(),
           fmt::format("a transfer syntax DCMTK decodes (this one is {})", DcmXfer(original).getXferName()));
  }
  Sint32 frames = 1;
  if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).bad()) frames = 1;
  if (frames < 1) refuse(file.name + ": NumberOfFrames", fmt::format("{}", frames), "at least 1");
  DcmSequenceOfItems* per_frame = nullptr;
  dataset.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame);
  if (frames > 1 && (per_frame == nullptr || per_frame->card() != static_cast<unsigned long>(frames))) {
    refuse(file.name + ": PerFrameFunctionalGroupsSequence (5200,9230)",
           fmt::format("{} items", per_frame == nullptr ? 0 : per_frame->card()),
           fmt::format("one item per frame ({} frames) to place each frame", frames));
  }
  for (Sint32 frame = 0; frame < frames; ++frame) {
    DcmItem* group = per_frame == nullptr ? nullptr : per_frame->getItem(static_cast<unsigned long>(frame));
    const std::string where = frames > 1 ? fmt::format("{} frame {}", file.name, frame + 1) : file.name;
    slices.push_back(frame_slice(dataset, group, where, static_cast<std::size_t>(frame)));
  }
}

void require_same(const Slice& first, const Slice& other, const std::string& value,
                  const std::string& expected, std::string_view field) {
  if (value != expected) {
    refuse(other.name + ": " + std::string(field), value,
           fmt::format("the same as {} ('{}'): one series is one grid", first.name, expected));
  }
}

void check_consistent(const std::vector<Slice>& slices, const SeriesReadOptions& options) {
  const Slice& first = slices.front();
  for (const auto& slice : slices) {
    require_same(first, slice, slice.series_uid, first.series_uid, "SeriesInstanceUID");
    require_same(first, slice, slice.frame_of_reference_uid, first.frame_of_reference_uid,
                 "FrameOfReferenceUID");
    require_same(first, slice, fmt::format("{}x{}", slice.columns, slice.rows),
                 fmt::format("{}x{}", first.columns, first.rows), "Columns x Rows");
    if (std::fabs(slice.row_spacing_mm - first.row_spacing_mm) > 1e-6 * first.row_spacing_mm ||
        std::fabs(slice.column_spacing_mm - first.column_spacing_mm) > 1e-6 * first.column_spacing_mm) {
      refuse(slice.name + ": PixelSpacing", fmt::format("{}\\{}", slice.row_spacing_mm, slice.column_spacing_mm),
             fmt::format("the same as {} ({}\\{})", first.name, first.row_spacing_mm,
                         first.column_spacing_mm));
    }
    for (int axis = 0; axis < 3; ++axis) {
      if (std::fabs(slice.row_direction[axis] - first.row_direction[axis]) > options.orientation_tolerance ||
          std::fabs(slice.column_direction[axis] - first.column_direction[axis]) > options.orientation_tolerance) {
        refuse(slice.name + ": ImageOrientationPatient",
               fmt::format("{} {} {} / {} {} {}", slice.row_direction[0], slice.row_direction[1],
                           slice.row_direction[2], slice.column_direction[0],
                           slice.column_direction[1], slice.column_direction[2]),
               fmt::format("the same orientation as {} (mixed orientations are not one volume)",
                           first.name));
      }
    }
  }
}

// Sorts along the normal and checks that the positions form one straight, evenly spaced stack;
// returns the slice spacing in mm.
double sort_and_check_positions(std::vector<Slice>& slices, const Vector3& normal,
                                const SeriesReadOptions& options) {
  for (auto& slice : slices) slice.normal_offset_mm = dot(slice.position_mm, normal);
  std::sort(slices.begin(), slices.end(),
            [](const Slice& a, const Slice& b) { return a.normal_offset_mm < b.normal_offset_mm; });
  if (slices.size() == 1) return 0.0;
  std::vector<double> gaps;
  for (std::size_t n = 1; n < slices.size(); ++n) {
    const double gap = slices[n].normal_offset_mm - slices[n - 1].normal_offset_mm;
    if (gap < 1e-6) {
      refuse(slices[n].name + ": ImagePositionPatient",
             fmt::format("{} {} {}", slices[n].position_mm[0], slices[n].position_mm[1], slices[n].position_mm[2]),
             fmt::format("a position no other slice has ({} is at the same place)", slices[n - 1].name));
    }
    gaps.push_back(gap);
  }
  auto sorted_gaps = gaps;
  std::nth_element(sorted_gaps.begin(), sorted_gaps.begin() + static_cast<long>(sorted_gaps.size() / 2),
                   sorted_gaps.end());
  const double spacing = sorted_gaps[sorted_gaps.size() / 2];
  for (std::size_t n = 0; n < gaps.size(); ++n) {
    if (std::fabs(gaps[n] - spacing) > options.spacing_tolerance * spacing) {
      const double missing = gaps[n] / spacing - 1.0;
      refuse(slices[n + 1].name + ": ImagePositionPatient",
             fmt::format("a gap of {:.4g} mm after {}", gaps[n], slices[n].name),
             fmt::format("an even slice spacing of {:.4g} mm{}", spacing,
                         missing > 0.5 ? fmt::format(" (about {:.0f} slice(s) missing)", missing) : ""));
    }
  }
  // Every position on the line through the first along the normal: no tilt, no shifted slice.
  for (const auto& slice : slices) {
    Vector3 offset{};
    for (int axis = 0; axis < 3; ++axis) {
      offset[axis] = slice.position_mm[axis] - slices.front().position_mm[axis];
    }
    const double along = dot(offset, normal);
    double off_axis = 0.0;
    for (int axis = 0; axis < 3; ++axis) off_axis += std::pow(offset[axis] - along * normal[axis], 2);
    if (std::sqrt(off_axis) > 0.01 * std::min(slice.row_spacing_mm, slice.column_spacing_mm)) {
      refuse(slice.name + ": ImagePositionPatient",
             fmt::format("{:.4g} mm off the slice normal", std::sqrt(off_axis)),
             fmt::format("positions along the normal through {} (gantry tilt or a shifted slice is "
                         "not supported)", slices.front().name));
    }
  }
  return spacing;
}

}  // namespace

void register_dicom_codecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK logs informational notes of its codecs to stderr; warnings and errors still show.
    OFLog::configure(OFLogger::WARN_LOG_LEVEL);
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
    DJEncoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs();
  });
}

ImageVolume read_dicom_series(const std::vector<DicomBuffer>& files, const SeriesReadOptions& options) {
  if (files.empty()) refuse("DICOM series", "(no files)", "at least one image");
  register_dicom_codecs();
  std::vector<Slice> slices;
  for (const auto& file : files) read_file_slices(file, slices);
  check_consistent(slices, options);
  const Slice& first = slices.front();
  const Vector3 normal = cross(first.row_direction, first.column_direction);
  const double slice_spacing_mm = sort_and_check_positions(slices, normal, options);

  ImageVolume volume;
  auto& geometry = volume.geometry;
  geometry.size = {first.columns, first.rows, slices.size()};
  // PixelSpacing is (between rows, between columns): along j, then along i.
  geometry.spacing_m = {first.column_spacing_mm * kMetresPerMm, first.row_spacing_mm * kMetresPerMm,
                        (slices.size() > 1 ? slice_spacing_mm : first.row_spacing_mm) * kMetresPerMm};
  for (int axis = 0; axis < 3; ++axis) geometry.origin_m[axis] = slices.front().position_mm[axis] * kMetresPerMm;
  geometry.direction_i = first.row_direction;
  geometry.direction_j = first.column_direction;
  geometry.direction_k = normal;
  volume.identity = {first.patient_id, first.study_uid, first.series_uid, first.frame_of_reference_uid,
                     first.modality};
  volume.value_unit = first.modality == "CT" ? "HU" : "";
  volume.values.resize(geometry.voxel_count());
  const std::size_t pixels = first.rows * first.columns;
  for (std::size_t k = 0; k < slices.size(); ++k) {
    const auto& slice = slices[k];
    float* out = volume.values.data() + k * pixels;
    for (std::size_t n = 0; n < pixels; ++n) {
      out[n] = static_cast<float>(slice.stored[n] * slice.slope + slice.intercept);
    }
  }
  return volume;
}

ImageVolume read_dicom_series_directory(const std::filesystem::path& directory,
                                        const SeriesReadOptions& options) {
  std::error_code error;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  if (error) refuse(directory.string(), error.message(), "a readable directory of DICOM files");
  std::sort(paths.begin(), paths.end());
  std::vector<DicomBuffer> files;
  files.reserve(paths.size());
  for (const auto& path : paths) {
    std::ifstream stream(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << stream.rdbuf();
    if (!stream) throw Error(ErrorCode::Io, fmt::format("{}: cannot be read", path.string()));
    files.push_back({path.string(), bytes.str()});
  }
  return read_dicom_series(files, options);
}

}  // namespace ptwin::ingest::dicom
