// SPDX-License-Identifier: Apache-2.0
#pragma once
// The character sets ptwin reads (MSH-18, HL7 table 0211) and their conversion to UTF-8, the
// one encoding text has inside the engine. A byte that the declared set does not allow is an
// error, never a guess: an empty MSH-18 means ASCII (v2.5.1 §2.15.9.18), so a message with
// accented letters must say which set it uses.

#include <string>
#include <string_view>

namespace ptwin::ingest::hl7v2 {

enum class Charset {
  Ascii,   // MSH-18 empty or "ASCII"
  Latin1,  // "8859/1" (ISO 8859-1)
  Utf8,    // "UNICODE UTF-8"
};

/// Reads MSH-18 (its first repetition, first component: the message's own set).
/// Throws Hl7v2Error(BadInput) naming `where` for any other value, listing those ptwin reads.
[[nodiscard]] Charset parse_charset(std::string_view msh18, std::string_view where);

/// The MSH-18 text of a set ("" for ASCII is not produced: "ASCII").
[[nodiscard]] std::string_view charset_name(Charset charset);

/// Whether control characters (C0 and DEL) may appear: not in message text, where HL7 carries
/// them only as \X..\ escapes (TAB is tolerated), but in the bytes such an escape decodes to.
enum class ControlCharacters { Refuse, Allow };

/// Converts `bytes` in `charset` to UTF-8. Throws Hl7v2Error(BadInput) naming `where` and the
/// byte offset for a byte the set does not allow: above 0x7F in ASCII, an invalid UTF-8
/// sequence (overlong, surrogate, beyond U+10FFFF, cut short), and, unless allowed, a control
/// character other than TAB.
[[nodiscard]] std::string to_utf8(std::string_view bytes, Charset charset, std::string_view where,
                                  ControlCharacters controls = ControlCharacters::Refuse);

}  // namespace ptwin::ingest::hl7v2
