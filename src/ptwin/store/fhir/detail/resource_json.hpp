// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sets the server-owned elements of a resource (id, meta.versionId, meta.lastUpdated) in the
// caller's JSON without reformatting anything else: numbers keep the digits they were written
// with (FHIR decimals carry their precision in their text: 1.50 is not 1.5), strings keep
// their characters, members keep their order. Output is compact JSON.

#include <cstdint>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir::detail {

enum class BodyIdPolicy {
  Replace,    // create: a client id in the body is ignored (FHIR create)
  MustMatch,  // update: a body id other than the target id is an error (FHIR update: 400)
};

struct ResourceIdentity {
  std::string_view resource_type;
  std::string_view id;
  std::int64_t version_id = 0;
  time::Instant last_updated{};
};

/// Returns `json` with `id` and `meta` placed right after `resourceType`: `id` set, and
/// `meta.versionId` / `meta.lastUpdated` set first in `meta` (its other members kept).
/// Throws InputError(BadInput) at `where` when `json` is not one JSON object, when its
/// "resourceType" is not `identity.resource_type`, when "meta" is not an object, and under
/// MustMatch when its "id" differs. Messages give sizes and offsets, never the JSON (PHI).
[[nodiscard]] std::string with_identity(std::string_view json, const ResourceIdentity& identity,
                                        BodyIdPolicy policy, std::string_view where);

/// meta.lastUpdated text: UTC, at least millisecond precision ("2024-05-01T12:00:00.000Z"),
/// more digits when the instant has them, so that it reads back to the same instant.
[[nodiscard]] std::string format_last_updated(time::Instant instant);

}  // namespace ptwin::store::fhir::detail
