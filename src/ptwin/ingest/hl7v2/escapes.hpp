// SPDX-License-Identifier: Apache-2.0
#pragma once
// HL7 v2 escape sequences (v2.5.1 chapter 2, "Use of escape sequences in text fields"). A
// value is split at the delimiters first and decoded afterwards, so that \F\ yields a '|'
// that splits nothing.

#include <string>
#include <string_view>

#include "ptwin/ingest/hl7v2/charset.hpp"
#include "ptwin/ingest/hl7v2/delimiters.hpp"

namespace ptwin::ingest::hl7v2 {

/// Decodes the escape sequences of one value (a field, component or subcomponent as written,
/// already converted to UTF-8), with E the escape character:
///   EFE EST ETE ERE EEE  → the field, component, subcomponent, repetition, escape character
///   EPE                  → the truncation character (v2.7)
///   EXhh..E              → the bytes hh.., read in the message's `charset` (controls allowed)
///   EHE ENE              → nothing (start / end of highlighting: display hints)
///   E.brE                → a line feed; E.sp E / E.sp<n>E → 1 / n line feeds; the other
///                          formatting commands (.fi .nf .in .ti .sk .ce) → nothing
/// Throws Hl7v2Error(BadInput) naming `where` for an escape without its closing E, an empty
/// one (EE), bad hex data, a character-set switch (C.., M..: ISO 2022, not read), a locally
/// defined escape (Z..), or any other sequence.
[[nodiscard]] std::string decode_text(std::string_view value, const Delimiters& delimiters,
                                      Charset charset, std::string_view where);

/// Escapes `text` for use as one value in a message with `delimiters`: each delimiter becomes
/// its escape sequence, and control characters (CR, LF, ...) become \Xhh\.
[[nodiscard]] std::string encode_text(std::string_view text, const Delimiters& delimiters);

}  // namespace ptwin::ingest::hl7v2
