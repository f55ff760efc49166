// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/search_query.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir {
namespace {

[[noreturn]] void fail(std::string_view param, std::string_view value, const std::string& rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("search parameter '{}'", param),
                   printable_value(value), rule);
}

bool is_modifier_allowed(SearchParamType type, Modifier modifier) {
  switch (modifier) {
    case Modifier::None:
    case Modifier::Missing:
      return true;
    case Modifier::Exact:
    case Modifier::Contains:
      return type == SearchParamType::String;
    case Modifier::Text:
    case Modifier::Not:
      return type == SearchParamType::Token;
    case Modifier::Below:
    case Modifier::Above:
      return type == SearchParamType::Uri;
  }
  return false;
}

// The value alternative a criterion of `type` with `modifier` takes.
bool has_expected_kind(const Criterion& criterion, const SearchValue& value) {
  if (criterion.modifier == Modifier::Missing) return std::holds_alternative<MissingValue>(value);
  switch (criterion.type) {
    case SearchParamType::String:
      return std::holds_alternative<StringValue>(value);
    case SearchParamType::Token:
      return criterion.modifier == Modifier::Text ? std::holds_alternative<StringValue>(value)
                                                  : std::holds_alternative<TokenValue>(value);
    case SearchParamType::Date:
      return std::holds_alternative<DateValue>(value);
    case SearchParamType::Number:
      return std::holds_alternative<NumberValue>(value);
    case SearchParamType::Quantity:
      return std::holds_alternative<QuantityValue>(value);
    case SearchParamType::Reference:
      return std::holds_alternative<ReferenceValue>(value);
    case SearchParamType::Uri:
      return std::holds_alternative<UriValue>(value);
  }
  return false;
}

void validate_special(const Criterion& criterion) {
  if (criterion.param == kIdParam) {
    if (criterion.type != SearchParamType::Token ||
        (criterion.modifier != Modifier::None && criterion.modifier != Modifier::Not)) {
      fail(criterion.param, to_string(criterion.modifier), "is a token with no modifier but :not");
    }
    for (const SearchValue& value : criterion.values) {
      const auto& token = std::get<TokenValue>(value);
      if (token.system || !token.code) fail(criterion.param, "", "takes ids without a system");
    }
  }
  if (criterion.param == kLastUpdatedParam &&
      (criterion.type != SearchParamType::Date || criterion.modifier != Modifier::None)) {
    fail(criterion.param, to_string(criterion.type), "is a date with no modifier");
  }
}

void validate_links(const Criterion& criterion) {
  if (criterion.chain && criterion.reverse_chain) {
    fail(criterion.param, "", "cannot be both chained and reverse-chained (_has)");
  }
  if (criterion.chain &&
      (criterion.chain->reference_param.empty() ||
       (criterion.chain->target_type && !is_resource_type_name(*criterion.chain->target_type)))) {
    fail(criterion.param, criterion.chain->reference_param,
         "chains through an empty reference parameter or an invalid target type");
  }
  if (criterion.reverse_chain && (criterion.reverse_chain->reference_param.empty() ||
                                  !is_resource_type_name(criterion.reverse_chain->source_type))) {
    fail(criterion.param, criterion.reverse_chain->source_type,
         "_has needs a resource type and a reference parameter");
  }
}

void validate_include(const Include& include, std::string_view kind) {
  if (!is_resource_type_name(include.source_type) || include.param.empty() ||
      (include.target_type && !is_resource_type_name(*include.target_type))) {
    fail(kind, include.source_type + ":" + include.param, "must be SourceType:param[:TargetType]");
  }
}

}  // namespace

std::string_view to_string(SearchParamType type) {
  switch (type) {
    case SearchParamType::Number:
      return "number";
    case SearchParamType::Date:
      return "date";
    case SearchParamType::String:
      return "string";
    case SearchParamType::Token:
      return "token";
    case SearchParamType::Reference:
      return "reference";
    case SearchParamType::Quantity:
      return "quantity";
    case SearchParamType::Uri:
      return "uri";
  }
  return "?";
}

std::string_view to_string(Prefix prefix) {
  constexpr std::string_view kCodes[] = {"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"};
  return kCodes[static_cast<int>(prefix)];
}

std::string_view to_string(Modifier modifier) {
  switch (modifier) {
    case Modifier::None:
      return "";
    case Modifier::Exact:
      return ":exact";
    case Modifier::Contains:
      return ":contains";
    case Modifier::Text:
      return ":text";
    case Modifier::Not:
      return ":not";
    case Modifier::Missing:
      return ":missing";
    case Modifier::Below:
      return ":below";
    case Modifier::Above:
      return ":above";
  }
  return "?";
}

void validate(const Criterion& criterion) {
  if (criterion.param.empty()) fail(criterion.param, "", "must have a name");
  if (!is_modifier_allowed(criterion.type, criterion.modifier)) {
    fail(criterion.param, to_string(criterion.modifier),
         fmt::format("is a {} parameter, which does not take this modifier",
                     to_string(criterion.type)));
  }
  if (criterion.values.empty()) fail(criterion.param, "", "needs at least one value");
  if (criterion.modifier == Modifier::Missing && criterion.values.size() != 1) {
    fail(criterion.param, ":missing", "takes exactly one value, true or false");
  }
  for (const SearchValue& value : criterion.values) {
    if (!has_expected_kind(criterion, value)) {
      fail(criterion.param, to_string(criterion.type),
           "has a value of another kind than its type and modifier take");
    }
  }
  validate_special(criterion);
  validate_links(criterion);
}

void validate(const SearchQuery& query) {
  if (!is_resource_type_name(query.resource_type)) {
    fail("resource type", query.resource_type, "must be a FHIR resource type name");
  }
  if (query.count < 0 || query.count > kMaxPageSize) {
    fail("_count", std::to_string(query.count), fmt::format("must be 0 to {}", kMaxPageSize));
  }
  if (query.offset < 0) fail("offset", std::to_string(query.offset), "must not be negative");
  for (const Criterion& criterion : query.criteria) validate(criterion);
  for (const SortKey& key : query.sort) {
    if (key.param.empty()) fail("_sort", "", "names an empty parameter");
  }
  for (const Include& include : query.includes) {
    validate_include(include, "_include");
    if (include.source_type != query.resource_type) {
      fail("_include", include.source_type,
           fmt::format("must start with the searched type {}", query.resource_type));
    }
  }
  for (const Include& include : query.revincludes) {
    validate_include(include, "_revinclude");
    if (include.target_type && *include.target_type != query.resource_type) {
      fail("_revinclude", *include.target_type,
           fmt::format("targets another type than the searched {}", query.resource_type));
    }
  }
}

}  // namespace ptwin::store::fhir
