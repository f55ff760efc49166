// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/charset.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/utf8.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

[[noreturn]] void refuse_byte(std::string_view where, std::string_view bytes, std::size_t offset,
                              std::string_view rule) {
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError, std::string(where),
                   printable_bytes(bytes.substr(offset > 8 ? offset - 8 : 0, 16)),
                   fmt::format("holds byte 0x{:02X} at offset {}, {}",
                               static_cast<unsigned char>(bytes[offset]), offset, rule));
}

bool is_forbidden_control(unsigned char byte) {
  return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}

// Length of the UTF-8 sequence starting at `offset`, or 0 when it is not valid UTF-8
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t offset) {
  const auto lead = static_cast<unsigned char>(bytes[offset]);
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07U;
  } else {
    return 0;
  }
  if (offset + length > bytes.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(bytes[offset + i]);
    if ((next & 0xC0U) != 0x80U) return 0;
    code_point = (code_point << 6U) | (next & 0x3FU);
  }
  const bool is_overlong = (length == 3 && code_point < 0x800) ||
                           (length == 4 && code_point < 0x10000);
  const bool is_surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (is_overlong || is_surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

Charset parse_charset(std::string_view msh18, std::string_view where) {
  if (msh18.empty() || msh18 == "ASCII") return Charset::Ascii;
  if (msh18 == "8859/1") return Charset::Latin1;
  if (msh18 == "UNICODE UTF-8") return Charset::Utf8;
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::TableValueNotFound, std::string(where),
                   printable_bytes(msh18),
                   "is a character set ptwin does not read; use ASCII (or leave MSH-18 empty), "
                   "8859/1 or UNICODE UTF-8");
}

std::string_view charset_name(Charset charset) {
  switch (charset) {
    case Charset::Ascii:
      return "ASCII";
    case Charset::Latin1:
      return "8859/1";
    case Charset::Utf8:
      return "UNICODE UTF-8";
  }
  return "ASCII";
}

std::string to_utf8(std::string_view bytes, Charset charset, std::string_view where,
                    ControlCharacters controls) {
  std::string text;
  text.reserve(bytes.size());
  for (std::size_t offset = 0; offset < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[offset]);
    if (controls == ControlCharacters::Refuse && is_forbidden_control(byte)) {
      refuse_byte(where, bytes, offset, "a control character (send it as an \\X..\\ escape)");
    }
    if (byte < 0x80) {
      text.push_back(static_cast<char>(byte));
      ++offset;
      continue;
    }
    switch (charset) {
      case Charset::Ascii:
        refuse_byte(where, bytes, offset,
                    "which is not ASCII; MSH-18 declares ASCII (an empty MSH-18 means ASCII): "
                    "declare 8859/1 or UNICODE UTF-8");
      case Charset::Latin1:
        utf8::append(text, byte);
        ++offset;
        break;
      case Charset::Utf8: {
        const auto length = utf8_sequence_length(bytes, offset);
        if (length == 0) {
          refuse_byte(where, bytes, offset, "which starts no valid UTF-8 sequence (MSH-18 is "
                                            "UNICODE UTF-8)");
        }
        text.append(bytes.substr(offset, length));
        offset += length;
        break;
      }
    }
  }
  return text;
}

}  // namespace ptwin::ingest::hl7v2
