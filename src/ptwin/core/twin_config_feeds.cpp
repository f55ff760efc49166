// SPDX-License-Identifier: Apache-2.0
// The feeds: and serve: sections of the twin declaration: what `ptwin serve`
// listens to and where it answers (docs/serve.md#configuration). Each value is
// checked here, with its key path, so that a feed never starts with a setting
// it would refuse later.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <string>
#include <string_view>

#include "ptwin/core/detail/config_reader.hpp"
#include "ptwin/core/twin_config.hpp"

namespace ptwin::detail {
namespace {

constexpr std::array kClockTracking{Choice<ClockTracking>{"estimate", ClockTracking::Estimate},
                                    Choice<ClockTracking>{"correct", ClockTracking::Correct}};

bool has_space_or_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// A host name or an IP address: not empty, no spaces or control characters.
void read_host(const Section& section, std::string_view key, std::string& out) {
  const auto text = read_text(section, key, false, "a host name or IP address");
  if (!text) return;
  if (text->empty() || text->size() > 253 || has_space_or_control(*text) ||
      text->find('/') != std::string::npos) {
    section.problems().add(section.path_of(key), printable_value(*text),
                           "must be a host name or IP address (no spaces, no scheme or path)");
    return;
  }
  out = *text;
}

// MQTT 3.1.1 section 4.7.1: '#' only as the last level, '+' and '#' only as a
// whole level.
bool is_valid_topic_filter(std::string_view filter) {
  if (filter.empty() || filter.size() > 65535 || filter.find('\0') != std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    const auto end = filter.find('/', start);
    const auto level = filter.substr(start, end == std::string_view::npos ? end : end - start);
    const bool has_wildcard = level.find_first_of("+#") != std::string_view::npos;
    if (has_wildcard && level != "+" && level != "#") return false;
    if (level == "#" && end != std::string_view::npos) return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

void read_topics(const Section& section, std::vector<MqttTopicConfig>& out) {
  const auto node = section.get("topics");
  const auto path = section.path_of("topics");
  if (!node) {
    section.problems().missing(path, "is required: the topic filters to subscribe to");
    return;
  }
  if (!node->IsSequence() || node->size() == 0) {
    section.problems().add(path, describe(*node),
                           "must be a non-empty list, e.g. [{filter: icu/+/vitals, qos: 1}]");
    return;
  }
  for (std::size_t i = 0; i < node->size(); ++i) {
    const Section item((*node)[i], fmt::format("{}[{}]", path, i), {"filter", "qos"},
                       section.problems());
    MqttTopicConfig topic;
    if (const auto filter = read_text(item, "filter", true, "an MQTT topic filter")) {
      const bool is_repeat = std::any_of(
          out.begin(), out.end(), [&](const MqttTopicConfig& t) { return t.filter == *filter; });
      if (!is_valid_topic_filter(*filter)) {
        section.problems().add(item.path_of("filter"), printable_value(*filter),
                               "must be an MQTT topic filter: + and # only as a whole level, # "
                               "only last (MQTT 3.1.1 section 4.7)");
      } else if (is_repeat) {
        section.problems().add(item.path_of("filter"), printable_value(*filter),
                               "repeats an earlier topic filter");
      } else {
        topic.filter = *filter;
      }
    }
    read_int(item, "qos", 0, 1, topic.qos);
    if (!topic.filter.empty()) out.push_back(std::move(topic));
  }
}

void read_mqtt(const YAML::Node& node, Problems& problems, MqttFeedConfig& out) {
  const Section section(node, "feeds.mqtt",
                        {"host", "port", "client_id", "topics", "clock_tracking"}, problems);
  read_host(section, "host", out.host);
  read_int(section, "port", 1, 65535, out.port);
  if (const auto id = read_text(section, "client_id", true, "an MQTT client id")) {
    if (id->empty() || id->size() > 64 || has_space_or_control(*id)) {
      problems.add("feeds.mqtt.client_id", printable_value(*id),
                   "must be 1 to 64 characters without spaces or control characters");
    } else {
      out.client_id = *id;
    }
  }
  read_topics(section, out.topics);
  read_choice(section, "clock_tracking", false, kClockTracking, out.clock_tracking);
}

// "+HH:MM" or "-HH:MM", at most 14 hours (the widest offset in use, UTC+14).
std::optional<std::chrono::minutes> parse_zone_offset(std::string_view text) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  const auto digits = [](std::string_view part, int& value) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
           std::from_chars(part.data(), part.data() + part.size(), value).ec == std::errc{};
  };
  if (!digits(text.substr(1, 2), hours) || !digits(text.substr(4, 2), minutes) || minutes > 59) {
    return std::nullopt;
  }
  const auto total = std::chrono::minutes(hours * 60 + minutes);
  if (total > std::chrono::hours(14)) return std::nullopt;
  return text[0] == '-' ? -total : total;
}

void read_hl7v2(const YAML::Node& node, Problems& problems, Hl7v2FeedConfig& out) {
  const Section section(node, "feeds.hl7v2", {"address", "port", "zone_offsets"}, problems);
  read_host(section, "address", out.address);
  read_int(section, "port", 0, 65535, out.port);
  read_text_map(
      section, "zone_offsets", out.zone_offsets,
      [&](const std::string& text, const std::string& path) -> std::optional<std::chrono::minutes> {
        const auto key_start = path.rfind('[');
        const auto key = std::string_view(path).substr(key_start + 1);
        if (key.find('/') == std::string_view::npos || key.front() == '/' ||
            key.find("/]") != std::string_view::npos) {
          problems.add(path, printable_value(text),
                       "must be keyed by \"<sending application>/<sending facility>\" "
                       "(MSH-3/MSH-4), e.g. MONITOR/ICU");
          return std::nullopt;
        }
        if (auto offset = parse_zone_offset(text)) return offset;
        problems.add(path, printable_value(text),
                     "must be a UTC offset +HH:MM or -HH:MM of at most 14 hours");
        return std::nullopt;
      });
}

bool is_http_url(std::string_view url) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme)) {
      const auto host = url.substr(scheme.size());
      return !host.empty() && host.front() != '/' && !has_space_or_control(url);
    }
  }
  return false;
}

