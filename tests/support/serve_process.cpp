// SPDX-License-Identifier: Apache-2.0
#include "support/serve_process.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

namespace ptwin::testing {

std::string serve_twin_yaml(std::string_view twin_id, std::string_view sections,
                            std::string_view twin_keys) {
  return fmt::format(
      "twin: {{id: {}{}{}}}\npatient: {{fhir_bundle: bundle.json}}\n"
      "model: {{kind: zerod, file: model.json}}\npersonalisation: {{enabled: false}}\n"
      "store: {{path: twin.db}}\n{}",
      twin_id, twin_keys.empty() ? "" : ", ", twin_keys, sections);
}

std::string mqtt_feed_yaml(std::string_view host, int port, std::string_view client_id,
                           std::string_view filter) {
  return fmt::format(
      "  mqtt:\n    host: {}\n    port: {}\n    client_id: {}\n"
      "    topics: [{{filter: \"{}\", qos: 1}}]\n",
      host, port, client_id, filter);
}

std::optional<std::string> wait_for_serve_origin(ChildProcess& serve,
                                                 std::chrono::milliseconds limit) {
  const auto line = serve.wait_for_line("ptwin serve: HTTP at ", limit);
  if (!line) return std::nullopt;
  std::smatch match;
  if (!std::regex_search(*line, match, std::regex("HTTP at (http://[0-9.:]+)"))) return std::nullopt;
  return match[1].str();
}

bool wait_until_mqtt_subscribed(const std::string& origin, std::chrono::milliseconds limit) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = origin;
  settings.timeout = std::chrono::seconds(5);
  ingest::fhir::FhirClient client(settings);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto status = nlohmann::json::parse(client.fetch(origin + "/status", "*/*").body);
    if (status["feeds"]["mqtt"].value("is_subscribed", false)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void create_observation_topic(ingest::fhir::FhirClient& ehr, std::string_view url) {
  (void)ehr.create(
      {{"resourceType", "SubscriptionTopic"},
       {"url", url},
       {"status", "active"},
       {"resourceTrigger",
        {{{"resource", "Observation"}, {"supportedInteraction", {"create", "update"}}}}},
       {"canFilterBy", {{{"resource", "Observation"}, {"filterParameter", "patient"}}}}});
}

}  // namespace ptwin::testing
