// SPDX-License-Identifier: Apache-2.0
#pragma once
// The encodings of FHIRPath 2.1 encode()/decode() (base64, urlbase64 (RFC 4648 §5), hex) and the
// targets of escape()/unescape() (html, json).

#include <optional>
#include <string>
#include <string_view>

namespace ptwin::ingest::fhir::fhirpath::detail::codecs {

[[nodiscard]] bool is_encoding(std::string_view format);
/// nullopt for an unknown format.
[[nodiscard]] std::optional<std::string> encode(std::string_view bytes, std::string_view format);
/// nullopt for an unknown format or text that is not valid in it.
[[nodiscard]] std::optional<std::string> decode(std::string_view text, std::string_view format);
/// nullopt for an unknown target.
[[nodiscard]] std::optional<std::string> escape(std::string_view text, std::string_view target);
[[nodiscard]] std::optional<std::string> unescape(std::string_view text, std::string_view target);

}  // namespace ptwin::ingest::fhir::fhirpath::detail::codecs
