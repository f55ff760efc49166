// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a FHIRPath expression evaluates to: an ordered collection of items (FHIRPath N1
// §"Collections"). An item is either a System value (Boolean, Integer, Decimal, String, Date,
// DateTime, Time, Quantity), a Node (an element of a FHIR resource held as JSON, with its FHIR
// type), or the result of type().
//
// Nodes point into the JSON they were navigated from; the caller keeps that JSON alive for as
// long as it uses the result. A Node made by the engine itself (a resolve() stub) owns its JSON.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"
#include "ptwin/ingest/fhir/fhirpath/quantity.hpp"
#include "ptwin/ingest/fhir/fhirpath/temporal.hpp"

namespace ptwin::ingest::fhir::fhirpath {

/// An element of a FHIR JSON resource. A primitive element has `value` (the JSON scalar), its
/// `_name` part (id and extensions) in `extension_part`, or both.
struct Node {
  const nlohmann::json* value = nullptr;
  const nlohmann::json* extension_part = nullptr;
  /// FHIR type name ("HumanName", "code", "Patient", "Questionnaire.item" for a backbone
  /// element); empty when no type information was available.
  std::string type;
  /// Set only when the engine made the JSON (see file comment).
  std::shared_ptr<const nlohmann::json> owner;
};

/// A type as type() reports it: namespace "System" or "FHIR" and the name.
struct TypeName {
  std::string namespace_name;
  std::string name;
};

using Item =
    std::variant<bool, std::int64_t, Decimal, std::string, Temporal, Quantity, Node, TypeName>;
using Collection = std::vector<Item>;

/// FHIR primitive type names (boolean, string, code, dateTime, ...).
[[nodiscard]] bool is_fhir_primitive(std::string_view type);

/// The System type of a value, or the FHIR type of a node.
[[nodiscard]] TypeName type_of(const Item& item);

/// For a node of a FHIR primitive type: its System value, nullopt when it has no value (only
/// extensions). For a complex node: nullopt. For a System value: the value itself.
/// Throws EvaluationError when the JSON does not hold a valid value of the node's type.
[[nodiscard]] std::optional<Item> system_value(const Item& item);

/// A FHIR Quantity-family node (Quantity, Age, Duration, ...) as a System Quantity: the UCUM
/// code when the system is UCUM, the unit text otherwise. nullopt without a value.
[[nodiscard]] std::optional<Quantity> quantity_of_node(const Node& node);

/// The item for an error message, control characters escaped and shortened.
[[nodiscard]] std::string describe(const Item& item);
[[nodiscard]] std::string describe(const Collection& items);

}  // namespace ptwin::ingest::fhir::fhirpath
