// SPDX-License-Identifier: Apache-2.0
#pragma once
// One DICOM Part 10 file in memory parsed by DCMTK, shared by the series screening and the
// series reader. DCMTK headers: include only from .cpp files.

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>

#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::ingest::dicom::detail {

/// Reads `file` into `format` (transfer syntax detected); the condition says whether it parsed.
inline OFCondition parse_dicom_buffer(const DicomBuffer& file, DcmFileFormat& format) {
  DcmInputBufferStream stream;
  stream.setBuffer(file.bytes.data(), static_cast<offile_off_t>(file.bytes.size()));
  stream.setEos();
  format.transferInit();
  const OFCondition read = format.read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  format.transferEnd();
  return read;
}

}  // namespace ptwin::ingest::dicom::detail
