// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/compiled_topic.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

const std::vector<std::string_view> kStatusCodes{"draft", "active", "retired", "unknown"};
const std::vector<std::string_view> kComparatorCodes{"eq", "ne", "gt", "lt", "ge",
                                                     "le", "sa", "eb", "ap"};
// search-modifier-code (R5): what a topic may list; whether the search supports it is decided
// when a subscription uses it.
const std::vector<std::string_view> kModifierCodes{
    "missing",    "exact",   "contains",  "not",           "text",
    "in",         "not-in",  "below",     "above",         "type",
    "identifier", "of-type", "code-text", "text-advanced", "iterate"};

std::vector<std::string> codes(const nlohmann::json& element, std::string_view key,
                               const std::string& where,
                               const std::vector<std::string_view>& allowed) {
  std::vector<std::string> values = detail::string_list(element, key, where);
  for (std::size_t i = 0; i < values.size(); ++i) {
    detail::require_code(values[i], allowed, fmt::format("{}.{}[{}]", where, key, i));
  }
  return values;
}

std::size_t count_event_triggers(const nlohmann::json& topic, const std::string& where,
                                 const CompileContext& context) {
  const std::vector<const nlohmann::json*> events =
      detail::object_list(topic, "eventTrigger", where);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string at = fmt::format("{}.eventTrigger[{}]", where, i);
    const nlohmann::json* event = detail::member(*events[i], "event");
    if (event == nullptr || !event->is_object()) {
      throw InputError(ErrorCode::BadInput, at + ".event",
                       event == nullptr ? "" : event->type_name(),
                       "is required and must be a CodeableConcept object");
    }
    (void)resource_type_of(context, detail::required_string(*events[i], "resource", at),
                           at + ".resource");
  }
  return events.size();
}

std::vector<FilterPermission> compile_filters(const nlohmann::json& topic, const std::string& where,
                                              const CompileContext& context) {
  std::vector<FilterPermission> filters;
  const std::vector<const nlohmann::json*> elements =
      detail::object_list(topic, "canFilterBy", where);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::string at = fmt::format("{}.canFilterBy[{}]", where, i);
    FilterPermission filter;
    if (const auto resource = detail::optional_string(*elements[i], "resource", at)) {
      filter.resource_type = resource_type_of(context, *resource, at + ".resource");
    }
    filter.parameter = detail::required_string(*elements[i], "filterParameter", at);
    filter.comparators = codes(*elements[i], "comparator", at, kComparatorCodes);
    filter.modifiers = codes(*elements[i], "modifier", at, kModifierCodes);
    filters.push_back(std::move(filter));
  }
  return filters;
}

void add_trigger_notes(const ResourceTrigger& trigger, std::vector<std::string>& notes) {
  if (!trigger.query) return;
  const auto& query = *trigger.query;
  const auto offers = [&](Interaction interaction) {
    return std::find(trigger.interactions.begin(), trigger.interactions.end(), interaction) !=
           trigger.interactions.end();
  };
  if (query.previous && query.result_for_create == AbsentVersionResult::Unspecified &&
      (offers(Interaction::Create) || offers(Interaction::Update))) {
    notes.push_back(fmt::format(
        "{}: queryCriteria.previous without resultForCreate fails when there is no previous "
        "version",
        trigger.where));
  }
  if (query.current && query.result_for_delete == AbsentVersionResult::Unspecified &&
      offers(Interaction::Delete)) {
    notes.push_back(fmt::format("{}: queryCriteria.current without resultForDelete fails on delete",
                                trigger.where));
  }
}

}  // namespace

std::vector<std::string> CompiledTopic::resource_types() const {
  std::vector<std::string> types;
  for (const ResourceTrigger& trigger : triggers) {
    if (std::find(types.begin(), types.end(), trigger.resource_type) == types.end()) {
      types.push_back(trigger.resource_type);
    }
  }
  return types;
}

CompiledTopic compile_topic(const nlohmann::json& topic, const CompileContext& context) {
  detail::require_resource_type(topic, "SubscriptionTopic");
  CompiledTopic compiled;
  compiled.url = detail::required_string(topic, "url", "SubscriptionTopic");
  const std::string where = fmt::format("SubscriptionTopic '{}'", detail::shown(compiled.url));
  compiled.version = detail::optional_string(topic, "version", where);
  compiled.status = detail::required_string(topic, "status", where);
  detail::require_code(compiled.status, kStatusCodes, where + ".status");
  compiled.is_active = compiled.status == "active";
  const std::vector<const nlohmann::json*> triggers =
      detail::object_list(topic, "resourceTrigger", where);
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    compiled.triggers.push_back(
        compile_trigger(*triggers[i], fmt::format("{}.resourceTrigger[{}]", where, i), context));
  }
  compiled.event_trigger_count = count_event_triggers(topic, where, context);
  compiled.can_filter_by = compile_filters(topic, where, context);

  if (!compiled.is_active) {
    compiled.notes.push_back(fmt::format("{}: status '{}' is not active: the topic never fires",
                                         where, compiled.status));
  }
  if (compiled.event_trigger_count > 0) {
    compiled.notes.push_back(fmt::format(
        "{}: {} eventTrigger(s) cannot be recognised from resource interactions and never fire",
        where, compiled.event_trigger_count));
  }
  if (compiled.triggers.empty()) {
    compiled.notes.push_back(fmt::format("{}: no resourceTrigger: the topic never fires", where));
  }
  for (const ResourceTrigger& trigger : compiled.triggers) {
    add_trigger_notes(trigger, compiled.notes);
  }
  return compiled;
}

}  // namespace ptwin::server::fhir::subscriptions
