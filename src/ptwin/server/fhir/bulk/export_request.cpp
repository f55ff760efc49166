// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/export_request.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    std::string_view part = text.substr(start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

// A FHIR instant: a date-time to at least the second, with a time zone. `name` is the
// parameter (_since, _until).
time::Instant parse_instant(const std::string& value, const std::string& name) {
  const bool has_seconds = value.size() >= 19 && value[16] == ':';
  try {
    if (!has_seconds) throw InputError(ErrorCode::BadInput, name, value, "needs seconds");
    return time::parse_iso8601(value, std::nullopt, name);
  } catch (const InputError&) {
    throw FhirError(400, "invalid",
                    fmt::format("{} '{}' is not a FHIR instant; give e.g. "
                                "2024-05-01T12:00:00Z (seconds and a time zone are required)",
                                name, printable_value(value)),
                    name);
  }
}

// [Type.]name: a resource type (capitalised) and a root element name, letters and digits only.
bool is_element_selection(std::string_view selection) {
  const auto is_name = [](std::string_view text, bool is_type) {
    if (text.empty()) return false;
    const auto first = static_cast<unsigned char>(text.front());
    if (is_type ? std::isupper(first) == 0 : std::islower(first) == 0) return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  };
  const auto dot = selection.find('.');
  if (dot == std::string_view::npos) return is_name(selection, false);
  return is_name(selection.substr(0, dot), true) && is_name(selection.substr(dot + 1), false);
}

TypeFilter parse_type_filter_value(const std::string& value) {
  const std::size_t mark = value.find('?');
  const std::string type = value.substr(0, std::min(mark, value.size()));
  if (mark == std::string::npos || type.empty() || mark + 1 == value.size()) {
    throw FhirError(400, "invalid",
                    fmt::format("_typeFilter '{}' is not a FHIR search 'Type?params' "
                                "(e.g. Observation?status=final)",
                                printable_value(value)),
                    "_typeFilter");
  }
  return {.type = type, .query = value.substr(mark + 1)};
}

// A `patient` value: "Patient/<id>" (IG: a Reference to a Patient).
std::string patient_id(const std::string& value) {
  constexpr std::string_view kPrefix = "Patient/";
  std::string_view id(value);
  if (id.starts_with(kPrefix)) id.remove_prefix(kPrefix.size());
  const bool is_id = value.starts_with(kPrefix) && !id.empty() && id.size() <= 64 &&
                     std::all_of(id.begin(), id.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ||
                              c == '.';
                     });
  if (!is_id) {
    throw FhirError(400, "invalid",
                    fmt::format("patient '{}' is not a reference to a Patient (Patient/<id>)",
                                printable_value(value)),
                    "patient");
  }
  return std::string(id);
}

}  // namespace

bool is_ndjson_output_format(std::string_view value) {
  return value == "application/fhir+ndjson" || value == "application/ndjson" ||
         value == "ndjson";
}

