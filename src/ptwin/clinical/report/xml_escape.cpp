// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/xml_escape.hpp"

#include <cstddef>
#include <cstdint>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

constexpr std::size_t kExcerptBytes = 40;

[[noreturn]] void reject(std::string_view text, std::size_t offset, std::string_view rule) {
  // The excerpt is printed with fmt's escaping ({:?}) so that the offending byte is visible.
  const std::string_view excerpt = text.substr(0, kExcerptBytes);
  throw InputError(ErrorCode::BadInput, fmt::format("report text at byte {}", offset),
                   fmt::format("{:?}{}", excerpt, text.size() > kExcerptBytes ? "..." : ""),
                   std::string(rule));
}

/// Length of the UTF-8 sequence that starts at text[offset], or 0 if it is malformed
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t offset) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[offset + i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (offset + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0u) != 0x80u) return 0;
    code_point = (code_point << 6u) | (byte(i) & 0x3Fu);
  }
  const bool is_overlong =
      (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  const bool is_surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (is_overlong || is_surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t offset = 0;
  while (offset < text.size()) {
    const char c = text[offset];
    const auto byte = static_cast<std::uint8_t>(c);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, offset);
      if (length == 0) reject(text, offset, "is not valid UTF-8");
      out.append(text.substr(offset, length));
      offset += length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (byte < 0x20) {
          reject(text, offset,
                 fmt::format("contains control character U+{:04X}, which XML 1.0 cannot carry",
                             static_cast<unsigned>(byte)));
        }
        out += c;
    }
    ++offset;
  }
  return out;
}

}  // namespace ptwin::clinical::report
