// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/detail/source_slices.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>

#include <cmath>

#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom::detail {
namespace {

constexpr double kMetresPerMm = 1e-3;
// A source slice may sit this fraction of a voxel off the grid (DS rounding of positions).
constexpr double kGridTolerance = 0.01;

[[noreturn]] void refuse(const std::string& where, const std::string& value,
                         const std::string& rule) {
  throw InputError(ErrorCode::BadInput, where, value, rule);
}

ingest::dicom::Vector3 position_m(DcmDataset& dataset, const std::string& name) {
  ingest::dicom::Vector3 position{};
  for (unsigned long axis = 0; axis < 3; ++axis) {
    Float64 value = 0.0;
    if (dataset.findAndGetFloat64(DCM_ImagePositionPatient, value, axis).bad() ||
        !std::isfinite(value)) {
      refuse(name + ": ImagePositionPatient (0020,0032)",
             text_of(dataset, DCM_ImagePositionPatient), "three finite numbers (mm)");
    }
    position[axis] = value * kMetresPerMm;
  }
  return position;
}

}  // namespace

std::vector<SourceSlice> match_source_slices(const std::vector<ingest::dicom::DicomBuffer>& files,
                                             const ingest::dicom::VolumeGeometry& geometry,
                                             const ingest::dicom::VolumeIdentity& identity) {
  using ingest::dicom::dot;
  const std::size_t slices = geometry.size[2];
  std::vector<SourceSlice> matched(slices);
  std::vector<bool> is_matched(slices, false);
  for (std::size_t n = 0; n < files.size(); ++n) {
    const auto& name = files[n].name;
    auto file = parse_part10(files[n].bytes, name);
    DcmDataset& dataset = *file->getDataset();
    const auto series = text_of(dataset, DCM_SeriesInstanceUID);
    if (series != identity.series_uid) {
      refuse(name + ": SeriesInstanceUID (0020,000E)", series,
             fmt::format("the labels' source series {}", identity.series_uid));
    }
    const auto frame_of_reference = text_of(dataset, DCM_FrameOfReferenceUID);
    if (frame_of_reference != identity.frame_of_reference_uid) {
      refuse(name + ": FrameOfReferenceUID (0020,0052)", frame_of_reference,
             fmt::format("the labels' frame of reference {}", identity.frame_of_reference_uid));
    }
    Sint32 frames = 1;
    if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).good() && frames != 1) {
      refuse(name + ": NumberOfFrames (0028,0008)", fmt::format("{}", frames),
             "1: SEG and SR reference single-frame source images only");
    }
    const auto position = position_m(dataset, name);
    ingest::dicom::Vector3 offset{};
    for (int axis = 0; axis < 3; ++axis) offset[axis] = position[axis] - geometry.origin_m[axis];
    const double k = dot(offset, geometry.direction_k) / geometry.spacing_m[2];
    const double i = dot(offset, geometry.direction_i) / geometry.spacing_m[0];
    const double j = dot(offset, geometry.direction_j) / geometry.spacing_m[1];
    const double k_rounded = std::round(k);
    if (std::abs(i) > kGridTolerance || std::abs(j) > kGridTolerance ||
        std::abs(k - k_rounded) > kGridTolerance || k_rounded < 0.0 ||
        k_rounded >= static_cast<double>(slices)) {
      refuse(name + ": ImagePositionPatient (0020,0032)",
             text_of(dataset, DCM_ImagePositionPatient),
             fmt::format("the origin of one of the labels' {} slices (voxel offset i={:.3f} "
                         "j={:.3f} k={:.3f})",
                         slices, i, j, k));
    }
    const auto slice = static_cast<std::size_t>(k_rounded);
    if (is_matched[slice]) {
      refuse(name, fmt::format("slice {}", slice),
             fmt::format("one file per slice; {} is at the same position",
                         files[matched[slice].file_index].name));
    }
    is_matched[slice] = true;
    matched[slice] =
        SourceSlice{text_of(dataset, DCM_SOPClassUID), text_of(dataset, DCM_SOPInstanceUID), n};
    if (matched[slice].sop_class_uid.empty() || matched[slice].sop_instance_uid.empty()) {
      refuse(name + ": SOPClassUID / SOPInstanceUID", "(empty)", "both present in a source image");
    }
  }
  for (std::size_t k = 0; k < slices; ++k) {
    if (!is_matched[k]) {
      refuse("source series", fmt::format("{} files", files.size()),
             fmt::format("a file for every slice of the labels; slice {} has none", k));
    }
  }
  return matched;
}

}  // namespace ptwin::clinical::dicom::detail
