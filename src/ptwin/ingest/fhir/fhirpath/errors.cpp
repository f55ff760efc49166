// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/errors.hpp"

#include <utility>

#include <fmt/format.h>

namespace ptwin::ingest::fhir::fhirpath {

ParseError::ParseError(std::string_view expression, std::size_t position, std::string found,
                       std::string rule)
    : InputError(ErrorCode::BadInput,
                 fmt::format("FHIRPath '{}' at position {}", printable_value(expression), position),
                 printable_value(found), std::move(rule)),
      position_(position) {}

EvaluationError::EvaluationError(std::string where, std::string value, std::string rule)
    : InputError(ErrorCode::BadInput, std::move(where), std::move(value), std::move(rule)) {}

}  // namespace ptwin::ingest::fhir::fhirpath
