// SPDX-License-Identifier: Apache-2.0
#include <cstdlib>

#include "commands.hpp"

namespace ptwin::app {

std::optional<std::filesystem::path> fhir_package_dir(const std::string& option) {
  if (!option.empty()) return std::filesystem::path(option);
  if (std::getenv("PTWIN_FHIR_PACKAGE_DIR") != nullptr) return std::nullopt;
  return std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR);
}

}  // namespace ptwin::app
