// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/escapes.hpp"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// One page of formatted text is far below this; a larger count is an attack, not a layout.
constexpr int kMaxBlankLines = 100;

[[noreturn]] void refuse(std::string_view where, std::string_view value, std::string_view rule) {
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError, std::string(where),
                   printable_value(value), std::string(rule));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string decode_hex(std::string_view digits, Charset charset, std::string_view where,
                       std::string_view value) {
  if (digits.empty() || digits.size() % 2 != 0) {
    refuse(where, value, "holds an \\X..\\ escape whose hex data is not whole bytes");
  }
  std::string bytes;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int high = hex_digit(digits[i]);
    const int low = hex_digit(digits[i + 1]);
    if (high < 0 || low < 0) refuse(where, value, "holds an \\X..\\ escape with a non-hex digit");
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return to_utf8(bytes, charset, where, ControlCharacters::Allow);
}

// The text of a formatting command (".br", ".sp3", ...), for formatted text (FT) values.
std::string format_command(std::string_view command, std::string_view where,
                           std::string_view value) {
  if (command == ".br") return "\n";
  if (command.starts_with(".sp")) {
    const auto count_text = command.substr(3);
    int count = 1;
    if (!count_text.empty()) {
      const auto* end = count_text.data() + count_text.size();
      const auto [next, status] = std::from_chars(count_text.data(), end, count);
      if (status != std::errc{} || next != end || count < 0 || count > kMaxBlankLines) {
        refuse(where, value, fmt::format("holds a \\.sp<n>\\ escape whose n is not 0 to {}",
                                         kMaxBlankLines));
      }
    }
    return std::string(static_cast<std::size_t>(count), '\n');
  }
  for (const std::string_view known : {".fi", ".nf", ".in", ".ti", ".sk", ".ce"}) {
    if (command.starts_with(known)) return "";
  }
  refuse(where, value, fmt::format("holds the formatting escape '{}', which is not one of HL7's",
                                   printable_value(command)));
}

std::string decode_sequence(std::string_view body, const Delimiters& delimiters, Charset charset,
                            std::string_view where, std::string_view value) {
  if (body.empty()) refuse(where, value, "holds an empty escape sequence (two escape characters)");
  if (body.size() == 1) {
    switch (body[0]) {
      case 'F':
        return {delimiters.field};
      case 'S':
        return {delimiters.component};
      case 'T':
        return {delimiters.subcomponent};
      case 'R':
        return {delimiters.repetition};
      case 'E':
        return {delimiters.escape};
      case 'P':
        return {delimiters.truncation.value_or('#')};
      case 'H':
      case 'N':
        return "";
      default:
        break;
    }
  }
  switch (body[0]) {
    case 'X':
      return decode_hex(body.substr(1), charset, where, value);
    case '.':
      return format_command(body, where, value);
    case 'C':
    case 'M':
      refuse(where, value,
             "switches character set with an ISO 2022 escape (\\C..\\ or \\M..\\), which ptwin "
             "does not read; send the text in the set MSH-18 declares");
    case 'Z':
      refuse(where, value, "holds a locally defined escape (\\Z..\\), which ptwin does not read");
    default:
      refuse(where, value, fmt::format("holds the unknown escape sequence '{}'",
                                       printable_value(body)));
  }
}

}  // namespace

std::string decode_text(std::string_view value, const Delimiters& delimiters, Charset charset,
                        std::string_view where) {
  if (value.find(delimiters.escape) == std::string_view::npos) return std::string(value);
  std::string text;
  text.reserve(value.size());
  std::size_t position = 0;
  while (position < value.size()) {
    const auto start = value.find(delimiters.escape, position);
    if (start == std::string_view::npos) {
      text.append(value.substr(position));
      break;
    }
    text.append(value.substr(position, start - position));
    const auto end = value.find(delimiters.escape, start + 1);
    if (end == std::string_view::npos) {
      refuse(where, value, fmt::format("holds an escape character '{}' at offset {} that no "
                                       "second one closes (write a literal one as {}E{})",
                                       delimiters.escape, start, delimiters.escape,
                                       delimiters.escape));
    }
    text.append(decode_sequence(value.substr(start + 1, end - start - 1), delimiters, charset,
                                where, value));
    position = end + 1;
  }
  return text;
}

std::string encode_text(std::string_view text, const Delimiters& delimiters) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const auto escaped = [&](char code) {
      out.push_back(delimiters.escape);
      out.push_back(code);
      out.push_back(delimiters.escape);
    };
    if (c == delimiters.field) {
      escaped('F');
    } else if (c == delimiters.component) {
      escaped('S');
    } else if (c == delimiters.subcomponent) {
      escaped('T');
    } else if (c == delimiters.repetition) {
      escaped('R');
    } else if (c == delimiters.escape) {
      escaped('E');
    } else if (delimiters.truncation && c == *delimiters.truncation) {
      escaped('P');
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("{}X{:02X}{}", delimiters.escape, byte, delimiters.escape);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace ptwin::ingest::hl7v2
