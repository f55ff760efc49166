// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/segmentation_writer.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodmacro.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"
#include "ptwin/clinical/dicom/detail/source_slices.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

namespace ptwin::clinical::dicom {
namespace {

using geometry::segmentation::LabelVolume;
constexpr double kMmPerMetre = 1e3;
constexpr Uint16 kLumenSegmentNumber = 1;

void check(const OFCondition& status, const std::string& what) {
  if (status.bad())
    throw Error(ErrorCode::Internal, fmt::format("SEG writer: {}: {}", what, status.text()));
}

std::string ds(double value) { return fmt::format("{:.9g}", value); }

CodeSequenceMacro code_of(const CodedConcept& concept_code) {
  return CodeSequenceMacro(concept_code.value.c_str(), concept_code.scheme.c_str(),
                           concept_code.meaning.c_str());
}

void check_inputs(const LabelVolume& labels, const SegmentationWriteOptions& options) {
  const auto& g = labels.geometry;
  if (g.voxel_count() == 0 || labels.labels.size() != g.voxel_count() || g.size[0] > 65535 ||
      g.size[1] > 65535) {
    throw InputError(ErrorCode::BadInput, "SEG writer: labels",
                     fmt::format("{}x{}x{} grid with {} labels", g.size[0], g.size[1], g.size[2],
                                 labels.labels.size()),
                     "a non-empty grid of at most 65535 columns and rows, one label per voxel");
  }
  const auto stray =
      std::find_if(labels.labels.begin(), labels.labels.end(), [](std::uint8_t label) {
        return label != geometry::segmentation::kBackground &&
               label != geometry::segmentation::kLumen;
      });
  if (stray != labels.labels.end()) {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("SEG writer: label of voxel {}", stray - labels.labels.begin()),
                     fmt::format("{}", *stray), "0 (background) or 1 (lumen)");
  }
  const auto require = [](const std::string& value, const char* field) {
    if (value.empty()) {
      throw InputError(ErrorCode::MissingField, fmt::format("SEG writer: options.{}", field),
                       "(empty)", "a non-empty value: the SEG must identify what produced it");
    }
  };
  require(options.algorithm.name, "algorithm.name");
  require(options.algorithm.version, "algorithm.version");
  require(options.algorithm.family.value, "algorithm.family");
  require(options.software_version, "software_version");
  require(options.segment_label, "segment_label");
}

// The segment: what it is (category/type), and the algorithm that found it.
void add_lumen_segment(DcmSegmentation& segmentation, const SegmentationWriteOptions& options) {
  const auto& algorithm = options.algorithm;
  DcmSegment* raw = nullptr;
  const std::string algorithm_name = fmt::format("{} {}", algorithm.name, algorithm.version);
  check(DcmSegment::create(raw, options.segment_label.c_str(), code_of(codes::kCategoryTissue),
                           code_of(codes::kTypeBloodVessel),
                           algorithm.is_semiautomatic ? DcmSegTypes::SAT_SEMIAUTOMATIC
                                                      : DcmSegTypes::SAT_AUTOMATIC,
                           algorithm_name.c_str()),
        "segment description");
  std::unique_ptr<DcmSegment> segment(raw);
  AlgorithmIdentificationMacro& identification = segment->getSegmentationAlgorithmIdentification();
  check(identification.getAlgorithmFamilyCode().set(algorithm.family.value.c_str(),
                                                    algorithm.family.scheme.c_str(),
                                                    algorithm.family.meaning.c_str()),
        "AlgorithmFamilyCodeSequence");
  check(identification.setAlgorithmName(algorithm.name.c_str()), "AlgorithmName");
  check(identification.setAlgorithmVersion(algorithm.version.c_str()), "AlgorithmVersion");
  check(identification.setAlgorithmSource("ptwin"), "AlgorithmSource");
  // TrackingID and TrackingUID go together (PS3.3 C.8.20.4, Type 1C each).
  check(segment->setTrackingID(options.segment_label.c_str()), "TrackingID");
  check(segment->setTrackingUID(ingest::dicom::new_dicom_uid().c_str()), "TrackingUID");
  check(segment->setRecommendedDisplayCIELabValue(53000, 54000, 44000),
        "RecommendedDisplayCIELabValue");
  Uint16 number = 0;
  check(segmentation.addSegment(segment.get(), number), "adding the segment");
  segment.release();  // owned by the segmentation now
  if (number != kLumenSegmentNumber) {
    throw Error(ErrorCode::Internal, fmt::format("SEG writer: lumen segment numbered {}", number));
  }
}

void add_shared_groups(DcmSegmentation& segmentation, const ingest::dicom::VolumeGeometry& g) {
  const auto& di = g.direction_i;
  const auto& dj = g.direction_j;
  std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
      ds(di[0]).c_str(), ds(di[1]).c_str(), ds(di[2]).c_str(), ds(dj[0]).c_str(), ds(dj[1]).c_str(),
      ds(dj[2]).c_str()));
  if (!orientation) throw Error(ErrorCode::Internal, "SEG writer: plane orientation group");
  check(segmentation.addForAllFrames(*orientation), "PlaneOrientationSequence");
  FGPixelMeasures measures;
  // PixelSpacing is row spacing (along j), then column spacing (along i): PS3.3 10.7.1.3.
  check(measures.setPixelSpacing(fmt::format("{}\\{}", ds(g.spacing_m[1] * kMmPerMetre),
                                             ds(g.spacing_m[0] * kMmPerMetre))
                                     .c_str()),
        "PixelSpacing");
  check(measures.setSliceThickness(ds(g.spacing_m[2] * kMmPerMetre).c_str()), "SliceThickness");
  check(measures.setSpacingBetweenSlices(ds(g.spacing_m[2] * kMmPerMetre).c_str()),
        "SpacingBetweenSlices");
  check(segmentation.addForAllFrames(measures), "PixelMeasuresSequence");
}

