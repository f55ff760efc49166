// SPDX-License-Identifier: Apache-2.0
#pragma once
// DICOM Part 10 bytes to and from DCMTK's file objects, for the SEG and SR writers and readers.
// Included only by .cpp files of this area (DCMTK types are forward-declared here).

#include <memory>
#include <string>
#include <string_view>

class DcmFileFormat;
class DcmItem;
class DcmTagKey;

namespace ptwin::clinical::dicom::detail {

/// Parses Part 10 bytes; anything DCMTK cannot read throws InputError naming `name`.
[[nodiscard]] std::unique_ptr<DcmFileFormat> parse_part10(std::string_view bytes,
                                                          const std::string& name);

/// The file as Part 10 bytes (preamble, meta header, Explicit VR Little Endian).
[[nodiscard]] std::string to_part10(DcmFileFormat& file);

/// The attribute's value (all components, backslash-separated), or "" when absent.
[[nodiscard]] std::string text_of(DcmItem& item, const DcmTagKey& tag);

/// Puts `value` into `item`; DCMTK refusing it is a bug (Internal) naming the tag and value.
void put_text(DcmItem& item, const DcmTagKey& tag, const std::string& value);

}  // namespace ptwin::clinical::dicom::detail
