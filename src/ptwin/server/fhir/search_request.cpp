// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/search_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir {
namespace {

namespace sf = store::fhir;
namespace ix = ingest::fhir::indexing;

struct ParamInfo {
  std::string code;
  sf::SearchParamType type = sf::SearchParamType::Token;
};

[[noreturn]] void refuse(std::string_view name, std::string_view why) {
  throw FhirError(400, "invalid", fmt::format("search parameter '{}': {}", name, why), std::string(name));
}

std::optional<ParamInfo> lookup(const ix::IndexExtractor& parameters, std::string_view type,
                                std::string_view code) {
  if (code == sf::kIdParam) return ParamInfo{std::string(code), sf::SearchParamType::Token};
  if (code == sf::kLastUpdatedParam) return ParamInfo{std::string(code), sf::SearchParamType::Date};
  const ix::IndexedParameter* found = parameters.find_parameter(type, code);
  if (found == nullptr) return std::nullopt;
  return ParamInfo{found->code, ix::to_store_type(found->type)};
}

ParamInfo require(const ix::IndexExtractor& parameters, std::string_view type,
                  std::string_view code, std::string_view name) {
  auto info = lookup(parameters, type, code);
  if (!info.has_value()) {
    throw FhirError(400, "not-supported",
                    fmt::format("unknown search parameter '{}' for {}", name, type), std::string(name));
  }
  return *info;
}

sf::Modifier modifier_of(std::string_view text, std::string_view name) {
  if (text.empty()) return sf::Modifier::None;
  if (text == "exact") return sf::Modifier::Exact;
  if (text == "contains") return sf::Modifier::Contains;
  if (text == "text") return sf::Modifier::Text;
  if (text == "not") return sf::Modifier::Not;
  if (text == "missing") return sf::Modifier::Missing;
  if (text == "below") return sf::Modifier::Below;
  if (text == "above") return sf::Modifier::Above;
  refuse(name, fmt::format("modifier ':{}' is not supported", text));
}

sf::ReferenceValue reference_value(std::string_view text, std::string_view base_url,
                                   std::string_view name) {
  std::string local(text);
  if (!base_url.empty() && text.starts_with(base_url) && text.size() > base_url.size() &&
      text[base_url.size()] == '/') {
    local = std::string(text.substr(base_url.size() + 1));
  }
  return sf::parse_reference_value(local, name);
}

sf::SearchValue parse_value(const ParamInfo& info, sf::Modifier modifier, std::string_view text,
                            std::string_view base_url, std::string_view name) {
  switch (info.type) {
    case sf::SearchParamType::String: return sf::StringValue{sf::unescape_search_value(text, name)};
    case sf::SearchParamType::Token:
      if (modifier == sf::Modifier::Text) return sf::StringValue{sf::unescape_search_value(text, name)};
      return sf::parse_token_value(text, name);
    case sf::SearchParamType::Date: return sf::parse_date_value(text, name);
    case sf::SearchParamType::Number: return sf::parse_number_value(text, name);
    case sf::SearchParamType::Quantity: return sf::parse_quantity_value(text, name);
    case sf::SearchParamType::Reference: return reference_value(text, base_url, name);
    case sf::SearchParamType::Uri: return sf::UriValue{sf::unescape_search_value(text, name)};
  }
  refuse(name, "unsupported type");
}

// name = code[:modifier] | ref[:Type].code[:modifier] | _has:Type:ref:code[:modifier]
sf::Criterion parse_criterion(const ix::IndexExtractor& parameters, std::string_view type,
                              const std::string& name, const std::string& value,
                              std::string_view base_url) {
  sf::Criterion criterion;
  std::string_view rest = name;
  std::string_view target_type = type;
  if (rest.starts_with("_has:")) {
    const auto parts = sf::split_unescaped(rest.substr(5), ':');
    if (parts.size() < 3) refuse(name, "_has needs _has:Type:reference:parameter");
    if (lookup(parameters, parts[0], parts[1]) == std::nullopt) refuse(name, "unknown reference parameter");
    criterion.reverse_chain = sf::ReverseChain{parts[0], parts[1]};
    const std::size_t prefix = 5 + parts[0].size() + 1 + parts[1].size() + 1;
    rest = rest.substr(prefix);
    target_type = std::string_view(name).substr(5, parts[0].size());
  } else if (const auto dot = rest.find('.'); dot != std::string_view::npos) {
    const std::string_view head = rest.substr(0, dot);
    const auto colon = head.find(':');
    const std::string_view reference_code = head.substr(0, colon);
    const ParamInfo reference = require(parameters, type, reference_code, name);
    if (reference.type != sf::SearchParamType::Reference) refuse(name, "chains need a reference parameter");
    criterion.chain = sf::Chain{reference.code, std::nullopt};
    if (colon != std::string_view::npos) {
      criterion.chain->target_type = std::string(head.substr(colon + 1));
      target_type = head.substr(colon + 1);
    } else {
      target_type = {};
    }
    rest = rest.substr(dot + 1);
  }
  const auto colon = rest.find(':');
  const std::string_view code = rest.substr(0, colon);
  const std::string_view modifier_text = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  ParamInfo info;
  if (target_type.empty()) {
    // An untyped chain: the parameter must exist on some type; Patient, Practitioner and
    // Organization cover the usual targets, else the chain must name its type.
    for (const std::string_view candidate : {"Patient", "Practitioner", "Organization", "Group", "Encounter"}) {
      if (auto found = lookup(parameters, candidate, code)) { info = *found; break; }
    }
    if (info.code.empty()) refuse(name, "cannot tell the chained parameter's type: name the target (ref:Type.param)");
  } else {
    info = require(parameters, target_type, code, name);
  }
  criterion.param = info.code;
  criterion.type = info.type;
  // A resource type as modifier restricts a reference's target type (subject:Patient=123).
  const bool is_type_modifier = info.type == sf::SearchParamType::Reference &&
                                sf::is_resource_type_name(modifier_text);
  criterion.modifier = is_type_modifier ? sf::Modifier::None : modifier_of(modifier_text, name);
  if (criterion.modifier == sf::Modifier::Missing) {
    if (value != "true" && value != "false") refuse(name, ":missing takes true or false");
    criterion.values.emplace_back(sf::MissingValue{value == "true"});
    return criterion;
  }
  for (const std::string& part : sf::split_unescaped(value, ',')) {
    sf::SearchValue parsed = parse_value(info, criterion.modifier, part, base_url, name);
    if (is_type_modifier) std::get<sf::ReferenceValue>(parsed).type = std::string(modifier_text);
    criterion.values.push_back(std::move(parsed));
  }
  if (criterion.values.empty()) refuse(name, "has no value");
  return criterion;
}

std::int64_t parse_count(std::string_view name, std::string_view text) {
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size() || number < 0) {
    refuse(name, fmt::format("'{}' is not a non-negative integer", text));
  }
  return number;
}

