// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/notifications/twin_event_router.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/twin_output_marker.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

// The patient id of "Patient/<id>", or "" for any other reference.
std::string patient_of(const nlohmann::json& observation) {
  const auto subject = observation.value("subject", nlohmann::json::object());
  const auto reference = subject.is_object() ? subject.value("reference", "") : "";
  constexpr std::string_view kPrefix = "Patient/";
  return reference.starts_with(kPrefix) ? reference.substr(kPrefix.size()) : "";
}

bool has_known_code(const nlohmann::json& codeable) {
  static constexpr std::string_view kCodes[] = {loinc::kHeartRate,       loinc::kSystolicPressure,
                                                loinc::kDiastolicPressure, loinc::kMeanPressure,
                                                loinc::kCardiacOutput,   loinc::kEjectionFraction};
  if (!codeable.is_object() || !codeable.contains("coding") || !codeable["coding"].is_array()) {
    return false;
  }
  for (const auto& coding : codeable["coding"]) {
    if (!coding.is_object() || coding.value("system", "") != "http://loinc.org") continue;
    const auto code = coding.value("code", "");
    for (const auto known : kCodes) {
      if (code == known) return true;
    }
  }
  return false;
}

// Whether the Observation carries a code the twin's models read, in its code or a component.
bool is_for_the_twin(const nlohmann::json& observation) {
  if (has_known_code(observation.value("code", nlohmann::json()))) return true;
  const auto components = observation.value("component", nlohmann::json::array());
  if (!components.is_array()) return false;
  for (const auto& component : components) {
    if (component.is_object() && has_known_code(component.value("code", nlohmann::json()))) {
      return true;
    }
  }
  return false;
}

}  // namespace

TwinEventRouter::TwinEventRouter(store::Store& store, const time::Clock& clock,
                                 std::string subscription_id)
    : store_(store), clock_(clock), subscription_id_(std::move(subscription_id)) {}

EventHandler TwinEventRouter::handler() {
  return [this](const ReceivedEvent& event) { (*this)(event); };
}

void TwinEventRouter::operator()(const ReceivedEvent& event) {
  ++counts_.events;
  if (!event.resource.has_value()) {
    ++counts_.deletions;
    return;
  }
  const auto& resource = *event.resource;
  const auto type = resource.value("resourceType", "");
  const auto source = fmt::format("subscription:{} event {}", subscription_id_, event.event_number);
  if (type == "Patient" && resource.contains("id") && resource["id"].is_string()) {
    store_.upsert_patient({resource["id"].get<std::string>(), resource.dump(), clock_.now()});
    ++counts_.patients_updated;
    return;
  }
  if (is_twin_output(resource)) {  // a twin's estimate, not a measurement (twin_output_marker.hpp)
    ++counts_.twin_outputs;
    return;
  }
  if (type != "Observation" || !is_for_the_twin(resource)) {
    ++counts_.not_for_the_twin;
    return;
  }
  try {
    const auto samples = read_vital_sign_observation(
        resource, patient_of(resource),
        fmt::format("{} ({})", source, event.focus.empty() ? std::string("Observation") : event.focus));
    store_.append_samples(samples);
    counts_.samples_stored += static_cast<std::int64_t>(samples.size());
    ++counts_.observations_used;
  } catch (const InputError& error) {
    (void)store_.quarantine({source, error.what(), resource.dump(), clock_.now()});
    ++counts_.quarantined;
  }
}

}  // namespace ptwin::ingest::fhir::notifications
