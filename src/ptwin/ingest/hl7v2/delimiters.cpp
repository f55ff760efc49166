// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/delimiters.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// v2.5.1 §2.5.4: delimiters are single printable characters; letters and digits would be
// indistinguishable from data, and CR/LF end segments.
bool is_legal_delimiter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  const bool is_alphanumeric = (byte >= '0' && byte <= '9') || (byte >= 'A' && byte <= 'Z') ||
                               (byte >= 'a' && byte <= 'z');
  return byte > 0x20 && byte < 0x7f && !is_alphanumeric;
}

[[noreturn]] void refuse(std::string_view source, std::string_view field, std::string_view value,
                         std::string_view rule) {
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError,
                   fmt::format("{}: {}", source, field), printable_bytes(value), std::string(rule));
}

}  // namespace

std::string Delimiters::encoding_characters() const {
  std::string text{component, repetition, escape, subcomponent};
  if (truncation) text.push_back(*truncation);
  return text;
}

bool Delimiters::is_delimiter(char c) const {
  return c == field || c == component || c == repetition || c == escape || c == subcomponent ||
         (truncation && c == *truncation);
}

Delimiters read_delimiters(std::string_view text, std::string_view source) {
  if (text.size() < 4) {
    refuse(source, "MSH-1", text, "is missing: a message starts with MSH and the field separator");
  }
  Delimiters delimiters;
  delimiters.field = text[3];
  if (!is_legal_delimiter(delimiters.field)) {
    refuse(source, "MSH-1", text.substr(3, 1),
           "must be a printable ASCII character that is not a letter or digit");
  }
  const auto rest = text.substr(4);
  auto end = rest.find_first_of(std::string{delimiters.field, '\r', '\n'});
  const auto msh2 = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
  if (msh2.size() != 4 && msh2.size() != 5) {
    refuse(source, "MSH-2", msh2,
           "must hold the 4 encoding characters (component, repetition, escape, subcomponent), "
           "and at most a fifth (truncation, v2.7)");
  }
  std::array<char, 6> used{delimiters.field};
  for (std::size_t i = 0; i < msh2.size(); ++i) {
    const char c = msh2[i];
    if (!is_legal_delimiter(c)) {
      refuse(source, "MSH-2", msh2,
             fmt::format("character {} must be a printable ASCII character that is not a letter "
                         "or digit",
                         i + 1));
    }
    for (std::size_t j = 0; j <= i; ++j) {
      if (used[j] == c) {
        refuse(source, "MSH-2", msh2,
               fmt::format("uses '{}' twice; every delimiter (MSH-1 and MSH-2) must differ", c));
      }
    }
    used[i + 1] = c;
  }
  delimiters.component = msh2[0];
  delimiters.repetition = msh2[1];
  delimiters.escape = msh2[2];
  delimiters.subcomponent = msh2[3];
  if (msh2.size() == 5) delimiters.truncation = msh2[4];
  return delimiters;
}

}  // namespace ptwin::ingest::hl7v2
