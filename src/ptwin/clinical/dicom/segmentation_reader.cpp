// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/segmentation_reader.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmfg/fgseg.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/dcmseg/segutils.h>
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

constexpr double kMetresPerMm = 1e-3;
constexpr double kGridTolerance = 0.01;  // of a voxel: DS rounding of positions

[[noreturn]] void refuse(const std::string& where, const std::string& value,
                         const std::string& rule) {
  throw InputError(ErrorCode::BadInput, where, value, rule);
}

std::string text(const OFString& value) { return std::string(value.c_str()); }

CodedConcept concept_of(CodeSequenceMacro& code) {
  OFString value;
  OFString scheme;
  OFString meaning;
  code.getCodeValue(value);
  code.getCodingSchemeDesignator(scheme);
  code.getCodeMeaning(meaning);
  return {text(value), text(scheme), text(meaning)};
}

std::vector<SegmentDescription> segments_of(DcmSegmentation& segmentation) {
  std::vector<SegmentDescription> segments;
  for (std::size_t number = 1; number <= segmentation.getNumberOfSegments(); ++number) {
    DcmSegment* segment = segmentation.getSegment(number);
    if (segment == nullptr) continue;
    SegmentDescription description;
    description.number = static_cast<std::uint16_t>(number);
    OFString value;
    segment->getSegmentLabel(value);
    description.label = text(value);
    description.category = concept_of(segment->getSegmentedPropertyCategoryCode());
    description.type = concept_of(segment->getSegmentedPropertyTypeCode());
    description.algorithm_type =
        DcmSegTypes::algoType2OFString(segment->getSegmentAlgorithmType()).c_str();
    segment->getSegmentAlgorithmName(value);
    description.algorithm_name = text(value);
    segments.push_back(std::move(description));
  }
  return segments;
}

// The slice on `grid` of a frame at `position_mm`; off the grid is an error.
std::size_t slice_of(const Float64 (&position_mm)[3], const ingest::dicom::VolumeGeometry& grid,
                     const std::string& where) {
  ingest::dicom::Vector3 offset{};
  for (int axis = 0; axis < 3; ++axis)
    offset[axis] = position_mm[axis] * kMetresPerMm - grid.origin_m[axis];
  const double i = ingest::dicom::dot(offset, grid.direction_i) / grid.spacing_m[0];
  const double j = ingest::dicom::dot(offset, grid.direction_j) / grid.spacing_m[1];
  const double k = ingest::dicom::dot(offset, grid.direction_k) / grid.spacing_m[2];
  const double k_rounded = std::round(k);
  if (std::abs(i) > kGridTolerance || std::abs(j) > kGridTolerance ||
      std::abs(k - k_rounded) > kGridTolerance || k_rounded < 0.0 ||
      k_rounded >= static_cast<double>(grid.size[2])) {
    refuse(
        where + ": ImagePositionPatient",
        fmt::format("{}\\{}\\{}", position_mm[0], position_mm[1], position_mm[2]),
        fmt::format("the origin of a slice of the grid (voxel offset i={:.3f} j={:.3f} k={:.3f})",
                    i, j, k));
  }
  return static_cast<std::size_t>(k_rounded);
}

void check_shared_geometry(FGInterface& groups, const ingest::dicom::VolumeGeometry& grid,
                           const std::string& name) {
  auto* orientation =
      dynamic_cast<FGPlaneOrientationPatient*>(groups.get(0, DcmFGTypes::EFG_PLANEORIENTPATIENT));
  auto* measures = dynamic_cast<FGPixelMeasures*>(groups.get(0, DcmFGTypes::EFG_PIXELMEASURES));
  if (orientation == nullptr || measures == nullptr) {
    refuse(name + ": functional groups", "(absent)",
           "Plane Orientation (Patient) and Pixel Measures");
  }
  Float64 cosines[6] = {};
  if (orientation
          ->getImageOrientationPatient(cosines[0], cosines[1], cosines[2], cosines[3], cosines[4],
                                       cosines[5])
          .bad()) {
    refuse(name + ": ImageOrientationPatient", "(unreadable)", "six direction cosines");
  }
  for (int n = 0; n < 3; ++n) {
    if (std::abs(cosines[n] - grid.direction_i[n]) > 1e-4 ||
        std::abs(cosines[n + 3] - grid.direction_j[n]) > 1e-4) {
      refuse(name + ": ImageOrientationPatient",
             fmt::format("{}\\{}\\{}\\{}\\{}\\{}", cosines[0], cosines[1], cosines[2], cosines[3],
                         cosines[4], cosines[5]),
             "the grid's row and column directions");
    }
  }
  Float64 row_spacing_mm = 0.0;
  Float64 column_spacing_mm = 0.0;
  measures->getPixelSpacing(row_spacing_mm, 0);
  measures->getPixelSpacing(column_spacing_mm, 1);
  if (std::abs(row_spacing_mm * kMetresPerMm - grid.spacing_m[1]) > 1e-3 * grid.spacing_m[1] ||
      std::abs(column_spacing_mm * kMetresPerMm - grid.spacing_m[0]) > 1e-3 * grid.spacing_m[0]) {
    refuse(name + ": PixelSpacing", fmt::format("{}\\{}", row_spacing_mm, column_spacing_mm),
           "the grid's pixel spacing (mm)");
  }
}

