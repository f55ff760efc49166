// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/quarantine_entry.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store {

void validate(const QuarantineEntry& entry) {
  if (entry.source.empty()) {
    throw InputError(ErrorCode::MissingField, "quarantine entry: source", "",
                     "must name where the input came from");
  }
  if (entry.reason.empty()) {
    throw InputError(ErrorCode::MissingField,
                     fmt::format("quarantine entry from '{}': reason", entry.source), "",
                     "must say why the input was rejected");
  }
}

}  // namespace ptwin::store
