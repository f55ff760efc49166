// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/indexing/value_rows.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "ptwin/store/fhir/date_range.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

namespace sf = store::fhir;
using nlohmann::json;

std::optional<std::string> text_of(const json& object, std::string_view key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return std::nullopt;
  return found->get<std::string>();
}

// A JSON scalar as FHIR writes it: strings as they are, numbers and booleans as JSON text.
std::optional<std::string> scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

void add_string(const std::string& param, const std::optional<std::string>& text,
                sf::IndexRows& rows) {
  if (text.has_value() && !text->empty()) rows.strings.push_back({param, *text});
}

void add_string_parts(const json& object, std::span<const std::string_view> keys,
                      const std::string& param, sf::IndexRows& rows) {
  for (const std::string_view key : keys) {
    const auto found = object.find(key);
    if (found == object.end()) continue;
    if (found->is_array()) {
      for (const json& part : *found) add_string(param, scalar_text(part), rows);
    } else {
      add_string(param, scalar_text(*found), rows);
    }
  }
}

void add_coding(const json& coding, const std::string& param, sf::IndexRows& rows) {
  sf::TokenIndex row{param, text_of(coding, "system"), text_of(coding, "code"),
                     text_of(coding, "display")};
  if (row.code.has_value() || row.text.has_value()) rows.tokens.push_back(std::move(row));
}

void add_codeable_concept(const json& codeable, const std::string& param, sf::IndexRows& rows) {
  if (const auto codings = codeable.find("coding"); codings != codeable.end() && codings->is_array()) {
    for (const json& coding : *codings) add_coding(coding, param, rows);
  }
  if (auto text = text_of(codeable, "text")) {
    rows.tokens.push_back({param, std::nullopt, std::nullopt, std::move(text)});
  }
}

void add_token(const fhirpath::Node& node, const std::string& param, sf::IndexRows& rows) {
  const json& value = *node.value;
  const std::string& type = node.type;
  if (type == "Coding") {
    add_coding(value, param, rows);
  } else if (type == "CodeableConcept") {
    add_codeable_concept(value, param, rows);
  } else if (type == "CodeableReference") {
    if (const auto codeable = value.find("concept"); codeable != value.end()) {
      add_codeable_concept(*codeable, param, rows);
    }
  } else if (type == "Identifier") {
    std::optional<std::string> type_text;
    if (const auto id_type = value.find("type"); id_type != value.end()) {
      type_text = text_of(*id_type, "text");
    }
    sf::TokenIndex row{param, text_of(value, "system"), text_of(value, "value"), type_text};
    if (row.code.has_value() || row.text.has_value()) rows.tokens.push_back(std::move(row));
  } else if (type == "ContactPoint") {
    if (auto code = text_of(value, "value")) {
      rows.tokens.push_back({param, std::nullopt, std::move(code), std::nullopt});
    }
  } else if (!value.is_object() && !value.is_array()) {
    if (auto code = scalar_text(value)) {
      rows.tokens.push_back({param, std::nullopt, std::move(code), std::nullopt});
    }
  }
}

void add_date_text(const std::string& param, const std::optional<std::string>& text,
                   sf::IndexRows& rows) {
  if (text.has_value()) rows.dates.push_back(sf::date_index(param, *text));
}

void add_period(const json& period, const std::string& param, sf::IndexRows& rows) {
  const auto start = text_of(period, "start");
  const auto end = text_of(period, "end");
  if (!start.has_value() && !end.has_value()) return;
  sf::DateIndex row{param, time::Instant::min(), time::Instant::max()};
  if (start.has_value()) row.low = sf::fhir_date_range(*start, param).low;
  if (end.has_value()) row.high = sf::fhir_date_range(*end, param).high;
  rows.dates.push_back(row);
}

void add_timing(const json& timing, const std::string& param, sf::IndexRows& rows) {
  if (const auto events = timing.find("event"); events != timing.end() && events->is_array()) {
    for (const json& event : *events) add_date_text(param, scalar_text(event), rows);
  }
  if (const auto repeat = timing.find("repeat"); repeat != timing.end()) {
    if (const auto bounds = repeat->find("boundsPeriod"); bounds != repeat->end()) {
      add_period(*bounds, param, rows);
    }
  }
}

void add_date(const fhirpath::Node& node, const std::string& param, sf::IndexRows& rows) {
  const json& value = *node.value;
  if (node.type == "Period") {
    add_period(value, param, rows);
  } else if (node.type == "Timing") {
    add_timing(value, param, rows);
  } else if (value.is_string()) {
    add_date_text(param, value.get<std::string>(), rows);
  }
}

