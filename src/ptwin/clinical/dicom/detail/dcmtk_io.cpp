// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcostrmb.h>
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom::detail {

std::unique_ptr<DcmFileFormat> parse_part10(std::string_view bytes, const std::string& name) {
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  stream.setEos();
  auto file = std::make_unique<DcmFileFormat>();
  file->transferInit();
  const OFCondition status = file->read(stream, EXS_Unknown, EGL_noChange, DCM_MaxReadLength);
  file->transferEnd();
  if (status.bad()) {
    throw InputError(ErrorCode::BadInput, name, fmt::format("{} bytes", bytes.size()),
                     fmt::format("a DICOM Part 10 file (DCMTK: {})", status.text()));
  }
  return file;
}

std::string to_part10(DcmFileFormat& file) {
  constexpr E_TransferSyntax kSyntax = EXS_LittleEndianExplicit;
  // The meta header is built by write(); its length is bounded well below the margin.
  std::string buffer(file.getDataset()->calcElementLength(kSyntax, EET_ExplicitLength) + 65536,
                     '\0');
  DcmOutputBufferStream stream(buffer.data(), static_cast<offile_off_t>(buffer.size()));
  file.transferInit();
  const OFCondition status = file.write(stream, kSyntax, EET_ExplicitLength, nullptr);
  file.transferEnd();
  if (status.bad()) {
    throw Error(ErrorCode::Internal,
                fmt::format("DICOM writer: encoding the file: {}", status.text()));
  }
  void* written = nullptr;
  offile_off_t length = 0;
  stream.flushBuffer(written, length);
  buffer.resize(static_cast<std::size_t>(length));
  return buffer;
}

std::string text_of(DcmItem& item, const DcmTagKey& tag) {
  OFString value;
  if (item.findAndGetOFStringArray(tag, value).bad()) return {};
  return std::string(value.c_str());
}

void put_text(DcmItem& item, const DcmTagKey& tag, const std::string& value) {
  const OFCondition status = item.putAndInsertString(tag, value.c_str());
  if (status.bad()) {
    throw Error(ErrorCode::Internal, fmt::format("DICOM writer: {} = '{}' refused: {}",
                                                 DcmTag(tag).getTagName(), value, status.text()));
  }
}

}  // namespace ptwin::clinical::dicom::detail
