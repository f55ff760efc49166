// SPDX-License-Identifier: Apache-2.0
#pragma once
// The form in which string search values are compared (R5 search.html#string): "insensitive
// to casing and included combining characters, like accents", with punctuation and
// non-significant whitespace ignored. Both the stored value and the search text go through
// normalize_search_string(), so matching is a byte comparison in either database.

#include <string>
#include <string_view>

namespace ptwin::store::fhir {

/// Returns `utf8` with:
/// - combining marks removed (U+0300-036F, U+1AB0-1AFF, U+1DC0-1DFF, U+20D0-20FF, U+FE20-FE2F),
///   so decomposed accents disappear;
/// - precomposed Latin letters of Latin-1 Supplement, Latin Extended-A and Romanian
///   S/T-comma folded to their base letters (É → e, ß → ss, Æ → ae, Ł → l);
/// - ASCII, Greek (accents and final sigma folded) and basic Cyrillic (ё → е) lower-cased;
/// - punctuation removed: ASCII and Latin-1 characters of Unicode category P (so ' - . , and
///   the like, but not symbols such as + or $) and U+2010-U+2027 (dashes, quotes);
/// - every run of whitespace (ASCII, no-break, U+2000-U+200A, U+3000) made one space, and
///   leading and trailing whitespace removed.
/// Other characters are kept as they are (no full Unicode case folding: other scripts match
/// case-sensitively). Throws InputError(BadInput) at `where` when `utf8` is not valid UTF-8.
[[nodiscard]] std::string normalize_search_string(std::string_view utf8, std::string_view where);

/// The smallest string greater than every string that starts with `prefix` (bytewise, which
/// for UTF-8 is code point order), or "" when there is none (an empty prefix, or one made only
/// of U+10FFFF). `prefix` must be valid UTF-8; the result is valid UTF-8, so a database can
/// find a prefix as the range [prefix, successor) with an ordinary index.
[[nodiscard]] std::string prefix_successor(std::string_view prefix);

}  // namespace ptwin::store::fhir