void add_dimensions(DcmSegmentation& segmentation) {
  const std::string organisation = ingest::dicom::new_dicom_uid();
  auto& dimensions = segmentation.getDimensions();
  check(dimensions.addDimensionIndex(DCM_ReferencedSegmentNumber, organisation.c_str(),
                                     DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
        "segment dimension");
  check(dimensions.addDimensionIndex(DCM_ImagePositionPatient, organisation.c_str(),
                                     DCM_PlanePositionSequence, "ImagePositionPatient"),
        "position dimension");
}

// The frame of slice k: its pixels (one byte per pixel, 0 or 1; DCMTK packs them to bits).
void add_frame(DcmSegmentation& segmentation, const LabelVolume& labels, std::size_t k,
               Uint32 position_index, const detail::SourceSlice& source,
               std::vector<Uint8>& pixels) {
  const auto& g = labels.geometry;
  const auto origin = g.position_m(0.0, 0.0, static_cast<double>(k));
  std::unique_ptr<FGPlanePosPatient> position(FGPlanePosPatient::createMinimal(
      ds(origin[0] * kMmPerMetre).c_str(), ds(origin[1] * kMmPerMetre).c_str(),
      ds(origin[2] * kMmPerMetre).c_str()));
  if (!position) throw Error(ErrorCode::Internal, "SEG writer: plane position group");
  FGFrameContent content;
  check(content.setDimensionIndexValues(kLumenSegmentNumber, 0), "DimensionIndexValues[0]");
  check(content.setDimensionIndexValues(position_index, 1), "DimensionIndexValues[1]");
  FGDerivationImage derivation;
  DerivationImageItem* item = nullptr;
  check(derivation.addDerivationImageItem(code_of(codes::kDerivationSegmentation), "", item),
        "DerivationImageSequence");
  auto source_item = std::make_unique<SourceImageItem>();
  const auto& purpose = codes::kPurposeSourceForProcessing;
  check(source_item->getPurposeOfReferenceCode().set(purpose.value.c_str(), purpose.scheme.c_str(),
                                                     purpose.meaning.c_str()),
        "PurposeOfReferenceCodeSequence");
  auto& reference = source_item->getImageSOPInstanceReference();
  check(reference.setReferencedSOPClassUID(source.sop_class_uid.c_str()), "ReferencedSOPClassUID");
  check(reference.setReferencedSOPInstanceUID(source.sop_instance_uid.c_str()),
        "ReferencedSOPInstanceUID");
  item->getSourceImageItems().push_back(source_item.release());
  const OFVector<FGBase*> groups{position.get(), &content, &derivation};
  check(segmentation.addFrame(pixels.data(), kLumenSegmentNumber, groups),
        fmt::format("frame of slice {}", k));
}

// The slices that hold any lumen voxel, in order: the frames to write.
std::vector<std::size_t> foreground_slices(const LabelVolume& labels) {
  const auto& g = labels.geometry;
  const std::size_t pixels_per_slice = g.size[0] * g.size[1];
  std::vector<std::size_t> slices;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    const auto begin = labels.labels.begin() + static_cast<std::ptrdiff_t>(k * pixels_per_slice);
    if (std::any_of(begin, begin + static_cast<std::ptrdiff_t>(pixels_per_slice),
                    [](std::uint8_t v) { return v != 0; })) {
      slices.push_back(k);
    }
  }
  if (slices.empty()) {
    throw InputError(ErrorCode::BadInput, "SEG writer: labels", "no lumen voxel",
                     "at least one foreground voxel (a SEG holds at least one frame)");
  }
  return slices;
}

