// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which source instance each slice of a label volume was segmented from: the files of the
// source series matched to the volume's slices by ImagePositionPatient (never by file order or
// InstanceNumber), so that SEG frames and SR references name the right SOP instances.

#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/dicom_series_reader.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::clinical::dicom::detail {

struct SourceSlice {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::size_t file_index = 0;  // into the source files
};

/// One entry per slice k of `geometry`. Throws InputError naming the file when a file is not
/// single-frame DICOM of `identity`'s series and frame of reference, lies off the grid, or a
/// slice has no file or two.
[[nodiscard]] std::vector<SourceSlice> match_source_slices(
    const std::vector<ingest::dicom::DicomBuffer>& files,
    const ingest::dicom::VolumeGeometry& geometry, const ingest::dicom::VolumeIdentity& identity);

}  // namespace ptwin::clinical::dicom::detail