sf::Include parse_include(std::string_view name, std::string_view text) {
  const auto parts = sf::split_unescaped(text, ':');
  if (parts.size() < 2 || parts.size() > 3 || parts[1] == "*") {
    refuse(name, fmt::format("'{}' is not SourceType:parameter[:TargetType]", text));
  }
  sf::Include include{parts[0], parts[1], std::nullopt};
  if (parts.size() == 3) include.target_type = parts[2];
  return include;
}

// json or xml (the facade answers either; fhir_facade.cpp picks which).
bool is_served_format(std::string_view value) {
  return value == "json" || value == "application/json" || value == "application/fhir+json" ||
         value == "xml" || value == "application/xml" || value == "text/xml" ||
         value == "application/fhir+xml";
}

}  // namespace

std::vector<sf::Criterion> parse_criteria(const ix::IndexExtractor& parameters,
                                          std::string_view resource_type,
                                          const QueryParams& params, std::string_view base_url) {
  std::vector<sf::Criterion> criteria;
  for (const auto& [name, value] : params) {
    if (name.starts_with('_') && name != sf::kIdParam && name != sf::kLastUpdatedParam &&
        !name.starts_with("_has:")) {
      refuse(name, "only search criteria are allowed here");
    }
    criteria.push_back(parse_criterion(parameters, resource_type, name, value, base_url));
  }
  return criteria;
}

SearchRequest parse_search(const ix::IndexExtractor& parameters, std::string_view resource_type,
                           const QueryParams& params, std::string_view base_url) {
  SearchRequest request;
  request.query.resource_type = std::string(resource_type);
  for (const auto& [name, value] : params) {
    if (name != "_offset") request.link_params.emplace_back(name, value);
    if (name == "_count") {
      request.query.count = std::min(parse_count(name, value), sf::kMaxPageSize);
    } else if (name == "_offset") {
      request.query.offset = parse_count(name, value);
    } else if (name == "_format") {
      if (!is_served_format(value)) {
        throw FhirError(406, "not-supported",
                        fmt::format("_format '{}': json or xml is served", value));
      }
    } else if (name == "_total") {
      if (value == "none") request.total = TotalMode::None;
      else if (value != "accurate" && value != "estimate") refuse(name, "takes none, estimate or accurate");
    } else if (name == "_sort") {
      for (const std::string& item : sf::split_unescaped(value, ',')) {
        const bool is_descending = item.starts_with('-');
        const std::string code = is_descending ? item.substr(1) : item;
        const ParamInfo info = require(parameters, resource_type, code, name);
        request.query.sort.push_back({info.code, info.type, is_descending});
      }
    } else if (name == "_include") {
      request.query.includes.push_back(parse_include(name, value));
    } else if (name == "_revinclude") {
      request.query.revincludes.push_back(parse_include(name, value));
    } else if (name.starts_with('_') && name != sf::kIdParam && name != sf::kLastUpdatedParam &&
               !name.starts_with("_has:")) {
      throw FhirError(400, "not-supported", fmt::format("unknown search parameter '{}'", name), name);
    } else {
      request.query.criteria.push_back(
          parse_criterion(parameters, resource_type, name, value, base_url));
    }
  }
  try {
    sf::validate(request.query);
  } catch (const InputError& error) {
    throw FhirError(400, "invalid", error.what());
  }
  return request;
}

std::string encode_query(const QueryParams& params) {
  const auto encode = [](std::string_view text) {
    std::string out;
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
        out += c;
      } else {
        out += fmt::format("%{:02X}", byte);
      }
    }
    return out;
  };
  std::string query;
  for (const auto& [name, value] : params) {
    if (!query.empty()) query += '&';
    query += encode(name) + "=" + encode(value);
  }
  return query;
}

}  // namespace ptwin::server::fhir
