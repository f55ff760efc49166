// SPDX-License-Identifier: Apache-2.0
#pragma once
// Lexical and JSON-form rules of the FHIR R5 primitive types (datatypes.html and the regex
// extensions of the primitive StructureDefinitions), written as plain scanners rather than
// std::regex: libstdc++'s regex recurses per character and overflows the stack on long input,
// and a validator facing outside data must not. tests/unit/ingest/validation_primitives_test.cpp
// checks each scanner against the regex published in the package.
//
// Where the published regex is looser than the type's own definition text, the definition
// wins (each case is commented): dateTime with a time needs a UTC offset, dates must exist on
// the calendar, a sign alone is not a UTC offset.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::validation {

/// True for the R5 primitive type names handled here (boolean ... xhtml).
[[nodiscard]] bool is_known_primitive(std::string_view type);

/// Checks the text of a string-represented primitive. nullopt when valid; otherwise the rule
/// it breaks, e.g. "is not a valid date: month 13".
[[nodiscard]] std::optional<std::string> check_primitive_text(std::string_view type,
                                                              std::string_view text);

/// Checks a primitive's JSON value: the JSON kind its type takes (boolean -> true/false;
/// integer, positiveInt, unsignedInt -> number without fraction in range; decimal -> number;
/// everything else, integer64 included, -> string) and then its text. nullopt when valid.
[[nodiscard]] std::optional<std::string> check_primitive_json(std::string_view type,
                                                              const nlohmann::json& value);

}  // namespace ptwin::ingest::fhir::validation