SegmentationFrame frame_info(FGInterface& groups, Uint32 frame,
                             const ingest::dicom::VolumeGeometry& grid, const std::string& where) {
  auto* position =
      dynamic_cast<FGPlanePosPatient*>(groups.get(frame, DcmFGTypes::EFG_PLANEPOSPATIENT));
  auto* segment = dynamic_cast<FGSegmentation*>(groups.get(frame, DcmFGTypes::EFG_SEGMENTATION));
  if (position == nullptr || segment == nullptr) {
    refuse(where, "(absent)", "Plane Position (Patient) and Segment Identification groups");
  }
  Float64 position_mm[3] = {};
  if (position->getImagePositionPatient(position_mm[0], position_mm[1], position_mm[2]).bad()) {
    refuse(where + ": ImagePositionPatient", "(unreadable)", "three numbers (mm)");
  }
  SegmentationFrame info;
  info.slice = slice_of(position_mm, grid, where);
  Uint16 number = 0;
  // Labels are one byte per voxel: segment numbers above 255 do not fit a LabelVolume.
  if (segment->getReferencedSegmentNumber(number).bad() || number == 0 || number > 255) {
    refuse(where + ": ReferencedSegmentNumber", fmt::format("{}", number),
           "a segment number from 1 to 255");
  }
  info.segment_number = number;
  if (auto* derivation =
          dynamic_cast<FGDerivationImage*>(groups.get(frame, DcmFGTypes::EFG_DERIVATIONIMAGE))) {
    for (auto* item : derivation->getDerivationImageItems()) {
      for (auto* source : item->getSourceImageItems()) {
        OFString value;
        source->getImageSOPInstanceReference().getReferencedSOPInstanceUID(value);
        info.source_sop_instance_uid = text(value);
        source->getImageSOPInstanceReference().getReferencedSOPClassUID(value);
        info.source_sop_class_uid = text(value);
      }
    }
  }
  return info;
}

}  // namespace

DecodedSegmentation read_segmentation(std::string_view bytes,
                                      const ingest::dicom::VolumeGeometry& grid,
                                      const std::string& name) {
  auto file = detail::parse_part10(bytes, name);
  DcmDataset& dataset = *file->getDataset();
  if (detail::text_of(dataset, DCM_SOPClassUID) != UID_SegmentationStorage) {
    refuse(name + ": SOPClassUID", detail::text_of(dataset, DCM_SOPClassUID),
           fmt::format("Segmentation Storage ({})", UID_SegmentationStorage));
  }
  DcmSegmentation* raw = nullptr;
  const OFCondition loaded = DcmSegmentation::loadDataset(dataset, raw);
  std::unique_ptr<DcmSegmentation> segmentation(raw);
  if (loaded.bad() || !segmentation)
    refuse(name, "(Segmentation)", fmt::format("a readable SEG (DCMTK: {})", loaded.text()));
  if (segmentation->getSegmentationType() != DcmSegTypes::ST_BINARY) {
    refuse(name + ": SegmentationType", "not BINARY", "a binary segmentation");
  }
  Uint16 rows_value = 0;
  Uint16 columns_value = 0;
  dataset.findAndGetUint16(DCM_Rows, rows_value);
  dataset.findAndGetUint16(DCM_Columns, columns_value);
  const auto rows = static_cast<std::size_t>(rows_value);
  const auto columns = static_cast<std::size_t>(columns_value);
  DecodedSegmentation decoded;
  if (rows != grid.size[1] || columns != grid.size[0]) {
    refuse(name + ": Rows x Columns", fmt::format("{} x {}", rows, columns),
           fmt::format("the grid's {} x {}", grid.size[1], grid.size[0]));
  }
  FGInterface& groups = segmentation->getFunctionalGroups();
  check_shared_geometry(groups, grid, name);

  auto& labels = decoded.labels;
  labels.geometry = grid;
  labels.labels.assign(grid.voxel_count(), geometry::segmentation::kBackground);
  labels.identity.patient_id = detail::text_of(dataset, DCM_PatientID);
  labels.identity.study_uid = detail::text_of(dataset, DCM_StudyInstanceUID);
  labels.identity.frame_of_reference_uid = detail::text_of(dataset, DCM_FrameOfReferenceUID);
  labels.identity.modality = "SEG";
  decoded.seg_series_uid = detail::text_of(dataset, DCM_SeriesInstanceUID);
  decoded.sop_instance_uid = detail::text_of(dataset, DCM_SOPInstanceUID);
  DcmItem* referenced_series = nullptr;
  if (dataset.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, referenced_series, 0).good()) {
    labels.identity.series_uid = detail::text_of(*referenced_series, DCM_SeriesInstanceUID);
  }
  decoded.segments = segments_of(*segmentation);

  const std::size_t pixels = rows * columns;
  for (std::size_t frame = 0; frame < segmentation->getNumberOfFrames(); ++frame) {
    const std::string where = fmt::format("{}: frame {}", name, frame + 1);
    auto info = frame_info(groups, static_cast<Uint32>(frame), grid, where);
    const DcmIODTypes::Frame* packed = segmentation->getFrame(frame);
    if (packed == nullptr)
      refuse(where, "(no pixel data)", "a frame for every functional group item");
    std::unique_ptr<DcmIODTypes::Frame> unpacked(DcmSegUtils::unpackBinaryFrame(
        packed, static_cast<Uint16>(rows), static_cast<Uint16>(columns)));
    if (!unpacked || unpacked->length < pixels)
      refuse(where, "(pixel data)", "rows x columns bits");
    std::uint8_t* slice = labels.labels.data() + info.slice * pixels;
    for (std::size_t p = 0; p < pixels; ++p) {
      if (unpacked->pixData[p] != 0) slice[p] = static_cast<std::uint8_t>(info.segment_number);
    }
    decoded.frames.push_back(std::move(info));
  }
  return decoded;
}

}  // namespace ptwin::clinical::dicom
