// SPDX-License-Identifier: Apache-2.0
// The functions FHIR R5 adds to FHIRPath (https://hl7.org/fhir/R5/fhirpath.html#functions).
#include <cctype>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"
#include "ptwin/ingest/fhir/fhirpath/detail/html_checks.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

using nlohmann::json;

constexpr std::string_view kCoreProfilePrefix = "http://hl7.org/fhir/StructureDefinition/";

// The object that holds a node's children: the value of a complex element, or the `_name` part
// (id, extension) of a primitive.
const json* object_of(const Node& node) {
  if (node.value != nullptr && node.value->is_object()) return node.value;
  if (node.extension_part != nullptr && node.extension_part->is_object())
    return node.extension_part;
  return nullptr;
}

std::optional<std::string> reference_of(const Item& item) {
  if (const auto* node = std::get_if<Node>(&item)) {
    if (node->value == nullptr) return std::nullopt;
    if (node->value->is_string()) return node->value->get<std::string>();
    if (node->value->is_object()) {
      const auto it = node->value->find("reference");
      if (it != node->value->end() && it->is_string()) return it->get<std::string>();
    }
    return std::nullopt;
  }
  if (const auto* text = std::get_if<std::string>(&item)) return *text;
  return std::nullopt;
}

// "Patient/123", ".../Patient/123/_history/2" -> {"Patient", "123"}.
std::optional<std::pair<std::string, std::string>> type_and_id(std::string_view reference) {
  if (const auto history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const auto slash = reference.rfind('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == reference.size())
    return std::nullopt;
  const auto id = reference.substr(slash + 1);
  const auto before = reference.substr(0, slash);
  const auto type_start = before.rfind('/');
  const auto type = type_start == std::string_view::npos ? before : before.substr(type_start + 1);
  if (type.empty() || !std::isupper(static_cast<unsigned char>(type.front()))) return std::nullopt;
  return std::make_pair(std::string(type), std::string(id));
}

bool has_type_and_id(const json& resource, const std::string& type, const std::string& id) {
  return resource.is_object() && resource.value("resourceType", "") == type &&
         resource.value("id", "") == id;
}

const json* find_contained(const json& container, std::string_view id) {
  const auto contained = container.find("contained");
  if (contained == container.end() || !contained->is_array()) return nullptr;
  for (const auto& resource : *contained) {
    if (resource.is_object() && resource.value("id", "") == id) return &resource;
  }
  return nullptr;
}

const json* find_in_bundle(const json& bundle, const std::string& reference) {
  if (bundle.value("resourceType", "") != "Bundle") return nullptr;
  const auto entries = bundle.find("entry");
  if (entries == bundle.end() || !entries->is_array()) return nullptr;
  const auto wanted = type_and_id(reference);
  for (const auto& entry : *entries) {
    if (!entry.is_object() || !entry.contains("resource")) continue;
    const json& resource = entry.at("resource");
    if (entry.value("fullUrl", "") == reference) return &resource;
    if (wanted && has_type_and_id(resource, wanted->first, wanted->second)) return &resource;
  }
  return nullptr;
}

std::optional<Node> resolve_one(FunctionCall& call, const std::string& reference) {
  const auto& context = call.evaluator().context();
  const json* root = context.root_resource != nullptr ? context.root_resource : context.resource;
  if (!reference.empty() && reference.front() == '#') {
    if (root == nullptr || !root->is_object()) return std::nullopt;
    if (reference.size() == 1) return resource_node(*root);  // "#": the container itself
    const json* contained = find_contained(*root, std::string_view(reference).substr(1));
    if (contained == nullptr) return std::nullopt;
    return resource_node(*contained);
  }
  if (root != nullptr && root->is_object()) {
    if (const json* entry = find_in_bundle(*root, reference)) return resource_node(*entry);
  }
  const auto& options = call.evaluator().options();
  if (options.references != nullptr) {
    if (const json* resource = options.references->resolve(reference))
      return resource_node(*resource);
  }
  if (options.stub_unresolved_references) {
    if (const auto parts = type_and_id(reference)) {
      auto stub =
          std::make_shared<const json>(json{{"resourceType", parts->first}, {"id", parts->second}});
      Node node = resource_node(*stub);
      node.owner = std::move(stub);
      return node;
    }
  }
  return std::nullopt;
}

}  // namespace

Collection extension(FunctionCall& call) {
  const auto url = string_argument(call, 0);
  if (!url) return {};
  Collection out;
  for (const auto& item : call.input()) {
    const auto* node = std::get_if<Node>(&item);
    const json* object = node != nullptr ? object_of(*node) : nullptr;
    if (object == nullptr) continue;
    const auto extensions = object->find("extension");
    if (extensions == object->end() || !extensions->is_array()) continue;
    for (const auto& candidate : *extensions) {
      if (candidate.is_object() && candidate.value("url", "") == *url) {
        Node extension_node;
        extension_node.value = &candidate;
        extension_node.type = "Extension";
        extension_node.owner = node->owner;
        out.emplace_back(std::move(extension_node));
      }
    }
  }
  if (!call.evaluator().charge_navigation(out.size())) {
    Evaluator::fail_navigation(call.site(), out.size());
  }
  return out;
}

Collection has_value(FunctionCall& call) {
  if (call.input().size() != 1) return {Item{false}};
  const Item& item = call.input().front();
  const auto* node = std::get_if<Node>(&item);
  if (node == nullptr) return {Item{!std::holds_alternative<TypeName>(item)}};
  const bool is_primitive = node->type.empty()
                                ? node->value == nullptr || node->value->is_primitive()
                                : is_fhir_primitive(node->type);
  return {Item{is_primitive && node->value != nullptr}};
}

Collection get_value(FunctionCall& call) {
  if (call.input().size() != 1) return {};
  const auto* node = std::get_if<Node>(&call.input().front());
  if (node != nullptr && !node->type.empty() && !is_fhir_primitive(node->type)) return {};
  const auto value = system_value(call.input().front());
  if (!value) return {};
  return {*value};
}

Collection resolve(FunctionCall& call) {
  Collection out;
  for (const auto& item : call.input()) {
    const auto reference = reference_of(item);
    if (!reference) continue;
    if (auto node = resolve_one(call, *reference)) out.emplace_back(std::move(*node));
  }
  return out;
}

Collection html_checks(FunctionCall& call) {
  const auto value = input_value(call);
  if (!value) return {};
  const auto* text = std::get_if<std::string>(&*value);
  if (text == nullptr) return {};
  return {Item{is_safe_narrative(*text)}};
}

Collection conforms_to(FunctionCall& call) {
  const auto url = string_argument(call, 0);
  if (!url) return {};
  if (url->compare(0, kCoreProfilePrefix.size(), kCoreProfilePrefix) != 0) {
    call.fail(*url, "is not a core type; conformance to other profiles needs a validator");
  }
  const std::string type = url->substr(kCoreProfilePrefix.size());
  if (!call.model().is_known_type(type)) call.fail(*url, "is not a known StructureDefinition");
  if (call.input().empty()) return {};
  if (call.input().size() > 1) call.fail(describe(call.input()), "expects a single item");
  const auto* node = std::get_if<Node>(&call.input().front());
  return {Item{node != nullptr && call.model().is_subtype(node->type, type)}};
}

Collection unsupported(FunctionCall& call) {
  call.fail(call.name() + "()",
            "needs a terminology server or a profile validator, which this engine does not have");
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
