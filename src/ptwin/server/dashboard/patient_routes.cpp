// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/patient_routes.hpp"

#include <fmt/format.h>

#include <chrono>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/server/dashboard/api_query.hpp"

namespace ptwin::server::dashboard {
namespace {

using namespace std::chrono_literals;
namespace loinc = ingest::fhir::loinc;

// SI -> display units, here at the edge (STYLE.md §5).
constexpr double kMmHgPerPa = 1.0 / units::kPaPerMmHg;
constexpr double kPerMinPerHz = 60.0;
constexpr double kLitresPerMinPerM3PerS = 6.0e4;
constexpr double kDynSPerCm5PerPaSPerM3 = 1.0e-5;  // 1 dyn·s/cm⁵ = 1e5 Pa·s/m³

// The default window: the hour before the twin's latest update.
constexpr auto kDefaultWindow = 1h;

struct Series {
  std::string_view name;
  std::string_view code;
  std::string_view unit;
  double scale;
};
constexpr Series kVitalSeries[] = {
    {"map", loinc::kMeanPressure, "mm[Hg]", kMmHgPerPa},
    {"heart_rate", loinc::kHeartRate, "/min", kPerMinPerHz},
    {"cardiac_output", loinc::kCardiacOutput, "L/min", kLitresPerMinPerM3PerS},
};

std::int64_t epoch_ms(time::Instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

nlohmann::json quantiles_json(const twin::risk::ForecastQuantiles& q, double scale) {
  return {{"p05", q.p05 * scale}, {"p50", q.p50 * scale}, {"p95", q.p95 * scale}};
}

twin::live::PatientRisk twin_of(const DashboardSources& sources, std::string_view patient) {
  auto found = sources.risk.find(patient);
  if (!found) {
    throw InputError(ErrorCode::NotFound, "patient", printable_value(patient),
                     "has no twin: no mean arterial pressure of this patient has been received");
  }
  return *std::move(found);
}

struct Window {
  time::Instant since;
  time::Instant until;
};

Window window_of(const ApiQuery& query, const twin::live::PatientRisk& twin,
                 const time::Clock& clock) {
  const auto until = query.instant("until").value_or(std::max(clock.now(), twin.updated_to) + 1s);
  const auto since = query.instant("since").value_or(twin.updated_to - kDefaultWindow);
  if (since > until) {
    throw InputError(
        ErrorCode::BadInput, "since", time::format_iso8601(since),
        fmt::format("is after until ({}); give since <= until", time::format_iso8601(until)));
  }
  return {since, until};
}

nlohmann::json series_json(const store::Store& store, std::string_view patient, const Series& s,
                           const Window& window) {
  const auto samples = store.samples(patient, s.code, window.since, window.until);
  const std::size_t first =
      samples.size() > kMaxSeriesSamples ? samples.size() - kMaxSeriesSamples : 0;
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = first; i < samples.size(); ++i) {
    nlohmann::json point{{"t", epoch_ms(samples[i].time)}, {"v", samples[i].value_si * s.scale}};
    if (samples[i].quality == SampleQuality::Artefact) point["quality"] = "artefact";
    if (samples[i].quality == SampleQuality::Questionable) point["quality"] = "questionable";
    points.push_back(std::move(point));
  }
  return {
      {"code", s.code}, {"unit", s.unit}, {"samples", std::move(points)}, {"truncated", first > 0}};
}

nlohmann::json latest_vitals_json(const store::Store& store, const twin::live::PatientRisk& twin,
                                  const time::Clock& clock) {
  nlohmann::json out = nlohmann::json::object();
  const Window window{twin.updated_to - kDefaultWindow,
                      std::max(clock.now(), twin.updated_to) + 1s};
  for (const auto& s : kVitalSeries) {
    const auto samples = store.samples(twin.patient_id, s.code, window.since, window.until);
    out[std::string(s.name)] = samples.empty()
                                   ? nlohmann::json()
                                   : nlohmann::json{{"t", epoch_ms(samples.back().time)},
                                                    {"v", samples.back().value_si * s.scale},
                                                    {"unit", s.unit}};
  }
  return out;
}

nlohmann::json horizon_json(const twin::risk::HypotensionForecast& f) {
  return {
      {"horizon_s", f.horizon.count()},
      {"at", epoch_ms(f.time + f.horizon)},
      {"probability", f.probability},
      {"map_mmhg", quantiles_json(f.mean_arterial_pressure_pa, kMmHgPerPa)},
      {"cardiac_output_l_min", quantiles_json(f.cardiac_output_m3_per_s, kLitresPerMinPerM3PerS)}};
}

std::string risk_band(double probability, const RiskAlertBoard& alerts) {
  const auto& rule = alerts.rules().front();
  if (probability >= rule.raise_threshold) return "high";
  if (probability >= rule.clear_threshold) return "raised";
  return "low";
}

}  // namespace

nlohmann::json patients_json(const DashboardSources& sources, std::string_view query) {
  const ApiQuery checked(query, {});
  const auto alerts = sources.alerts.alerts();
  nlohmann::json patients = nlohmann::json::array();
  for (const auto& twin : sources.risk.snapshot()) {
    const auto open = std::count_if(alerts.begin(), alerts.end(), [&](const RiskAlert& a) {
      return a.patient == twin.patient_id && a.state == clinical::alerts::AlertState::Open;
    });
    patients.push_back(
        {{"id", twin.patient_id},
         {"updated_to", epoch_ms(twin.updated_to)},
         {"risk",
          {{"in_5_min", twin.in_5_min.probability},
           {"in_15_min", twin.in_15_min.probability},
           {"band", risk_band(twin.in_15_min.probability, sources.alerts)}}},
         {"vitals", latest_vitals_json(sources.store, twin, sources.clock)},
         {"open_alerts", open},
         {"samples",
          {{"assimilated", twin.assimilated}, {"gated", twin.gated}, {"refused", twin.refused}}}});
  }
  return {{"patients", std::move(patients)}};
}

nlohmann::json vitals_json(const DashboardSources& sources, std::string_view patient,
                           std::string_view query) {
  const ApiQuery checked(query, {"since", "until"});
  const auto twin = twin_of(sources, patient);
  const auto window = window_of(checked, twin, sources.clock);
  nlohmann::json series = nlohmann::json::object();
  for (const auto& s : kVitalSeries) {
    series[std::string(s.name)] = series_json(sources.store, patient, s, window);
  }
  const auto estimates = sources.risk.estimates(patient, window.since, window.until);
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : estimates.value().points) {
    points.push_back({{"t", epoch_ms(p.time)},
                      {"map_mmhg", quantiles_json(p.mean_arterial_pressure_pa, kMmHgPerPa)},
                      {"cardiac_output_l_min",
                       quantiles_json(p.cardiac_output_m3_per_s, kLitresPerMinPerM3PerS)}});
  }
  return {
      {"patient", patient},
      {"since", epoch_ms(window.since)},
      {"until", epoch_ms(window.until)},
      {"series", std::move(series)},
      {"estimate",
       {{"interval", 0.9}, {"points", std::move(points)}, {"dropped", estimates.value().dropped}}}};
}