// FHIR id syntax (R5 datatypes.html#id): [A-Za-z0-9\-\.]{1,64}.
bool is_fhir_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

void read_subscription_filter(const Section& section, FhirSubscriptionFeedConfig& out) {
  read_text_map(
      section, "filter", out.filter,
      [&](const std::string& value, const std::string& path) -> std::optional<std::string> {
        const auto key = std::string_view(path).substr(path.rfind('[') + 1);
        const bool is_name = key.size() > 1 && key.front() >= 'a' && key.front() <= 'z' &&
                             !has_space_or_control(key);
        if (!is_name) {
          section.problems().add(path, printable_value(value),
                                 "must be keyed by a search parameter name, e.g. "
                                 "patient");
          return std::nullopt;
        }
        if (value.empty()) {
          section.problems().add(path, "", "must not be empty, e.g. Patient/p1");
          return std::nullopt;
        }
        return value;
      });
}

void read_fhir_subscription(const YAML::Node& node, const std::string& twin_id, Problems& problems,
                            FhirSubscriptionFeedConfig& out) {
  const Section section(node, "feeds.fhir_subscription",
                        {"ehr_base_url", "topic", "filter", "subscription_id", "address", "port",
                         "heartbeat_period_s"},
                        problems);
  if (const auto url = read_text(section, "ehr_base_url", true, "an http(s) URL")) {
    if (is_http_url(*url)) {
      out.ehr_base_url = *url;
    } else {
      problems.add(section.path_of("ehr_base_url"), printable_value(*url),
                   "must be the EHR's FHIR base, http://host[:port]/path or "
                   "https://...");
    }
  }
  if (const auto topic = read_text(section, "topic", true, "a canonical URL")) {
    if (topic->find("://") != std::string::npos && !has_space_or_control(*topic)) {
      out.topic = *topic;
    } else {
      problems.add(section.path_of("topic"), printable_value(*topic),
                   "must be the SubscriptionTopic's canonical URL (its url element)");
    }
  }
  read_subscription_filter(section, out);
  std::string default_id = "ptwin-" + twin_id;
  std::replace(default_id.begin(), default_id.end(), '_',
               '-');  // '_' is not in FHIR ids
  out.subscription_id = default_id.substr(0, 64);
  if (const auto id = read_text(section, "subscription_id", false, "a FHIR id")) {
    if (is_fhir_id(*id)) {
      out.subscription_id = *id;
    } else {
      problems.add(section.path_of("subscription_id"), printable_value(*id),
                   "must be a FHIR id: 1 to 64 of A-Z a-z 0-9 - .");
    }
  }
  read_host(section, "address", out.address);
  read_int(section, "port", 0, 65535, out.port);
  read_int(section, "heartbeat_period_s", 1, 86400, out.heartbeat_period_s);
}

