// SPDX-License-Identifier: Apache-2.0
#pragma once
// A skip-scanner for JSON text: finds the value of one top-level string member without building
// a document. Used to index package files by canonical url at a fraction of a full parse's cost
// (the url sits after a large narrative in most files, so it cannot be found by reading a prefix).

#include <optional>
#include <string>
#include <string_view>

namespace ptwin::ingest::fhir::definitions::detail {

/// The string value of member `key` of the top-level object of `text`. nullopt when the text
/// is not an object, has no such member, the member is not a string, or the string holds escape
/// sequences other than \" \\ \/ (the caller then falls back to a full parse).
/// Malformed JSON never reads out of bounds: the scan stops with nullopt at the end of the text.
[[nodiscard]] std::optional<std::string> top_level_string_member(std::string_view text,
                                                                 std::string_view key);

}  // namespace ptwin::ingest::fhir::definitions::detail