nlohmann::json forecast_json(const DashboardSources& sources, std::string_view patient,
                             std::string_view query) {
  const ApiQuery checked(query, {});
  const auto twin = twin_of(sources, patient);
  return {{"patient", patient},
          {"from", epoch_ms(twin.updated_to)},
          {"interval", 0.9},
          {"threshold_mmhg", sources.risk.settings().hypotension_threshold_pa * kMmHgPerPa},
          {"horizons", {horizon_json(twin.in_5_min), horizon_json(twin.in_15_min)}}};
}

nlohmann::json parameters_json(const DashboardSources& sources, std::string_view patient,
                               std::string_view query) {
  const ApiQuery checked(query, {"since", "until"});
  const auto twin = twin_of(sources, patient);
  const auto window = window_of(checked, twin, sources.clock);
  const auto estimates = sources.risk.estimates(patient, window.since, window.until);
  nlohmann::json svr = nlohmann::json::array();
  nlohmann::json co = nlohmann::json::array();
  for (const auto& p : estimates.value().points) {
    auto s = quantiles_json(p.systemic_vascular_resistance_pa_s_per_m3, kDynSPerCm5PerPaSPerM3);
    s["t"] = epoch_ms(p.time);
    svr.push_back(std::move(s));
    auto c = quantiles_json(p.cardiac_output_m3_per_s, kLitresPerMinPerM3PerS);
    c["t"] = epoch_ms(p.time);
    co.push_back(std::move(c));
  }
  return {{"patient", patient},
          {"since", epoch_ms(window.since)},
          {"until", epoch_ms(window.until)},
          {"interval", 0.9},
          {"dropped", estimates.value().dropped},
          {"parameters",
           {{"svr", {{"unit", "dyn.s/cm5"}, {"points", std::move(svr)}}},
            {"cardiac_output", {{"unit", "L/min"}, {"points", std::move(co)}}}}}};
}

}  // namespace ptwin::server::dashboard
