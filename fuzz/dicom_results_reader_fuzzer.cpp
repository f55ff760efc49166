// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the DICOM SEG and SR readers (clinical/dicom) on arbitrary bytes, as a PACS
// might return them. The SEG is decoded onto the 32 x 32 x 12 test phantom's grid. InputError
// is the expected way to refuse input. Findings besides crashes, sanitizer reports and other
// exceptions: a decoded SEG whose labels do not fill the grid, or a frame off the grid or
// without a segment number.
// Seeds: tests/data/bad_inputs/dicom_results/*.dcm (docs/dicom.md#writing-seg-and-sr).
#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/oflog/oflog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/clinical/dicom/measurement_report_reader.hpp"
#include "ptwin/clinical/dicom/segmentation_reader.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"

namespace {

const ptwin::ingest::dicom::VolumeGeometry& grid() {
  static const auto geometry = [] {
    ptwin::geometry::phantom::VesselPhantomSpec spec;
    spec.size = {32, 32, 12};
    spec.noise_sd_hu = 0.0;
    return ptwin::geometry::phantom::make_vessel_phantom(spec).volume.geometry;
  }();
  return geometry;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // DCMTK's warnings for every broken input would dominate the run time.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const auto decoded = ptwin::clinical::dicom::read_segmentation(input, grid(), "fuzz");
    if (decoded.labels.labels.size() != grid().voxel_count()) std::abort();
    for (const auto& frame : decoded.frames) {
      if (frame.slice >= grid().size[2] || frame.segment_number == 0) std::abort();
    }
  } catch (const ptwin::Error& error) {
    if (std::string_view(error.what()).empty()) std::abort();
  }
  try {
    (void)ptwin::clinical::dicom::read_measurement_report(input, "fuzz");
  } catch (const ptwin::Error& error) {
    if (std::string_view(error.what()).empty()) std::abort();
  }
  return 0;
}
