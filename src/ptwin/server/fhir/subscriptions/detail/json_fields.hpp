// SPDX-License-Identifier: Apache-2.0
#pragma once
// Readers for the elements a SubscriptionTopic or Subscription is compiled from. Each checks
// the JSON kind the R5 StructureDefinition gives the element and throws InputError(BadInput)
// naming `where` (the resource and the element path) and the offending value otherwise, so a
// resource that reaches the registry without having passed the validator still fails loudly.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir::subscriptions::detail {

/// Throws InputError(BadInput) unless `resource` is a JSON object whose resourceType is
/// `expected`.
void require_resource_type(const nlohmann::json& resource, std::string_view expected);

/// `object[key]`, nullptr when absent.
[[nodiscard]] const nlohmann::json* member(const nlohmann::json& object, std::string_view key);

/// A string element: nullopt when absent; throws when present but not a non-empty string.
[[nodiscard]] std::optional<std::string> optional_string(const nlohmann::json& object,
                                                         std::string_view key,
                                                         std::string_view where);

/// As optional_string, but an absent element throws too (cardinality 1..1).
[[nodiscard]] std::string required_string(const nlohmann::json& object, std::string_view key,
                                          std::string_view where);

/// A boolean element: nullopt when absent; throws when present but not a JSON boolean.
[[nodiscard]] std::optional<bool> optional_bool(const nlohmann::json& object, std::string_view key,
                                                std::string_view where);

/// A repeating string element (empty when absent); throws when not an array of strings.
[[nodiscard]] std::vector<std::string> string_list(const nlohmann::json& object,
                                                   std::string_view key, std::string_view where);

/// A repeating backbone element (empty when absent); throws when not an array of objects.
[[nodiscard]] std::vector<const nlohmann::json*> object_list(const nlohmann::json& object,
                                                             std::string_view key,
                                                             std::string_view where);

/// Throws when `code` is not one of `allowed` (a required binding).
void require_code(std::string_view code, const std::vector<std::string_view>& allowed,
                  std::string_view where);

/// Text from a definition (a url, a criteria string, an expression) as shown in an error
/// message: control characters escaped, cut after 512 bytes. Unlike printable_value() the
/// usual expression fits whole: definitions are not patient data and are fixed by reading them.
[[nodiscard]] std::string shown(std::string_view text);

/// An InputError's where, value and rule without its error-code suffix, for quoting it inside
/// another error's message.
[[nodiscard]] std::string quoted(const InputError& error);

/// The resource type a `resource` element names: a bare type ("Encounter") or the core
/// canonical "http://hl7.org/fhir/StructureDefinition/Encounter", optionally with "|version".
/// nullopt for any other canonical (a profile), which the registry does not resolve.
[[nodiscard]] std::optional<std::string> type_of_canonical(std::string_view uri);

}  // namespace ptwin::server::fhir::subscriptions::detail