ExportRequest parse_export_request(ExportLevel level,
                                   const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& served_types,
                                   std::string request_url) {
  ExportRequest request;
  request.level = level;
  request.request_url = std::move(request_url);
  std::vector<std::string> unsupported;
  for (const auto& [name, value] : params) {
    if (name == "_outputFormat") {
      if (!is_ndjson_output_format(value)) {
        throw FhirError(400, "not-supported",
                        fmt::format("_outputFormat '{}': this server writes "
                                    "application/fhir+ndjson only",
                                    printable_value(value)),
                        "_outputFormat");
      }
    } else if (name == "_type") {
      for (std::string& type : split_commas(value)) {
        if (!std::binary_search(served_types.begin(), served_types.end(), type)) {
          throw FhirError(400, "not-supported",
                          fmt::format("_type '{}' is not a resource type served here",
                                      printable_value(type)),
                          "_type");
        }
        if (std::find(request.types.begin(), request.types.end(), type) == request.types.end()) {
          request.types.push_back(std::move(type));
        }
      }
    } else if (name == "_since") {
      if (request.since) throw FhirError(400, "invalid", "_since is given more than once", "_since");
      request.since = parse_instant(value, "_since");
    } else if (name == "_until") {
      // Bulk Data IG (OperationDefinition export, _until): resources whose state changed before
      // the given time, i.e. meta.lastUpdated up to it.
      if (request.until) throw FhirError(400, "invalid", "_until is given more than once", "_until");
      request.until = parse_instant(value, "_until");
    } else if (name == "_elements") {
      for (std::string& selection : split_commas(value)) {
        if (!is_element_selection(selection)) {
          throw FhirError(400, "invalid",
                          fmt::format("_elements '{}' is not [Type.]element with a root element "
                                      "name (e.g. Patient.name or status)",
                                      printable_value(selection)),
                          "_elements");
        }
        if (std::find(request.elements.begin(), request.elements.end(), selection) ==
            request.elements.end()) {
          request.elements.push_back(std::move(selection));
        }
      }
    } else if (name == "_typeFilter") {
      request.type_filters.push_back(parse_type_filter_value(value));
    } else if (name == "patient") {
      if (level == ExportLevel::System) {
        throw FhirError(400, "invalid",
                        fmt::format("patient '{}': the patient parameter applies to "
                                    "Patient/$export and Group/[id]/$export, not to $export",
                                    printable_value(value)),
                        "patient");
      }
      if (!request.patients) request.patients.emplace();
      for (const std::string& reference : split_commas(value)) {
        std::string id = patient_id(reference);
        if (std::find(request.patients->begin(), request.patients->end(), id) ==
            request.patients->end()) {
          request.patients->push_back(std::move(id));
        }
      }
    } else if (std::find(unsupported.begin(), unsupported.end(), name) == unsupported.end()) {
      unsupported.push_back(name);
    }
  }
  if (!unsupported.empty()) {
    std::string names;
    for (const std::string& name : unsupported) {
      if (!names.empty()) names.append(", ");
      names.append(printable_value(name));
    }
    throw FhirError(400, "not-supported",
                    fmt::format("$export parameter(s) not supported here: {}; this server takes "
                                "_outputFormat, _type, _since, _until, _elements, _typeFilter "
                                "and patient",
                                names));
  }
  if (request.since && request.until && *request.until <= *request.since) {
    throw FhirError(400, "invalid",
                    fmt::format("_until {} is not later than _since {}: nothing could be "
                                "exported; give an _until after _since",
                                time::format_iso8601(*request.until),
                                time::format_iso8601(*request.since)),
                    "_until");
  }
  if (request.types.empty()) request.types = served_types;
  for (const TypeFilter& filter : request.type_filters) {
    if (std::find(request.types.begin(), request.types.end(), filter.type) ==
        request.types.end()) {
      throw FhirError(400, "invalid",
                      fmt::format("_typeFilter '{}?{}': {} is not among the types exported "
                                  "(_type); add it to _type or drop the filter",
                                  printable_value(filter.type), printable_value(filter.query),
                                  printable_value(filter.type)),
                      "_typeFilter");
    }
  }
  return request;
}

