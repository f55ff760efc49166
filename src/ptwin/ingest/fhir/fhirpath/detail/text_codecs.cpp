// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/detail/text_codecs.hpp"
#include "ptwin/core/utf8.hpp"

#include <array>
#include <cctype>
#include <cstdint>

#include <fmt/format.h>

namespace ptwin::ingest::fhir::fhirpath::detail::codecs {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kHexDigits = "0123456789abcdef";

std::string base64(std::string_view bytes, std::string_view alphabet) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t index) {
      return index < bytes.size()
                 ? static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index]))
                 : 0U;
    };
    const std::uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    out.push_back(i + 1 < bytes.size() ? alphabet[(group >> 6) & 0x3F] : '=');
    out.push_back(i + 2 < bytes.size() ? alphabet[group & 0x3F] : '=');
  }
  return out;
}

std::optional<std::string> from_base64(std::string_view text, std::string_view alphabet) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    const auto value = alphabet.find(c);
    if (value == std::string_view::npos || padding > 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const auto high =
        kHexDigits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
    const auto low =
        kHexDigits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + 1]))));
    if (high == std::string_view::npos || low == std::string_view::npos) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return out;
}

std::string escape_html(std::string_view text) {
  std::string out;
  for (const char c : text) {
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
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string escape_json(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string unescape_html(std::string_view text) {
  struct Entity {
    std::string_view name;
    char value;
  };
  constexpr std::array kEntities{Entity{"amp", '&'}, Entity{"lt", '<'}, Entity{"gt", '>'},
                                 Entity{"quot", '"'}, Entity{"apos", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos || end - i > 12) {
      out.push_back(text[i]);
      continue;
    }
    const auto name = text.substr(i + 1, end - i - 1);
    bool decoded = false;
    for (const auto& entity : kEntities) {
      if (entity.name == name) {
        out.push_back(entity.value);
        decoded = true;
      }
    }
    if (!decoded && name.size() > 1 && name.front() == '#') {
      const bool is_hex = name[1] == 'x' || name[1] == 'X';
      const auto digits = name.substr(is_hex ? 2 : 1);
      std::uint32_t code_point = 0;
      bool valid = !digits.empty();
      for (const char d : digits) {
        const auto value =
            kHexDigits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(d))));
        valid = valid && value != std::string_view::npos && (is_hex || value < 10) &&
                code_point < 0x110000;
        if (valid) code_point = code_point * (is_hex ? 16 : 10) + static_cast<std::uint32_t>(value);
      }
      if (valid) {
        ptwin::utf8::append(out, code_point);
        decoded = true;
      }
    }
    if (decoded) {
      i = end;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string unescape_json(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char e = text[++i];
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'u': {
        const auto hex = from_hex(text.substr(i + 1, 4));
        if (i + 4 < text.size() && hex && hex->size() == 2) {
          const auto high = static_cast<std::uint32_t>(static_cast<unsigned char>((*hex)[0]));
          const auto low = static_cast<std::uint32_t>(static_cast<unsigned char>((*hex)[1]));
          ptwin::utf8::append(out, high << 8 | low);
          i += 4;
        } else {
          out += "\\u";
        }
        break;
      }
      default:
        out.push_back(e);
    }
  }
  return out;
}

}  // namespace

bool is_encoding(std::string_view format) {
  return format == "base64" || format == "urlbase64" || format == "hex";
}

std::optional<std::string> encode(std::string_view bytes, std::string_view format) {
  if (format == "base64") return base64(bytes, kBase64);
  if (format == "urlbase64") return base64(bytes, kUrlBase64);
  if (format == "hex") {
    std::string out;
    for (const char c : bytes) {
      out.push_back(kHexDigits[static_cast<unsigned char>(c) >> 4]);
      out.push_back(kHexDigits[static_cast<unsigned char>(c) & 0x0F]);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<std::string> decode(std::string_view text, std::string_view format) {
  if (format == "base64") return from_base64(text, kBase64);
  if (format == "urlbase64") return from_base64(text, kUrlBase64);
  if (format == "hex") return from_hex(text);
  return std::nullopt;
}

std::optional<std::string> escape(std::string_view text, std::string_view target) {
  if (target == "html") return escape_html(text);
  if (target == "json") return escape_json(text);
  return std::nullopt;
}

std::optional<std::string> unescape(std::string_view text, std::string_view target) {
  if (target == "html") return unescape_html(text);
  if (target == "json") return unescape_json(text);
  return std::nullopt;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::codecs
