// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the unit tests of the FHIR store's pure parts.

#include <string_view>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir::test_support {

/// Runs `call`, expects an InputError and returns it for checks on its context.
template <typename Call>
InputError expect_input_error(Call&& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "expected InputError";
  return InputError(ErrorCode::Internal, "", "", "");
}

inline time::Instant utc(std::string_view iso8601) { return time::parse_iso8601(iso8601); }

}  // namespace ptwin::store::fhir::test_support
