// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/compiled_subscription.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"
#include "ptwin/store/fhir/criterion_match.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

const std::vector<std::string_view> kStatusCodes{"requested", "active", "error", "off",
                                                 "entered-in-error"};

[[noreturn]] void fail(std::string where, std::string_view value, std::string rule) {
  throw InputError(ErrorCode::BadInput, std::move(where), detail::shown(value), std::move(rule));
}

// One filterBy as read, before it is checked against the topic.
struct FilterText {
  std::string where;
  std::optional<std::string> resource_type;
  std::string parameter;
  std::optional<std::string> comparator;
  std::optional<std::string> modifier;
  std::string value;
};

std::vector<const FilterPermission*> permissions_for(const FilterText& filter,
                                                     const CompiledTopic& topic) {
  std::vector<const FilterPermission*> found;
  for (const FilterPermission& permission : topic.can_filter_by) {
    if (permission.parameter != filter.parameter) continue;
    if (filter.resource_type && permission.resource_type &&
        permission.resource_type != filter.resource_type) {
      continue;
    }
    found.push_back(&permission);
  }
  if (found.empty()) {
    fail(filter.where + ".filterParameter", filter.parameter,
         fmt::format(
             "is not in the canFilterBy of SubscriptionTopic '{}'{}", detail::shown(topic.url),
             filter.resource_type ? fmt::format(" for {}", *filter.resource_type) : std::string{}));
  }
  return found;
}

// The type the filter tests: its own, its permission's, or the topic's only one.
std::string filter_type(const FilterText& filter,
                        const std::vector<const FilterPermission*>& permissions,
                        const CompiledTopic& topic) {
  std::optional<std::string> type = filter.resource_type;
  for (const FilterPermission* permission : permissions) {
    if (!type && permission->resource_type) type = permission->resource_type;
  }
  const std::vector<std::string> topic_types = topic.resource_types();
  if (!type && topic_types.size() == 1) type = topic_types.front();
  if (!type) {
    fail(filter.where + ".resourceType", "",
         fmt::format("is needed: SubscriptionTopic '{}' triggers on several resource types",
                     detail::shown(topic.url)));
  }
  if (!topic_types.empty() &&
      std::find(topic_types.begin(), topic_types.end(), *type) == topic_types.end()) {
    fail(filter.where + ".resourceType", *type,
         fmt::format("is not a resource type that SubscriptionTopic '{}' triggers on",
                     detail::shown(topic.url)));
  }
  return *type;
}

bool is_allowed(const std::vector<const FilterPermission*>& permissions,
                std::vector<std::string> FilterPermission::*list, std::string_view code) {
  return std::any_of(permissions.begin(), permissions.end(), [&](const FilterPermission* p) {
    const std::vector<std::string>& allowed = p->*list;
    return std::find(allowed.begin(), allowed.end(), code) != allowed.end();
  });
}

// A comparator written in the value (`le1950`) is a comparator too.
std::optional<sf::Prefix> value_prefix(const sf::SearchValue& value) {
  if (const auto* date = std::get_if<sf::DateValue>(&value)) return date->prefix;
  if (const auto* number = std::get_if<sf::NumberValue>(&value)) return number->prefix;
  if (const auto* quantity = std::get_if<sf::QuantityValue>(&value)) {
    return quantity->number.prefix;
  }
  return std::nullopt;
}

SubscriptionFilter compile_filter(const FilterText& filter, const CompiledTopic& topic,
                                  const CompileContext& context) {
  const std::vector<const FilterPermission*> permissions = permissions_for(filter, topic);
  std::string type = filter_type(filter, permissions, topic);
  if (filter.comparator &&
      !is_allowed(permissions, &FilterPermission::comparators, *filter.comparator)) {
    fail(filter.where + ".comparator", *filter.comparator,
         fmt::format("is not allowed for '{}' by SubscriptionTopic '{}'", filter.parameter,
                     detail::shown(topic.url)));
  }
  if (filter.modifier && !is_allowed(permissions, &FilterPermission::modifiers, *filter.modifier)) {
    fail(filter.where + ".modifier", *filter.modifier,
         fmt::format("is not allowed for '{}' by SubscriptionTopic '{}'", filter.parameter,
                     detail::shown(topic.url)));
  }
  const std::string name =
      filter.modifier ? fmt::format("{}:{}", filter.parameter, *filter.modifier) : filter.parameter;
  const std::string value = filter.comparator.value_or("") + filter.value;
  std::vector<sf::Criterion> criteria = parse_single_resource_params(
      context, type, QueryParams{{name, value}}, filter.where, fmt::format("{}={}", name, value));
  PTWIN_ASSERT(criteria.size() == 1, "one search parameter gives one criterion");
  for (const sf::SearchValue& parsed : criteria.front().values) {
    const std::optional<sf::Prefix> prefix = value_prefix(parsed);
    if (!filter.comparator && prefix && *prefix != sf::Prefix::Eq &&
        !is_allowed(permissions, &FilterPermission::comparators, sf::to_string(*prefix))) {
      fail(filter.where + ".value", filter.value,
           fmt::format("carries the comparator '{}', which SubscriptionTopic '{}' does not allow "
                       "for '{}'",
                       sf::to_string(*prefix), detail::shown(topic.url), filter.parameter));
    }
  }
  return SubscriptionFilter{.resource_type = std::move(type),
                            .criterion = std::move(criteria.front())};
}

