// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/topic_trigger.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/fhirpath/errors.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"
#include "ptwin/store/fhir/criterion_match.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace fhirpath = ingest::fhir::fhirpath;

const std::vector<std::string_view> kInteractionCodes{"create", "update", "delete"};
const std::vector<std::string_view> kAbsentResultCodes{"test-passes", "test-fails"};

AbsentVersionResult absent_result(const nlohmann::json& query, std::string_view key,
                                  const std::string& where) {
  const std::optional<std::string> code = detail::optional_string(query, key, where);
  if (!code) return AbsentVersionResult::Unspecified;
  detail::require_code(*code, kAbsentResultCodes, fmt::format("{}.{}", where, key));
  return *code == "test-passes" ? AbsentVersionResult::Passes : AbsentVersionResult::Fails;
}

std::optional<CriteriaTest> criteria_test(const nlohmann::json& query, std::string_view key,
                                          const std::string& where, const std::string& type,
                                          const CompileContext& context) {
  std::optional<std::string> text = detail::optional_string(query, key, where);
  if (!text) return std::nullopt;
  std::vector<store::fhir::Criterion> criteria =
      parse_single_resource_criteria(context, type, *text, fmt::format("{}.{}", where, key));
  return CriteriaTest{.text = std::move(*text), .criteria = std::move(criteria)};
}

QueryCriteria compile_query(const nlohmann::json& query, const std::string& where,
                            const std::string& type, const CompileContext& context) {
  if (!query.is_object()) {
    throw InputError(ErrorCode::BadInput, where, query.type_name(), "must be a JSON object");
  }
  return QueryCriteria{
      .previous = criteria_test(query, "previous", where, type, context),
      .current = criteria_test(query, "current", where, type, context),
      .result_for_create = absent_result(query, "resultForCreate", where),
      .result_for_delete = absent_result(query, "resultForDelete", where),
      .require_both = detail::optional_bool(query, "requireBoth", where).value_or(false)};
}

// One query test on one version; a version that does not exist takes `when_absent`.
bool version_passes(const std::optional<CriteriaTest>& test, const ResourceChange& change,
                    Version which, AbsentVersionResult when_absent, time::Instant now) {
  if (change.version(which) == nullptr) return when_absent == AbsentVersionResult::Passes;
  const VersionIndex& index = change.index(which);
  return store::fhir::matches_all(test->criteria, index.rows, now, index.facts());
}

std::string describe_result(const fhirpath::Collection& result) {
  if (result.size() != 1) return fmt::format("{} items", result.size());
  const fhirpath::TypeName type = fhirpath::type_of(result.front());
  return fmt::format("one {}.{}", type.namespace_name, type.name);
}

// The Boolean a one-item result stands for: a System Boolean, or a FHIR boolean element.
std::optional<bool> boolean_of(const fhirpath::Item& item) {
  if (const bool* value = std::get_if<bool>(&item)) return *value;
  if (std::holds_alternative<fhirpath::Node>(item)) {
    const std::optional<fhirpath::Item> value = fhirpath::system_value(item);
    if (value && std::holds_alternative<bool>(*value)) return std::get<bool>(*value);
  }
  return std::nullopt;
}

fhirpath::Collection version_variable(const ResourceChange& change, Version which) {
  const nlohmann::json* resource = change.version(which);
  if (resource == nullptr) return {};
  return {fhirpath::resource_node(*resource)};
}

}  // namespace

