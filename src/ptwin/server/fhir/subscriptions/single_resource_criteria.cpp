// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/single_resource_criteria.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"
#include "ptwin/server/http/http_message.hpp"
#include "ptwin/store/fhir/criterion_match.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

[[noreturn]] void fail(std::string_view where, std::string_view text, std::string_view rule) {
  throw InputError(ErrorCode::BadInput, std::string(where), detail::shown(text), std::string(rule));
}

// The parameter as written in the query, for the error about a chain (the parser has already
// replaced it by its parts).
std::string written_name(const sf::Criterion& criterion) {
  if (criterion.chain) {
    const std::string target = criterion.chain->target_type
                                   ? fmt::format(":{}", *criterion.chain->target_type)
                                   : std::string{};
    return fmt::format("{}{}.{}", criterion.chain->reference_param, target, criterion.param);
  }
  if (criterion.reverse_chain) {
    return fmt::format("_has:{}:{}:{}", criterion.reverse_chain->source_type,
                       criterion.reverse_chain->reference_param, criterion.param);
  }
  return criterion.param;
}

}  // namespace

std::vector<sf::Criterion> parse_single_resource_criteria(const CompileContext& context,
                                                          std::string_view resource_type,
                                                          std::string_view text,
                                                          std::string_view where) {
  std::string_view query = text;
  if (const auto question = query.find('?'); question != std::string_view::npos) {
    const std::string_view type = query.substr(0, question);
    if (!type.empty() && type != resource_type) {
      fail(where, text,
           fmt::format("searches {} but the trigger is on {}", detail::shown(type), resource_type));
    }
    query.remove_prefix(question + 1);
  }
  QueryParams params;
  try {
    params = parse_query(query);
  } catch (const InputError& error) {
    fail(where, text, detail::quoted(error));
  }
  return parse_single_resource_params(context, resource_type, params, where, text);
}

std::vector<sf::Criterion> parse_single_resource_params(const CompileContext& context,
                                                        std::string_view resource_type,
                                                        const QueryParams& params,
                                                        std::string_view where,
                                                        std::string_view shown_text) {
  std::vector<sf::Criterion> criteria;
  try {
    criteria = parse_criteria(context.extractor, resource_type, params, context.base_url);
    for (const sf::Criterion& criterion : criteria) sf::validate(criterion);
  } catch (const FhirError& error) {
    fail(where, shown_text, error.what());
  } catch (const InputError& error) {
    fail(where, shown_text, detail::quoted(error));
  }
  for (const sf::Criterion& criterion : criteria) {
    if (sf::needs_other_resources(criterion)) {
      fail(where, shown_text,
           fmt::format("search parameter '{}' tests other resources than the changed one "
                       "(chain or _has), which a trigger or filter cannot do",
                       written_name(criterion)));
    }
  }
  return criteria;
}

std::string resource_type_of(const CompileContext& context, std::string_view uri,
                             std::string_view where) {
  const std::optional<std::string> type = detail::type_of_canonical(uri);
  if (!type) {
    fail(where, uri,
         "must be a resource type or its core StructureDefinition canonical "
         "(http://hl7.org/fhir/StructureDefinition/<Type>); profiles are not resolved");
  }
  if (!context.definitions.is_resource_type(*type)) {
    fail(where, uri, fmt::format("names '{}', which is not an R5 resource type", *type));
  }
  if (context.definitions.structure(*type).is_abstract) {
    // No resource is of type Resource or DomainResource itself, so such a trigger never fires.
    fail(where, uri, fmt::format("names the abstract type '{}'; name a concrete type", *type));
  }
  return *type;
}

}  // namespace ptwin::server::fhir::subscriptions