std::vector<std::pair<std::string, std::string>> parameters_body(std::string_view body) {
  nlohmann::json parameters;
  try {
    parameters = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& error) {
    throw FhirError(400, "structure",
                    fmt::format("the $export body is not JSON: {}", error.what()));
  }
  // Read resourceType only when it is a string: value() throws type_error for an array.
  const auto type = parameters.is_object() ? parameters.find("resourceType") : parameters.end();
  if (!parameters.is_object() || type == parameters.end() || !type->is_string() ||
      type->get_ref<const std::string&>() != "Parameters") {
    throw FhirError(400, "structure",
                    "the $export body must be a FHIR Parameters resource (resourceType "
                    "'Parameters')",
                    "Parameters");
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  const auto list = parameters.find("parameter");
  if (list == parameters.end()) return pairs;
  if (!list->is_array()) {
    throw FhirError(400, "structure", "Parameters.parameter must be an array",
                    "Parameters.parameter");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& parameter = (*list)[i];
    const std::string where = fmt::format("Parameters.parameter[{}]", i);
    if (!parameter.is_object() || !parameter.contains("name") ||
        !parameter.at("name").is_string()) {
      throw FhirError(400, "structure", fmt::format("{} has no name", where), where);
    }
    const std::string name = parameter.at("name").get<std::string>();
    std::optional<std::string> value;
    for (const char* key : {"valueString", "valueInstant", "valueCode", "valueUri", "valueUrl",
                            "valueCanonical", "valueDateTime"}) {
      if (const auto found = parameter.find(key);
          found != parameter.end() && found->is_string()) {
        value = found->get<std::string>();
      }
    }
    if (const auto found = parameter.find("valueBoolean");
        found != parameter.end() && found->is_boolean()) {
      value = found->get<bool>() ? "true" : "false";
    }
    if (const auto found = parameter.find("valueReference");
        found != parameter.end() && found->is_object() && found->contains("reference") &&
        found->at("reference").is_string()) {
      value = found->at("reference").get<std::string>();
    }
    if (!value) {
      throw FhirError(400, "structure",
                      fmt::format("{} ('{}') has no value this server reads (valueString, "
                                  "valueInstant, valueCode, valueReference.reference, ...)",
                                  where, printable_value(name)),
                      where);
    }
    pairs.emplace_back(name, std::move(*value));
  }
  return pairs;
}

namespace {

std::string_view level_code(ExportLevel level) {
  switch (level) {
    case ExportLevel::System: return "system";
    case ExportLevel::Patient: return "patient";
    case ExportLevel::Group: return "group";
  }
  return "system";
}

ExportLevel level_from_code(const std::string& code) {
  if (code == "system") return ExportLevel::System;
  if (code == "patient") return ExportLevel::Patient;
  if (code == "group") return ExportLevel::Group;
  throw Error(ErrorCode::Internal,
              fmt::format("export job row: the stored request has an unknown level '{}'", code));
}

}  // namespace

nlohmann::json to_json(const ExportRequest& request) {
  nlohmann::json json = {{"level", level_code(request.level)},
                         {"types", request.types},
                         {"request", request.request_url}};
  if (request.since) json["since_ns"] = time::to_epoch_ns(*request.since);
  if (request.until) json["until_ns"] = time::to_epoch_ns(*request.until);
  if (!request.elements.empty()) json["elements"] = request.elements;
  if (!request.type_filters.empty()) {
    nlohmann::json filters = nlohmann::json::array();
    for (const TypeFilter& filter : request.type_filters) {
      filters.push_back({{"type", filter.type}, {"query", filter.query}});
    }
    json["type_filters"] = std::move(filters);
  }
  if (request.patients) json["patients"] = *request.patients;
  if (request.level == ExportLevel::Group) {
    json["group"] = request.group_id;
    json["group_patients"] = request.group_patients;
  }
  if (!request.base_url.empty()) json["base_url"] = request.base_url;
  return json;
}

ExportRequest export_request_from_json(const nlohmann::json& json) {
  try {
    ExportRequest request;
    request.level = level_from_code(json.at("level").get<std::string>());
    request.types = json.at("types").get<std::vector<std::string>>();
    request.request_url = json.at("request").get<std::string>();
    if (json.contains("since_ns")) {
      request.since = time::from_epoch_ns(json.at("since_ns").get<std::int64_t>());
    }
    if (json.contains("until_ns")) {
      request.until = time::from_epoch_ns(json.at("until_ns").get<std::int64_t>());
    }
    if (json.contains("elements")) {
      request.elements = json.at("elements").get<std::vector<std::string>>();
    }
    for (const nlohmann::json& filter : json.value("type_filters", nlohmann::json::array())) {
      request.type_filters.push_back({.type = filter.at("type").get<std::string>(),
                                      .query = filter.at("query").get<std::string>()});
    }
    if (json.contains("patients")) {
      request.patients = json.at("patients").get<std::vector<std::string>>();
    }
    if (request.level == ExportLevel::Group) {
      request.group_id = json.at("group").get<std::string>();
      request.group_patients = json.at("group_patients").get<std::vector<std::string>>();
    }
    request.base_url = json.value("base_url", "");
    return request;
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorCode::Internal,
                fmt::format("export job row: the stored request is damaged: {}", error.what()));
  }
}

}  // namespace ptwin::server::fhir::bulk
