// SPDX-License-Identifier: Apache-2.0
// A small, fixed folding table instead of ICU: the store needs the FHIR string-search
// equivalence for the scripts of its users' names (Latin, Greek, Cyrillic), identically in
// both backends, and nothing else ICU offers. docs/store.md lists what is folded.
#include "ptwin/store/fhir/string_normalization.hpp"

#include <array>
#include <cstdint>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::store::fhir {
namespace {

// U+00C0..U+00FF; nullptr: keep the character (× and ÷).
constexpr std::array<const char*, 64> kLatin1Fold{
    "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};

// U+0100..U+017F.
constexpr std::array<const char*, 128> kLatinExtendedAFold{
    "a", "a", "a",  "a",  "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    "d", "d", "e",  "e",  "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    "g", "g", "g",  "g",  "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    "l", "l", "l",  "n",  "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    "s", "s", "t",  "t",  "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    "u", "u", "u",  "u",  "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"};

struct CodePointMap {
  char32_t from;
  char32_t to;
};
// Accented Greek letters and final sigma, after lower-casing.
constexpr std::array kGreekFold{
    CodePointMap{0x3AC, 0x3B1}, CodePointMap{0x3AD, 0x3B5}, CodePointMap{0x3AE, 0x3B7},
    CodePointMap{0x3AF, 0x3B9}, CodePointMap{0x3CC, 0x3BF}, CodePointMap{0x3CD, 0x3C5},
    CodePointMap{0x3CE, 0x3C9}, CodePointMap{0x390, 0x3B9}, CodePointMap{0x3B0, 0x3C5},
    CodePointMap{0x3CA, 0x3B9}, CodePointMap{0x3CB, 0x3C5}, CodePointMap{0x3C2, 0x3C3},
};
// Upper-case accented Greek to their lower-case forms (folded further by kGreekFold).
constexpr std::array kGreekLower{
    CodePointMap{0x386, 0x3AC}, CodePointMap{0x388, 0x3AD}, CodePointMap{0x389, 0x3AE},
    CodePointMap{0x38A, 0x3AF}, CodePointMap{0x38C, 0x3CC}, CodePointMap{0x38E, 0x3CD},
    CodePointMap{0x38F, 0x3CE}, CodePointMap{0x3AA, 0x3CA}, CodePointMap{0x3AB, 0x3CB},
};

[[noreturn]] void fail_utf8(std::string_view where, std::size_t offset) {
  throw InputError(ErrorCode::BadInput, std::string(where), "(not shown)",
                   "is not valid UTF-8 (byte offset " + std::to_string(offset) + ")");
}

std::vector<char32_t> decode(std::string_view utf8, std::string_view where) {
  std::vector<char32_t> code_points;
  code_points.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    std::size_t length = 1;
    char32_t cp = lead;
    char32_t minimum = 0;
    if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07U;
      minimum = 0x10000;
    } else if (lead >= 0xE0) {
      length = 3;
      cp = lead & 0x0FU;
      minimum = 0x800;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      cp = lead & 0x1FU;
      minimum = 0x80;
    } else if (lead >= 0x80)
      fail_utf8(where, i);
    if (lead >= 0xF5) fail_utf8(where, i);
    if (i + length > utf8.size()) fail_utf8(where, i);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(utf8[i + k]);
      if ((next & 0xC0U) != 0x80U) fail_utf8(where, i + k);
      cp = (cp << 6U) | (next & 0x3FU);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail_utf8(where, i);
    code_points.push_back(cp);
    i += length;
  }
  return code_points;
}

void encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0U | (cp >> 6U));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0U | (cp >> 12U));
    out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  } else {
    out += static_cast<char>(0xF0U | (cp >> 18U));
    out += static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU));
    out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  }
}

bool is_combining_mark(char32_t cp) {
  return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
         (cp >= 0xFE20 && cp <= 0xFE2F);
}

bool is_whitespace(char32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

// Unicode category P among ASCII and Latin-1, and the dashes and quotes of U+2010..U+2027.
bool is_punctuation(char32_t cp) {
  constexpr std::u32string_view kAscii = U"!\"#%&'()*,-./:;?@[\\]_{}";
  constexpr std::u32string_view kLatin1 = U"\u00A1\u00A7\u00AB\u00B6\u00B7\u00BB\u00BF";
  return kAscii.find(cp) != std::u32string_view::npos ||
         kLatin1.find(cp) != std::u32string_view::npos || (cp >= 0x2010 && cp <= 0x2027);
}

char32_t map_through(char32_t cp, const auto& table) {
  for (const CodePointMap& entry : table) {
    if (entry.from == cp) return entry.to;
  }
  return cp;
}

// Appends the folded, lower-cased form of one letter.
void append_folded(char32_t cp, std::string& out) {
  if (cp >= 'A' && cp <= 'Z') {
    out += static_cast<char>(cp - 'A' + 'a');
  } else if (cp >= 0xC0 && cp <= 0xFF && kLatin1Fold[cp - 0xC0] != nullptr) {
    out += kLatin1Fold[cp - 0xC0];
  } else if (cp >= 0x100 && cp <= 0x17F) {
    out += kLatinExtendedAFold[cp - 0x100];
  } else if (cp == 0x218 || cp == 0x219) {
    out += 's';  // Romanian S with comma below
  } else if (cp == 0x21A || cp == 0x21B) {
    out += 't';  // Romanian T with comma below
  } else if (cp >= 0x386 && cp <= 0x3CE) {
    char32_t lower = map_through(cp, kGreekLower);
    if (lower >= 0x391 && lower <= 0x3A9) lower += 0x20;
    encode(map_through(lower, kGreekFold), out);
  } else if (cp >= 0x400 && cp <= 0x451) {
    char32_t lower = cp;
    if (cp >= 0x410 && cp <= 0x42F) lower = cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) lower = cp + 0x50;
    if (lower == 0x451 || lower == 0x450) lower = 0x435;  // ё, ѐ → е
    encode(lower, out);
  } else {
    encode(cp, out);
  }
}

}  // namespace

std::string normalize_search_string(std::string_view utf8, std::string_view where) {
  std::string out;
  out.reserve(utf8.size());
  bool is_space_pending = false;
  for (const char32_t cp : decode(utf8, where)) {
    if (is_combining_mark(cp) || is_punctuation(cp)) continue;
    if (is_whitespace(cp)) {
      is_space_pending = !out.empty();
      continue;
    }
    if (is_space_pending) out += ' ';
    is_space_pending = false;
    append_folded(cp, out);
  }
  return out;
}

std::string prefix_successor(std::string_view prefix) {
  std::vector<char32_t> code_points = decode(prefix, "string prefix");
  while (!code_points.empty()) {
    char32_t& last = code_points.back();
    if (last == 0x10FFFF) {
      code_points.pop_back();
      continue;
    }
    last = last == 0xD7FF ? 0xE000 : last + 1;  // skip the surrogates, not characters
    std::string out;
    for (const char32_t cp : code_points) encode(cp, out);
    return out;
  }
  return {};
}

}  // namespace ptwin::store::fhir