void add_quantity(const fhirpath::Node& node, const std::string& param, sf::IndexRows& rows) {
  const json& value = *node.value;
  if (!value.is_object()) return;
  const auto number = value.find("value");
  if (number == value.end() || !number->is_number()) return;
  if (node.type == "Money") {
    rows.quantities.push_back(sf::quantity_index(param, number->dump(), std::nullopt,
                                                 text_of(value, "currency"), std::nullopt));
    return;
  }
  rows.quantities.push_back(sf::quantity_index(param, number->dump(), text_of(value, "system"),
                                               text_of(value, "code"), text_of(value, "unit")));
}

void add_reference(const fhirpath::Node& node, const std::string& param, sf::IndexRows& rows) {
  const json& value = *node.value;
  std::optional<std::string> reference;
  if (value.is_object()) {
    reference = text_of(value, "reference");
  } else if (value.is_string()) {
    reference = value.get<std::string>();  // canonical / uri
  }
  // A reference to a contained resource ("#id") has no target of its own on this server.
  if (!reference.has_value() || reference->empty() || reference->front() == '#') return;
  rows.references.push_back(sf::reference_index(param, *reference));
}

void add_number(const fhirpath::Node& node, const std::string& param, sf::IndexRows& rows) {
  const json& value = *node.value;
  if (value.is_number_integer()) {
    rows.numbers.push_back(sf::integer_index(param, value.get<std::int64_t>()));
  } else if (value.is_number()) {
    rows.numbers.push_back(sf::number_index(param, value.dump()));
  }
}

constexpr std::array<std::string_view, 5> kHumanNameParts{"family", "given", "prefix", "suffix",
                                                          "text"};
constexpr std::array<std::string_view, 7> kAddressParts{
    "line", "city", "district", "state", "postalCode", "country", "text"};

void append_node(const fhirpath::Node& node, const std::string& param, IndexedType type,
                 sf::IndexRows& rows) {
  if (node.value == nullptr) return;  // a primitive with only extensions
  switch (type) {
    case IndexedType::String:
      if (node.type == "HumanName") {
        add_string_parts(*node.value, kHumanNameParts, param, rows);
      } else if (node.type == "Address") {
        add_string_parts(*node.value, kAddressParts, param, rows);
      } else if (node.value->is_string()) {
        add_string(param, node.value->get<std::string>(), rows);
      }
      return;
    case IndexedType::Token: add_token(node, param, rows); return;
    case IndexedType::Date: add_date(node, param, rows); return;
    case IndexedType::Number: add_number(node, param, rows); return;
    case IndexedType::Quantity: add_quantity(node, param, rows); return;
    case IndexedType::Reference: add_reference(node, param, rows); return;
    case IndexedType::Uri:
      if (node.value->is_string()) rows.uris.push_back({param, node.value->get<std::string>()});
      return;
  }
}

// System values come from expressions that compute (`.lower()`, `iif(...)`); only the text
// forms are indexable.
void append_system_value(const fhirpath::Item& item, const std::string& param, IndexedType type,
                         sf::IndexRows& rows) {
  if (const auto* text = std::get_if<std::string>(&item)) {
    switch (type) {
      case IndexedType::String: add_string(param, *text, rows); return;
      case IndexedType::Token: rows.tokens.push_back({param, std::nullopt, *text, std::nullopt}); return;
      case IndexedType::Uri: rows.uris.push_back({param, *text}); return;
      case IndexedType::Reference: rows.references.push_back(sf::reference_index(param, *text)); return;
      case IndexedType::Date: rows.dates.push_back(sf::date_index(param, *text)); return;
      default: return;
    }
  }
  if (const auto* flag = std::get_if<bool>(&item); flag != nullptr && type == IndexedType::Token) {
    rows.tokens.push_back({param, std::nullopt, *flag ? "true" : "false", std::nullopt});
  }
  if (const auto* integer = std::get_if<std::int64_t>(&item);
      integer != nullptr && type == IndexedType::Number) {
    rows.numbers.push_back(sf::integer_index(param, *integer));
  }
}

}  // namespace

void append_rows(const fhirpath::Item& item, const std::string& param, IndexedType type,
                 store::fhir::IndexRows& rows) {
  if (const auto* node = std::get_if<fhirpath::Node>(&item)) {
    append_node(*node, param, type, rows);
  } else {
    append_system_value(item, param, type, rows);
  }
}

}  // namespace ptwin::ingest::fhir::indexing
