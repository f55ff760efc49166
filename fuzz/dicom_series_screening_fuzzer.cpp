// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: screening files offered as a series (ingest/dicom/series_screening.hpp) and
// reading the accepted ones (read_dicom_series), as `ptwin image` does with a folder or a PACS's
// instances. The input is one file. Findings besides crashes, sanitizer reports and exceptions
// other than ptwin::Error: screening that throws at all (bad contents must land in the refused
// list), a file in no list or in two, or bytes changed on the way.
// Seeds: tests/data/bad_inputs/dicom_series/*.dcm (docs/dicom.md).
#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/oflog/oflog.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/series_screening.hpp"

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  // DCMTK's log line for every broken input would dominate the run time.
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace dicom = ptwin::ingest::dicom;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto screening = dicom::screen_series_files({{"fuzz.dcm", bytes}});
  const std::size_t listed = screening.accepted.size() + screening.refused.size() + screening.skipped.size();
  if (listed != 1) std::abort();
  const std::string& kept = !screening.accepted.empty()  ? screening.accepted[0].bytes
                            : !screening.refused.empty() ? screening.refused[0].file.bytes
                                                         : screening.skipped[0].file.bytes;
  if (kept != bytes) std::abort();
  if (!screening.accepted.empty()) {
    try {
      (void)dicom::read_dicom_series(screening.accepted);
    } catch (const ptwin::Error&) {
      // a refused series is a normal outcome
    }
  }
  return 0;
}
