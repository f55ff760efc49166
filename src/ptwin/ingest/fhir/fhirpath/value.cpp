// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/value.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/fhirpath/errors.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

using nlohmann::json;

// FHIR R5 primitive types (https://hl7.org/fhir/R5/datatypes.html#primitive).
constexpr std::array<std::string_view, 21> kPrimitiveTypes{
    "base64Binary", "boolean", "canonical",   "code",      "date",     "dateTime", "decimal",
    "id",           "instant", "integer",     "integer64", "markdown", "oid",      "positiveInt",
    "string",       "time",    "unsignedInt", "uri",       "url",      "uuid",     "xhtml"};

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), value) != options.end();
}

[[noreturn]] void bad_value(const Node& node, std::string_view expected) {
  throw EvaluationError(fmt::format("FHIR element of type '{}'", node.type),
                        printable_value(node.value->dump()),
                        fmt::format("is not a valid {}", expected));
}

Item integer_value(const Node& node) {
  const json& value = *node.value;
  if (value.is_number_integer()) return Item{value.get<std::int64_t>()};
  // integer64 travels as a JSON string (FHIR R5 JSON §"integer64").
  if (value.is_string()) {
    const auto parsed = Decimal::parse(value.get<std::string>());
    if (parsed && parsed->scale() == 0 && parsed->to_int64()) return Item{*parsed->to_int64()};
  }
  bad_value(node, "integer");
}

Item decimal_value(const Node& node) {
  const json& value = *node.value;
  if (value.is_number_integer()) return Item{Decimal::from_integer(value.get<std::int64_t>())};
  if (value.is_number_float()) {
    if (const auto decimal = Decimal::from_double(value.get<double>())) return Item{*decimal};
  }
  bad_value(node, "decimal");
}

Item temporal_value(const Node& node) {
  if (!node.value->is_string()) bad_value(node, node.type);
  const auto& text = node.value->get_ref<const std::string&>();
  std::optional<Temporal> parsed;
  if (node.type == "date") {
    parsed = Temporal::parse_date(text);
  } else if (node.type == "time") {
    parsed = Temporal::parse_time(text);
  } else {
    parsed = Temporal::parse_date_time(text);
  }
  if (!parsed) bad_value(node, node.type);
  return Item{*parsed};
}

// A node whose type is unknown: the JSON kind decides.
std::optional<Item> untyped_value(const json& value) {
  if (value.is_boolean()) return Item{value.get<bool>()};
  if (value.is_number_integer()) return Item{value.get<std::int64_t>()};
  if (value.is_number_float()) {
    if (const auto decimal = Decimal::from_double(value.get<double>())) return Item{*decimal};
    return std::nullopt;
  }
  if (value.is_string()) return Item{value.get<std::string>()};
  return std::nullopt;
}

std::optional<Item> node_value(const Node& node) {
  if (node.value == nullptr || node.value->is_null()) return std::nullopt;
  if (node.type.empty()) return untyped_value(*node.value);
  if (!is_fhir_primitive(node.type)) return std::nullopt;
  const std::string& type = node.type;
  if (type == "boolean") {
    if (!node.value->is_boolean()) bad_value(node, "boolean");
    return Item{node.value->get<bool>()};
  }
  if (is_one_of(type, {"integer", "unsignedInt", "positiveInt", "integer64"}))
    return integer_value(node);
  if (type == "decimal") return decimal_value(node);
  if (is_one_of(type, {"date", "dateTime", "instant", "time"})) return temporal_value(node);
  if (!node.value->is_string()) bad_value(node, type);
  return Item{node.value->get<std::string>()};
}

}  // namespace

bool is_fhir_primitive(std::string_view type) {
  return std::find(kPrimitiveTypes.begin(), kPrimitiveTypes.end(), type) != kPrimitiveTypes.end();
}

TypeName type_of(const Item& item) {
  struct Visitor {
    TypeName operator()(bool) const { return {"System", "Boolean"}; }
    TypeName operator()(std::int64_t) const { return {"System", "Integer"}; }
    TypeName operator()(const Decimal&) const { return {"System", "Decimal"}; }
    TypeName operator()(const std::string&) const { return {"System", "String"}; }
    TypeName operator()(const Temporal& t) const {
      switch (t.kind) {
        case TemporalKind::Date:
          return {"System", "Date"};
        case TemporalKind::DateTime:
          return {"System", "DateTime"};
        case TemporalKind::Time:
          return {"System", "Time"};
      }
      return {"System", "DateTime"};
    }
    TypeName operator()(const Quantity&) const { return {"System", "Quantity"}; }
    TypeName operator()(const Node& node) const { return {"FHIR", node.type}; }
    TypeName operator()(const TypeName&) const { return {"System", "Object"}; }
  };
  return std::visit(Visitor{}, item);
}

std::optional<Item> system_value(const Item& item) {
  if (const auto* node = std::get_if<Node>(&item)) return node_value(*node);
  return item;
}

std::optional<Quantity> quantity_of_node(const Node& node) {
  if (node.value == nullptr || !node.value->is_object()) return std::nullopt;
  const json& object = *node.value;
  const auto value_it = object.find("value");
  if (value_it == object.end() || !value_it->is_number()) return std::nullopt;
  const auto value = value_it->is_number_float()
                         ? Decimal::from_double(value_it->get<double>())
                         : Decimal::from_integer(value_it->get<std::int64_t>());
  if (!value) return std::nullopt;
  const auto text = [&](const char* key) -> std::string {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string code = text("code");
  const bool is_ucum = text("system") == "http://unitsofmeasure.org";
  std::string unit = is_ucum && !code.empty() ? code : text("unit");
  if (unit.empty()) unit = code.empty() ? "1" : code;
  return Quantity{*value, unit};
}

std::string describe(const Item& item) {
  struct Visitor {
    std::string operator()(bool value) const { return value ? "true" : "false"; }
    std::string operator()(std::int64_t value) const { return std::to_string(value); }
    std::string operator()(const Decimal& value) const { return value.to_string(); }
    std::string operator()(const std::string& value) const { return fmt::format("'{}'", value); }
    std::string operator()(const Temporal& value) const {
      return fmt::format("@{}", value.to_string());
    }
    std::string operator()(const Quantity& value) const { return value.to_string(); }
    std::string operator()(const Node& node) const {
      const std::string type = node.type.empty() ? "element" : node.type;
      if (node.value == nullptr) return fmt::format("{} (no value)", type);
      return node.value->is_primitive() ? fmt::format("{} {}", type, node.value->dump()) : type;
    }
    std::string operator()(const TypeName& value) const {
      return fmt::format("{}.{}", value.namespace_name, value.name);
    }
  };
  return printable_value(std::visit(Visitor{}, item));
}

std::string describe(const Collection& items) {
  if (items.empty()) return "{}";
  if (items.size() == 1) return describe(items.front());
  std::string text = fmt::format("{} items: ", items.size());
  for (std::size_t i = 0; i < items.size() && i < 3; ++i) {
    text += (i > 0 ? ", " : "") + describe(items[i]);
  }
  if (items.size() > 3) text += ", ...";
  return printable_value(text);
}

}  // namespace ptwin::ingest::fhir::fhirpath