bool is_base_path(std::string_view path) {
  return path.size() >= 2 && path.front() == '/' && path.back() != '/' &&
         path.find("//") == std::string_view::npos &&
         std::all_of(path.begin(), path.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '-' ||
                  c == '.' || c == '_';
         });
}

void read_fhir_outputs(const YAML::Node& node, const std::filesystem::path& base_dir,
                       Problems& problems, FhirOutputsConfig& out) {
  const Section section(node, "serve.fhir_outputs",
                        {"database", "base_path", "ehr_base_url", "risk_interval_s", "alert_raise",
                         "alert_clear", "alert_minimum_duration_s", "verification_record",
                         "post_timeout_s"},
                        problems);
  out.database = (base_dir / "ptwin-outputs.db").lexically_normal();
  read_path(section, "database", false, base_dir, out.database);
  if (const auto path = read_text(section, "base_path", false, "a URL path")) {
    if (is_base_path(*path)) {
      out.base_path = *path;
    } else {
      problems.add(section.path_of("base_path"), printable_value(*path),
                   "must be a path such as /fhir: '/' then letters, digits, - . _ /, not ending "
                   "in '/'");
    }
  }
  if (const auto url = read_text(section, "ehr_base_url", false, "an http(s) URL")) {
    if (is_http_url(*url)) {
      out.ehr_base_url = *url;
    } else {
      problems.add(section.path_of("ehr_base_url"), printable_value(*url),
                   "must be the EHR's FHIR base, http://host[:port]/path or https://...");
    }
  }
  read_int(section, "risk_interval_s", 1, 86400, out.risk_interval_s);
  // The alert keys moved: the dashboard and the DetectedIssues share one policy.
  for (const auto& [old_key, new_key] : {std::pair{"alert_raise", "raise"},
                                         std::pair{"alert_clear", "clear"},
                                         std::pair{"alert_minimum_duration_s", "minimum_duration_s"}}) {
    if (const auto value = section.get(old_key)) {
      problems.add(section.path_of(old_key), describe(*value),
                   fmt::format("has moved to serve.alerts.{}: one alert policy feeds the "
                               "dashboard and the DetectedIssues (docs/serve.md#alerts)",
                               new_key));
    }
  }
  std::filesystem::path record;
  read_path(section, "verification_record", false, base_dir, record);
  if (!record.empty()) out.verification_record = record;
  read_int(section, "post_timeout_s", 1, 300, out.post_timeout_s);
}

}  // namespace

std::string_view clock_tracking_name(ClockTracking tracking) {
  return name_of(kClockTracking, tracking);
}