ResourceTrigger compile_trigger(const nlohmann::json& element, std::string where,
                                const CompileContext& context) {
  ResourceTrigger trigger;
  trigger.resource_type = resource_type_of(
      context, detail::required_string(element, "resource", where), where + ".resource");
  const std::vector<std::string> codes =
      detail::string_list(element, "supportedInteraction", where);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    detail::require_code(codes[i], kInteractionCodes,
                         fmt::format("{}.supportedInteraction[{}]", where, i));
    const Interaction interaction = *interaction_from_code(codes[i]);
    if (std::find(trigger.interactions.begin(), trigger.interactions.end(), interaction) ==
        trigger.interactions.end()) {
      trigger.interactions.push_back(interaction);
    }
  }
  if (codes.empty()) {
    trigger.interactions = {Interaction::Create, Interaction::Update, Interaction::Delete};
  }
  if (const nlohmann::json* query = detail::member(element, "queryCriteria")) {
    trigger.query = compile_query(*query, where + ".queryCriteria", trigger.resource_type, context);
  }
  if (const auto text = detail::optional_string(element, "fhirPathCriteria", where)) {
    try {
      trigger.fhirpath = fhirpath::Expression::compile(*text);
    } catch (const fhirpath::ParseError& error) {
      throw InputError(ErrorCode::BadInput, where + ".fhirPathCriteria", detail::shown(*text),
                       fmt::format("is not FHIRPath: {}", detail::quoted(error)));
    }
  }
  trigger.where = std::move(where);
  return trigger;
}

bool query_criteria_pass(const QueryCriteria& query, const ResourceChange& change,
                         time::Instant now) {
  const bool has_previous = query.previous.has_value();
  const bool has_current = query.current.has_value();
  if (!has_previous && !has_current) return true;
  const auto previous = [&] {
    return version_passes(query.previous, change, Version::Previous, query.result_for_create, now);
  };
  const auto current = [&] {
    return version_passes(query.current, change, Version::Current, query.result_for_delete, now);
  };
  if (!has_current) return previous();
  if (!has_previous) return current();
  return query.require_both ? previous() && current() : previous() || current();
}

bool fhirpath_criteria_pass(const fhirpath::Expression& expression, const ResourceChange& change,
                            const TriggerEnvironment& environment, std::string_view where) {
  const nlohmann::json& focus = change.focus();
  fhirpath::EvaluationOptions options;
  options.types = &environment.types;
  options.clock = &environment.clock;
  // A topic is written for one resource type: an element name that type does not define is
  // a mistake in the topic, reported instead of reading as "never fires".
  options.strict_paths = true;
  options.variables.emplace("previous", version_variable(change, Version::Previous));
  options.variables.emplace("current", version_variable(change, Version::Current));
  const fhirpath::EvaluationContext context{
      .focus = {fhirpath::resource_node(focus)}, .resource = &focus, .root_resource = nullptr};
  const std::string location = fmt::format("{}.fhirPathCriteria", where);
  fhirpath::Collection result;
  std::optional<bool> value;
  try {
    result = fhirpath::evaluate(expression, context, options);
    if (result.size() == 1) value = boolean_of(result.front());
  } catch (const InputError& error) {
    // where() and rule() name the function, the position and the rule; value() may quote the
    // resource, so it is left out.
    throw InputError(ErrorCode::BadInput, location, detail::shown(expression.text()),
                     fmt::format("failed on {}/{}: {}: {}", change.resource_type(), change.id(),
                                 error.where(), error.rule()));
  }
  if (result.empty()) return false;
  if (value) return *value;
  throw InputError(ErrorCode::BadInput, location, detail::shown(expression.text()),
                   fmt::format("returned {} on {}/{}; a trigger needs one Boolean (or nothing, "
                               "which does not fire)",
                               describe_result(result), change.resource_type(), change.id()));
}

bool fires(const ResourceTrigger& trigger, const ResourceChange& change,
           const TriggerEnvironment& environment) {
  if (change.resource_type() != trigger.resource_type) return false;
  if (std::find(trigger.interactions.begin(), trigger.interactions.end(), change.interaction()) ==
      trigger.interactions.end()) {
    return false;
  }
  if (trigger.query && !query_criteria_pass(*trigger.query, change, environment.now)) {
    return false;
  }
  return !trigger.fhirpath ||
         fhirpath_criteria_pass(*trigger.fhirpath, change, environment, trigger.where);
}

}  // namespace ptwin::server::fhir::subscriptions
