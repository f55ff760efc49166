// SPDX-License-Identifier: Apache-2.0
#pragma once
// How SampleQuality is spelled in the database: words, not enum ordinals, so that reordering
// the enum can never silently change stored data.

#include <string_view>

#include "ptwin/core/sample.hpp"

namespace ptwin::store::detail {

/// "good", "questionable", "artefact".
[[nodiscard]] std::string_view to_storage_text(SampleQuality quality);

/// Inverse of to_storage_text. Throws Error(StoreFailure) naming `where` on any other text
/// (the schema's CHECK constraint makes that a corrupt database).
[[nodiscard]] SampleQuality sample_quality_from_storage_text(std::string_view text,
                                                             std::string_view where);

}  // namespace ptwin::store::detail
