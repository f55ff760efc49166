// SPDX-License-Identifier: Apache-2.0
#pragma once
// The bytes of each element of a top-level JSON array member, exactly as they appear in the
// document (simdjson on-demand raw_json): the quarantine keeps what was received, not a
// re-serialisation that would reorder keys, re-escape strings or reformat numbers.

#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir {

/// Raw text of every element of `document[member]` in order; empty when the member is absent.
/// Throws InputError naming `source` and simdjson's reason when the document is not JSON or the
/// member is not an array.
[[nodiscard]] std::vector<std::string> raw_array_elements(std::string_view json_text,
                                                          std::string_view member,
                                                          std::string_view source);

}  // namespace ptwin::ingest::fhir
