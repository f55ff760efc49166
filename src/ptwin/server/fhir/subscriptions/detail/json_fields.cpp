// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir::subscriptions::detail {
namespace {

constexpr std::string_view kCoreStructurePrefix = "http://hl7.org/fhir/StructureDefinition/";
constexpr std::size_t kMaxShownBytes = 512;

[[noreturn]] void fail(std::string_view where, std::string_view key, std::string_view value,
                       std::string_view rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, key), shown(value),
                   std::string(rule));
}

std::string kind_of(const nlohmann::json& value) { return value.type_name(); }

}  // namespace

void require_resource_type(const nlohmann::json& resource, std::string_view expected) {
  const nlohmann::json* type = member(resource, "resourceType");
  if (type != nullptr && type->is_string() && type->get_ref<const std::string&>() == expected) {
    return;
  }
  std::string found = resource.type_name();
  if (type != nullptr) found = type->is_string() ? type->get<std::string>() : type->type_name();
  throw InputError(ErrorCode::BadInput, fmt::format("{}.resourceType", expected), shown(found),
                   fmt::format("must be {}", expected));
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view key,
                                           std::string_view where) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) fail(where, key, kind_of(*value), "must be a JSON string");
  auto text = value->get<std::string>();
  if (text.empty()) fail(where, key, text, "must not be empty (FHIR strings have a value)");
  return text;
}

std::string required_string(const nlohmann::json& object, std::string_view key,
                            std::string_view where) {
  auto text = optional_string(object, key, where);
  if (!text) fail(where, key, "", "is required (cardinality 1..1)");
  return std::move(*text);
}

std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view key,
                                  std::string_view where) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) fail(where, key, kind_of(*value), "must be a JSON boolean");
  return value->get<bool>();
}

std::vector<std::string> string_list(const nlohmann::json& object, std::string_view key,
                                     std::string_view where) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr) return {};
  if (!value->is_array()) fail(where, key, kind_of(*value), "must be a JSON array");
  std::vector<std::string> items;
  for (const nlohmann::json& item : *value) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      fail(where, key, item.is_string() ? "" : kind_of(item),
           "must hold non-empty JSON strings only");
    }
    items.push_back(item.get<std::string>());
  }
  return items;
}

std::vector<const nlohmann::json*> object_list(const nlohmann::json& object, std::string_view key,
                                               std::string_view where) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr) return {};
  if (!value->is_array()) fail(where, key, kind_of(*value), "must be a JSON array");
  std::vector<const nlohmann::json*> items;
  for (const nlohmann::json& item : *value) {
    if (!item.is_object()) fail(where, key, kind_of(item), "must hold JSON objects only");
    items.push_back(&item);
  }
  return items;
}

void require_code(std::string_view code, const std::vector<std::string_view>& allowed,
                  std::string_view where) {
  if (std::find(allowed.begin(), allowed.end(), code) != allowed.end()) return;
  throw InputError(ErrorCode::BadInput, std::string(where), shown(code),
                   fmt::format("is not one of {}", fmt::join(allowed, " | ")));
}

std::string shown(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, kMaxShownBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (text.size() > kMaxShownBytes) out += fmt::format("...({} bytes)", text.size());
  return out;
}

std::string quoted(const InputError& error) {
  return fmt::format("{}: '{}' {}", error.where(), error.value(), error.rule());
}

std::optional<std::string> type_of_canonical(std::string_view uri) {
  uri = uri.substr(0, uri.find('|'));
  if (uri.starts_with(kCoreStructurePrefix)) uri.remove_prefix(kCoreStructurePrefix.size());
  const bool is_type_name =
      !uri.empty() && uri.front() >= 'A' && uri.front() <= 'Z' &&
      std::all_of(uri.begin(), uri.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      });
  if (!is_type_name) return std::nullopt;
  return std::string(uri);
}

}  // namespace ptwin::server::fhir::subscriptions::detail
