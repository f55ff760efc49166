// SPDX-License-Identifier: Apache-2.0
#pragma once
// The delimiters of one HL7 v2 message, read from its MSH segment (v2.5.1 chapter 2, "Message
// delimiters"): MSH-1 is the character right after "MSH", MSH-2 the four encoding characters
// (component, repetition, escape, subcomponent) and, from v2.7, a fifth (truncation). Any
// printable, non-alphanumeric ASCII characters that differ from each other are legal; |^~\&
// is only the recommended choice.

#include <optional>
#include <string>
#include <string_view>

namespace ptwin::ingest::hl7v2 {

struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  std::optional<char> truncation{};  // MSH-2's fifth character (v2.7+), when present

  /// MSH-2 as written: the four (or five) encoding characters.
  [[nodiscard]] std::string encoding_characters() const;
  /// True for any of the delimiter characters (the segment terminator CR is not one).
  [[nodiscard]] bool is_delimiter(char c) const;
  friend bool operator==(const Delimiters&, const Delimiters&) = default;
};

/// Reads MSH-1 and MSH-2 from the start of a message (`text` begins with "MSH").
/// Throws Hl7v2Error (BadInput) naming `<source>: MSH-1` or `MSH-2` when the segment is too
/// short, a character is not printable ASCII, is a letter or digit, or two are the same.
[[nodiscard]] Delimiters read_delimiters(std::string_view text, std::string_view source);

}  // namespace ptwin::ingest::hl7v2
