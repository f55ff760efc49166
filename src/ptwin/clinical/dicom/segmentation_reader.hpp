// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads a binary DICOM SEG back onto the grid of its source volume (DCMTK dcmseg): each frame
// is placed at the slice its Plane Position names, and the frame's source image (Derivation
// Image) is reported, so a SEG written by write_segmentation can be checked frame by frame
// against the LabelVolume it came from. Slices without a frame are background.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/dicom/coded_concept.hpp"
#include "ptwin/geometry/segmentation/label_volume.hpp"

namespace ptwin::clinical::dicom {

struct SegmentationFrame {
  std::size_t slice = 0;  // k on the grid
  std::uint16_t segment_number = 0;
  std::string source_sop_instance_uid;  // from the Derivation Image Sequence
  std::string source_sop_class_uid;
};

struct SegmentDescription {
  std::uint16_t number = 0;
  std::string label;
  CodedConcept category;
  CodedConcept type;
  std::string algorithm_type;  // AUTOMATIC, SEMIAUTOMATIC or MANUAL
  std::string algorithm_name;
};

struct DecodedSegmentation {
  /// Voxel = segment number (1 for the lumen), 0 where no frame marks it. identity: the SEG's
  /// patient, study and frame of reference; series_uid: the source series of the frames.
  geometry::segmentation::LabelVolume labels;
  std::string seg_series_uid;
  std::string sop_instance_uid;
  std::vector<SegmentationFrame> frames;  // in the SEG's frame order
  std::vector<SegmentDescription> segments;
};

/// Decodes Part 10 SEG `bytes` onto `grid`. Throws InputError naming `name` and the frame when
/// the file is not a binary SEG, or a frame's size, orientation, spacing or position does not
/// lie on `grid` (positions within 1 % of a voxel).
[[nodiscard]] DecodedSegmentation read_segmentation(std::string_view bytes,
                                                    const ingest::dicom::VolumeGeometry& grid,
                                                    const std::string& name = "SEG");

}  // namespace ptwin::clinical::dicom
