// SPDX-License-Identifier: Apache-2.0
#pragma once
// Navigation of FHIR JSON and type tests, on top of a TypeInfoProvider when one is given.
//
// With a provider, an element's type comes from its definition and a choice element `value`
// finds `valueQuantity`, `valueString`, ... by the allowed types. Without one (or for a type it
// does not know) the engine still works on plain JSON: the key is looked up as written, a
// resource's type is its resourceType, a choice is recognised by a key that starts with the
// name followed by a capital letter, and the suffix gives the type. In strict mode an element
// name that a known type does not define is an error (FHIRPath's "semantic error"); otherwise
// the JSON is searched as written, which also lets `Observation.valueQuantity` work (the
// "lenient/polymorphic" behaviour of several engines). The strict check is made by the
// evaluator, over the whole input of a path step.

#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/type_info.hpp"
#include "ptwin/ingest/fhir/fhirpath/value.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {

/// A type named in `is`, `as`, `ofType()`: an optional namespace ("System", "FHIR") and a name.
struct TypeSpecifier {
  std::string namespace_name;  // empty when not qualified
  std::string name;
};
[[nodiscard]] TypeSpecifier parse_type_specifier(std::string_view qualified_name);

class Model {
 public:
  explicit Model(const TypeInfoProvider* types) : types_(types) {}

  /// A Node for a whole resource (its type is its resourceType).
  [[nodiscard]] static Node resource_node(const nlohmann::json& resource);

  /// What the type model says about an element name on a node's type.
  enum class Lookup { Defined, Undefined, NoTypeInformation };

  /// Appends the children of `parent` named `name` to `out`, and says whether `parent`'s type
  /// defines that element. The strict check is the caller's (see Evaluator::member): in a
  /// collection of mixed types, an element needs to be defined by one of them only.
  Lookup child(const Node& parent, std::string_view name, Collection& out) const;
  /// Appends every child of `parent` (FHIRPath children()), in JSON key order.
  void children(const Node& parent, Collection& out) const;

  /// `type` is `ancestor` or derives from it.
  [[nodiscard]] bool is_subtype(std::string_view type, std::string_view ancestor) const;
  /// Whether the FHIR model knows the type (always true without a provider: nothing to check).
  [[nodiscard]] bool is_known_type(std::string_view type) const;
  [[nodiscard]] bool has_provider() const { return types_ != nullptr; }

  /// FHIRPath `is`: System values match System types, nodes match their FHIR type and its
  /// ancestors. With `exact` (as, ofType) a primitive node matches only its own type: a code is
  /// not returned by as(string), as the official test suite expects. Throws EvaluationError for
  /// a type name that neither namespace knows (needs a provider to tell).
  [[nodiscard]] bool matches(const Item& item, const TypeSpecifier& type, bool exact) const;

 private:
  void append_key(const nlohmann::json& object, const std::string& key, const std::string& type,
                  Collection& out) const;
  [[nodiscard]] std::string choice_type_for_key(const std::string& parent_type,
                                                std::string_view key, std::string& element) const;
  [[nodiscard]] std::optional<std::string> base_of(std::string_view type) const;

  const TypeInfoProvider* types_;
};

}  // namespace ptwin::ingest::fhir::fhirpath::detail
