// SPDX-License-Identifier: Apache-2.0
#pragma once
// Escaping of text for XML and HTML5 (both SVG and the HTML report go through here), so that a
// series name such as `<script>` is shown as text and never interpreted as markup.

#include <string>
#include <string_view>

namespace ptwin::clinical::report {

/// Returns `text` with `& < > " '` replaced by entities, safe both as element content and as
/// a quoted attribute value in XML 1.0 and HTML5.
///
/// Throws ptwin::InputError (BadInput) if `text` is not valid UTF-8 or contains a control
/// character that XML 1.0 cannot represent (U+0000–U+001F other than tab, LF and CR); the
/// message gives the byte offset and an excerpt of the text. Such characters are rejected, not
/// dropped, because silently altered labels in a clinical report are worse than none.
[[nodiscard]] std::string escape_xml(std::string_view text);

}  // namespace ptwin::clinical::report
