// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/raw_array_elements.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir {
namespace {

[[noreturn]] void fail(std::string_view source, std::string_view member, simdjson::error_code code) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", source, member), "",
                   fmt::format("cannot locate its elements in the received bytes: {}",
                               simdjson::error_message(code)));
}

// simdjson 3.0 has raw_json() for objects and arrays and raw_json_token() for scalars; both
// hand the text back with the whitespace that follows it, which is not part of the element.
std::string_view without_trailing_space(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

simdjson::simdjson_result<std::string_view> raw_text(simdjson::ondemand::value& element) {
  simdjson::ondemand::json_type type{};
  if (const auto error = element.type().get(type); error) return error;
  std::string_view text;
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (const auto error = element.get_object().get(object); error) return error;
    if (const auto error = object.raw_json().get(text); error) return error;
  } else if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (const auto error = element.get_array().get(array); error) return error;
    if (const auto error = array.raw_json().get(text); error) return error;
  } else {
    text = element.raw_json_token();
  }
  return without_trailing_space(text);
}

}  // namespace

std::vector<std::string> raw_array_elements(std::string_view json_text, std::string_view member,
                                            std::string_view source) {
  const simdjson::padded_string padded(json_text);
  simdjson::ondemand::parser parser;
  auto document = parser.iterate(padded);
  simdjson::ondemand::object root;
  if (const auto error = document.get_object().get(root); error) fail(source, member, error);
  simdjson::ondemand::value field;
  const auto lookup = root.find_field_unordered(member).get(field);
  if (lookup == simdjson::NO_SUCH_FIELD) return {};
  if (lookup) fail(source, member, lookup);
  simdjson::ondemand::array array;
  if (const auto error = field.get_array().get(array); error) fail(source, member, error);
  std::vector<std::string> elements;
  for (auto element_result : array) {
    simdjson::ondemand::value element;
    std::string_view raw;
    if (const auto error = element_result.get(element); error) fail(source, member, error);
    if (const auto error = raw_text(element).get(raw); error) fail(source, member, error);
    elements.emplace_back(raw);
  }
  return elements;
}

}  // namespace ptwin::ingest::fhir
