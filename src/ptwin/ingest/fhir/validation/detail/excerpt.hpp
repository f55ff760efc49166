// SPDX-License-Identifier: Apache-2.0
#pragma once
// A JSON value as it may be quoted in a diagnostic: strings as they are, scalars as JSON, and
// objects/arrays by their first members only. Never recurses into nested values and never
// throws, so that hostile input (deep nesting, invalid UTF-8 in a programmatically built
// document) cannot break or flood an OperationOutcome. The result is cut by printable_value.

#include <string>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::validation::detail {

[[nodiscard]] std::string excerpt(const nlohmann::json& value);

}  // namespace ptwin::ingest::fhir::validation::detail