// An empty binary SEG with the equipment, the source's patient, study and frame of reference,
// and a new series.
std::unique_ptr<DcmSegmentation> create_segmentation(const LabelVolume& labels,
                                                     const SegmentationWriteOptions& options,
                                                     DcmDataset& source,
                                                     const std::string& series_uid,
                                                     const std::string& sop_uid) {
  const IODGeneralEquipmentModule::EquipmentInfo equipment("ptwin", "ptwin", "1",
                                                           options.software_version.c_str());
  const ContentIdentificationMacro content_identification("1", "VESSEL_LUMEN",
                                                          options.segment_label.c_str(), "");
  DcmSegmentation* raw = nullptr;
  check(DcmSegmentation::createBinarySegmentation(raw, static_cast<Uint16>(labels.geometry.size[1]),
                                                  static_cast<Uint16>(labels.geometry.size[0]),
                                                  equipment, content_identification),
        "creating the segmentation");
  std::unique_ptr<DcmSegmentation> segmentation(raw);
  check(segmentation->importHierarchy(source, OFTrue, OFTrue, OFTrue, OFFalse),
        "importing patient, study and frame of reference from the source");
  auto& series = segmentation->getSeries();
  check(series.setSeriesInstanceUID(series_uid.c_str()), "SeriesInstanceUID");
  check(series.setSeriesNumber(fmt::format("{}", options.series_number).c_str()), "SeriesNumber");
  check(series.setSeriesDescription(options.series_description.c_str()), "SeriesDescription");
  check(segmentation->getSOPCommon().setSOPInstanceUID(sop_uid.c_str()), "SOPInstanceUID");
  return segmentation;
}

// Common Instance Reference (PS3.3 C.12.2): the source instances the frames derive from.
void add_references(DcmSegmentation& segmentation, const LabelVolume& labels,
                    const std::vector<detail::SourceSlice>& sources,
                    const std::vector<std::size_t>& slices) {
  IODReferences references;
  for (const std::size_t k : slices) {
    // IODReferences::add takes ownership of the raw pointer (DCMTK's interface).
    references.add(new IODImageReference(
        labels.identity.patient_id.c_str(), labels.identity.study_uid.c_str(),
        labels.identity.series_uid.c_str(), sources[k].sop_instance_uid.c_str(),
        sources[k].sop_class_uid.c_str()));
  }
  if (segmentation.getCommonInstanceReference().addReferences(references) != slices.size()) {
    throw Error(ErrorCode::Internal, "SEG writer: ReferencedSeriesSequence");
  }
}

}  // namespace

WrittenInstance write_segmentation(const LabelVolume& labels,
                                   const std::vector<ingest::dicom::DicomBuffer>& source_files,
                                   const SegmentationWriteOptions& options) {
  check_inputs(labels, options);
  const auto& g = labels.geometry;
  const auto sources = detail::match_source_slices(source_files, g, labels.identity);
  const auto slices = foreground_slices(labels);
  const auto& first = source_files[sources.front().file_index];
  auto first_source = detail::parse_part10(first.bytes, first.name);
  const std::string series_uid =
      options.series_uid.empty() ? ingest::dicom::new_dicom_uid() : options.series_uid;
  const std::string sop_uid =
      options.sop_instance_uid.empty() ? ingest::dicom::new_dicom_uid() : options.sop_instance_uid;
  auto segmentation =
      create_segmentation(labels, options, *first_source->getDataset(), series_uid, sop_uid);

  add_lumen_segment(*segmentation, options);
  add_shared_groups(*segmentation, g);
  add_dimensions(*segmentation);
  const std::size_t pixels_per_slice = g.size[0] * g.size[1];
  std::vector<Uint8> pixels(pixels_per_slice);
  Uint32 position_index = 0;
  for (const std::size_t k : slices) {
    std::copy_n(labels.labels.begin() + static_cast<std::ptrdiff_t>(k * pixels_per_slice),
                pixels_per_slice, pixels.begin());
    add_frame(*segmentation, labels, k, ++position_index, sources[k], pixels);
  }
  add_references(*segmentation, labels, sources, slices);

  DcmFileFormat file;
  check(segmentation->writeDataset(*file.getDataset()), "encoding the segmentation");
  WrittenInstance written;
  written.bytes = detail::to_part10(file);
  written.sop_class_uid = UID_SegmentationStorage;
  written.sop_instance_uid = sop_uid;
  written.series_uid = series_uid;
  written.study_uid = detail::text_of(*file.getDataset(), DCM_StudyInstanceUID);
  return written;
}

}  // namespace ptwin::clinical::dicom