FilterText read_filter(const nlohmann::json& element, std::string where,
                       const CompileContext& context) {
  FilterText filter;
  if (const auto resource = detail::optional_string(element, "resourceType", where)) {
    filter.resource_type = resource_type_of(context, *resource, where + ".resourceType");
  }
  filter.parameter = detail::required_string(element, "filterParameter", where);
  filter.comparator = detail::optional_string(element, "comparator", where);
  filter.modifier = detail::optional_string(element, "modifier", where);
  filter.value = detail::required_string(element, "value", where);
  if (filter.comparator && filter.modifier) {
    fail(where, fmt::format("{}:{}", *filter.modifier, *filter.comparator),
         "has both a comparator and a modifier; a filter may have only one (scr-1)");
  }
  filter.where = std::move(where);
  return filter;
}

}  // namespace

TopicCanonical topic_canonical_of(const nlohmann::json& subscription) {
  detail::require_resource_type(subscription, "Subscription");
  const std::string id = detail::required_string(subscription, "id", "Subscription");
  if (!sf::is_resource_id(id)) fail("Subscription.id", id, "must be a FHIR id");
  const std::string canonical =
      detail::required_string(subscription, "topic", fmt::format("Subscription '{}'", id));
  const auto bar = canonical.find('|');
  if (bar == std::string::npos) return {.url = canonical, .version = std::nullopt};
  return {.url = canonical.substr(0, bar), .version = canonical.substr(bar + 1)};
}

CompiledSubscription compile_subscription(const nlohmann::json& subscription,
                                          const CompiledTopic& topic,
                                          const CompileContext& context) {
  const TopicCanonical canonical = topic_canonical_of(subscription);
  CompiledSubscription compiled;
  compiled.id = subscription["id"].get<std::string>();
  const std::string where = fmt::format("Subscription '{}'", compiled.id);
  if (canonical.url != topic.url) {
    fail(where + ".topic", canonical.url,
         fmt::format("does not name SubscriptionTopic '{}'", detail::shown(topic.url)));
  }
  if (canonical.version && canonical.version != topic.version) {
    fail(where + ".topic", subscription["topic"].get<std::string>(),
         fmt::format("asks for version '{}' but SubscriptionTopic '{}' is version '{}'",
                     detail::shown(*canonical.version), detail::shown(topic.url),
                     detail::shown(topic.version.value_or("(none)"))));
  }
  compiled.topic_url = topic.url;
  compiled.status = detail::required_string(subscription, "status", where);
  detail::require_code(compiled.status, kStatusCodes, where + ".status");
  // An error subscription keeps collecting events while its endpoint is down, so that they
  // can be delivered when it answers again (docs/subscriptions.md#guarantees).
  compiled.is_active = compiled.status == "active" || compiled.status == "error";
  if (const auto end = detail::optional_string(subscription, "end", where)) {
    compiled.end = time::parse_iso8601(*end, std::nullopt, where + ".end");
  }
  const std::vector<const nlohmann::json*> filters =
      detail::object_list(subscription, "filterBy", where);
  for (std::size_t i = 0; i < filters.size(); ++i) {
    const FilterText text =
        read_filter(*filters[i], fmt::format("{}.filterBy[{}]", where, i), context);
    compiled.filters.push_back(compile_filter(text, topic, context));
  }
  return compiled;
}

bool accepts(const CompiledSubscription& subscription, const ResourceChange& change,
             time::Instant now) {
  if (!subscription.is_active) return false;
  if (subscription.end && now >= *subscription.end) return false;
  const Version focus = change.focus_version();
  return std::all_of(subscription.filters.begin(), subscription.filters.end(),
                     [&](const SubscriptionFilter& filter) {
                       if (filter.resource_type != change.resource_type()) return true;
                       const VersionIndex& index = change.index(focus);
                       return sf::matches(filter.criterion, index.rows, now, index.facts());
                     });
}

}  // namespace ptwin::server::fhir::subscriptions
