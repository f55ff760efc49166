// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/json_check.hpp"

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"

namespace ptwin::store::detail {
namespace {

// The parser's own message quotes the text it last read, so only its byte offset is reported.
nlohmann::json parse_or_throw(std::string_view text, std::string_view where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, std::string(where),
                     fmt::format("<{} bytes>", text.size()),
                     fmt::format("is not well-formed JSON (parse error at byte {})", error.byte));
  }
}

}  // namespace

void require_json(std::string_view text, std::string_view where) {
  static_cast<void>(parse_or_throw(text, where));
}

void require_fhir_resource(std::string_view text, std::string_view resource_type,
                           std::string_view where) {
  const nlohmann::json document = parse_or_throw(text, where);
  if (!document.is_object()) {
    throw InputError(ErrorCode::BadInput, std::string(where),
                     fmt::format("<JSON {}>", document.type_name()), "must be a JSON object");
  }
  const auto found = document.find("resourceType");
  if (found == document.end()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.resourceType", where), "",
                     fmt::format("is required and must be \"{}\"", resource_type));
  }
  if (!found->is_string() || found->get_ref<const std::string&>() != resource_type) {
    // resourceType is a FHIR type name, not PHI; it is shortened in case it is garbage.
    std::string shown = found->dump();
    if (shown.size() > 64) shown = shown.substr(0, 64) + "...";
    throw InputError(ErrorCode::BadInput, fmt::format("{}.resourceType", where), shown,
                     fmt::format("must be \"{}\"", resource_type));
  }
}

}  // namespace ptwin::store::detail
