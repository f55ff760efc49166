// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a LabelVolume as a DICOM Segmentation (binary SEG, PS3.3 A.51) with DCMTK's dcmseg:
//   - Patient, General Study and Frame of Reference copied from the source series (so the SEG
//     sits in the same study and frame of reference), a new Segmentation Series;
//   - one segment, the vessel lumen: Segmented Property Category SCT 85756007 "Tissue" (CID
//     7150) and Type SCT 59820001 "Blood vessel" (CID 7166, included in CID 7151), algorithm
//     type AUTOMATIC (or SEMIAUTOMATIC) with its name, version and family (CID 7162);
//   - one frame per source slice that holds any lumen voxel (slices without foreground are not
//     written; a volume without any is refused, since a SEG needs at least one frame);
//   - per frame: Plane Position (Patient), Frame Content with dimension indices (segment,
//     position) and a Derivation Image item (DCM 113076 "Segmentation") whose source image is
//     the SOP instance of that slice (purpose DCM 121322); shared: Plane Orientation (Patient)
//     and Pixel Measures (PixelSpacing, SliceThickness, SpacingBetweenSlices).
// The source instances are matched to the volume's slices by position (never file order).

#include <string>
#include <vector>

#include "ptwin/clinical/dicom/coded_concept.hpp"
#include "ptwin/clinical/dicom/written_instance.hpp"
#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::clinical::dicom {

/// The algorithm that produced the labels, as the SEG's Segment Sequence names it.
struct SegmentationAlgorithm {
  std::string name;     // Segment Algorithm Name and Algorithm Name, e.g. "ptwin lumen threshold"
  std::string version;  // Algorithm Version
  CodedConcept family;  // CID 7162, e.g. codes::kAlgorithmFamilyHistogramAnalysis
  bool is_semiautomatic = false;  // a person adjusted the result (else AUTOMATIC)
};

struct SegmentationWriteOptions {
  SegmentationAlgorithm algorithm;
  std::string software_version;  // ptwin's version: Software Versions of the equipment
  std::string segment_label = "vessel lumen";
  std::string series_description = "ptwin vessel lumen segmentation";
  int series_number = 900;
  std::string series_uid;        // "" for a fresh one
  std::string sop_instance_uid;  // "" for a fresh one
};

/// Writes `labels` (0 background, 1 lumen; any other value is refused) segmented from
/// `source_files` (the series `labels.identity` names, one single-frame file per slice).
/// Throws InputError naming the field and value for labels or sources that do not fit, and
/// for empty algorithm name, version, family or software version.
[[nodiscard]] WrittenInstance write_segmentation(
    const geometry::segmentation::LabelVolume& labels,
    const std::vector<ingest::dicom::DicomBuffer>& source_files,
    const SegmentationWriteOptions& options);

}  // namespace ptwin::clinical::dicom
