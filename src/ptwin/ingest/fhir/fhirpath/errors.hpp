// SPDX-License-Identifier: Apache-2.0
#pragma once
// The two ways a FHIRPath expression fails. Both are InputError(BadInput): the expression
// comes from outside the engine (a SearchParameter, a SubscriptionTopic, a user).

#include <cstddef>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::fhirpath {

/// The expression text is not FHIRPath, or names a function that does not exist or with the
/// wrong number of arguments. where() is "FHIRPath '<expression>' at position <n>" with n the
/// 0-based character offset of the offending token, value() that token.
class ParseError : public InputError {
 public:
  ParseError(std::string_view expression, std::size_t position, std::string found,
             std::string rule);
  [[nodiscard]] std::size_t position() const noexcept { return position_; }

 private:
  std::size_t position_;
};

/// Evaluation failed: a function or operator got input it is not defined for (a collection of
/// several items where one is required, a type it does not take), or an undefined variable was
/// read. where() names the expression, the function or operator and its position; value() shows
/// the offending input.
class EvaluationError : public InputError {
 public:
  EvaluationError(std::string where, std::string value, std::string rule);
};

}  // namespace ptwin::ingest::fhir::fhirpath