void read_feeds(const YAML::Node& node, const std::string& twin_id, Problems& problems,
                FeedsSection& out) {
  const Section section(node, "feeds", {"mqtt", "hl7v2", "fhir_subscription"}, problems);
  if (const auto mqtt = section.get("mqtt")) read_mqtt(*mqtt, problems, out.mqtt.emplace());
  if (const auto hl7v2 = section.get("hl7v2")) read_hl7v2(*hl7v2, problems, out.hl7v2.emplace());
  if (const auto fhir = section.get("fhir_subscription")) {
    read_fhir_subscription(*fhir, twin_id, problems, out.fhir_subscription.emplace());
  }
}

void read_alerts(const YAML::Node& node, Problems& problems, AlertsConfig& out) {
  const Section section(node, "serve.alerts",
                        {"raise", "clear", "minimum_duration_s", "snooze_s", "worsening_margin",
                         "escalate_after_s", "max_level"},
                        problems);
  read_open_interval(section, "raise", 0.0, 1.0, out.raise);
  read_open_interval(section, "clear", 0.0, 1.0, out.clear);
  if (out.clear >= out.raise) {
    problems.add(section.path_of("clear"), fmt::format("{}", out.clear),
                 fmt::format("must be below raise ({}): the band between them is the alert's "
                             "hysteresis",
                             out.raise));
  }
  read_int(section, "minimum_duration_s", 0, 3600, out.minimum_duration_s);
  read_int(section, "snooze_s", 1, 86400, out.snooze_s);
  if (const auto margin = section.get("worsening_margin")) {
    // 0 is allowed (never re-alert on worsening), so not an open interval.
    if (margin->IsScalar()) {
      try {
        out.worsening_margin = margin->as<double>();
      } catch (const YAML::Exception&) {
        out.worsening_margin = -1.0;
      }
    }
    if (!margin->IsScalar() || !(out.worsening_margin >= 0.0 && out.worsening_margin < 1.0)) {
      problems.add(section.path_of("worsening_margin"), describe(*margin),
                   "must be a number from 0 (never) to below 1");
    }
  }
  read_int(section, "escalate_after_s", 0, 86400, out.escalate_after_s);
  read_int(section, "max_level", 1, 10, out.max_level);
}

void read_serve(const YAML::Node& node, const FeedsSection& feeds,
                const std::filesystem::path& base_dir, Problems& problems, ServeSection& out) {
  const Section section(node, "serve", {"address", "port", "fhir_outputs", "alerts"}, problems);
  read_host(section, "address", out.address);
  read_int(section, "port", 0, 65535, out.port);
  if (const auto alerts = section.get("alerts")) read_alerts(*alerts, problems, out.alerts);
  if (const auto fhir = section.get("fhir_outputs")) {
    read_fhir_outputs(*fhir, base_dir, problems, out.fhir_outputs.emplace());
  }
  // Two listeners on one address and port: the second could not start.
  struct Listener {
    std::string_view path;
    const std::string* address;
    int port;
  };
  std::vector<Listener> listeners{{"serve.port", &out.address, out.port}};
  if (feeds.hl7v2) {
    listeners.push_back({"feeds.hl7v2.port", &feeds.hl7v2->address, feeds.hl7v2->port});
  }
  if (feeds.fhir_subscription) {
    listeners.push_back({"feeds.fhir_subscription.port", &feeds.fhir_subscription->address,
                         feeds.fhir_subscription->port});
  }
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    for (std::size_t j = i + 1; j < listeners.size(); ++j) {
      if (listeners[i].port != 0 && listeners[i].port == listeners[j].port &&
          *listeners[i].address == *listeners[j].address) {
        problems.add(std::string(listeners[j].path), std::to_string(listeners[j].port),
                     fmt::format("is also {} on {}; give each listener its own port",
                                 listeners[i].path, *listeners[i].address));
      }
    }
  }
}

}  // namespace ptwin::detail
