// SPDX-License-Identifier: Apache-2.0
#pragma once
// Syntax checks on JSON text that the store keeps verbatim. Messages give sizes and byte
// offsets, never the text: the documents may carry PHI (STYLE.md §8).

#include <string_view>

namespace ptwin::store::detail {

/// Throws InputError(BadInput) at `where` unless `text` is one well-formed JSON value.
void require_json(std::string_view text, std::string_view where);

/// Throws InputError unless `text` is a JSON object whose "resourceType" is `resource_type`.
void require_fhir_resource(std::string_view text, std::string_view resource_type,
                           std::string_view where);

}  // namespace ptwin::store::detail
