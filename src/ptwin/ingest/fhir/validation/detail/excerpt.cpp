// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/validation/detail/excerpt.hpp"

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {

constexpr std::size_t kMembersShown = 3;

std::string scalar(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_structured()) return value.is_object() ? "{...}" : "[...]";
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string excerpt(const nlohmann::json& value) {
  if (!value.is_structured()) return printable_value(scalar(value));
  std::string text(value.is_object() ? "{" : "[");
  std::size_t shown = 0;
  for (auto it = value.begin(); it != value.end() && shown < kMembersShown; ++it, ++shown) {
    if (shown > 0) text += ",";
    // Appended piece by piece: GCC 12 warns (-Wrestrict) on "literal" + std::string&&.
    if (value.is_object()) {
      text += '"';
      text += it.key();
      text += "\":";
    }
    if (it->is_string()) {
      text += '"';
      text += it->get_ref<const std::string&>();
      text += '"';
    } else {
      text += scalar(*it);
    }
  }
  if (value.size() > kMembersShown) text += ",...";
  text += value.is_object() ? "}" : "]";
  return printable_value(text);
}

}  // namespace ptwin::ingest::fhir::validation::detail
