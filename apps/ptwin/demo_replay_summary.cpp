// SPDX-License-Identifier: Apache-2.0
#include "demo_replay_summary.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/twin/live/estimate_point.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::app {
namespace {

namespace rec = ingest::recording;
using json = nlohmann::json;

constexpr double kPaSPerM3PerDynSPerCm5 = 1.0e5;  // 1 dyn s cm^-5 = 0.1 Pa s / 1e-6 m^3

std::string iso(time::Instant instant) { return time::format_iso8601(instant); }

// The recorded MAP of the recording's patient, in time order.
std::vector<vv::TimedValue> recorded_map(const rec::MqttRecording& recording) {
  std::vector<vv::TimedValue> series;
  for (const auto& entry : recording.entries) {
    const auto* message = std::get_if<rec::RecordedMessage>(&entry);
    if (message == nullptr) continue;
    for (const auto& sample : message->samples) {
      if (sample.code == ingest::fhir::loinc::kMeanPressure) {
        series.push_back({sample.time, sample.value_si});
      }
    }
  }
  std::stable_sort(series.begin(), series.end(),
                   [](const auto& a, const auto& b) { return a.time < b.time; });
  return series;
}

json quantiles(const twin::risk::ForecastQuantiles& q, double per_display_unit) {
  return {{"p05", q.p05 / per_display_unit},
          {"p50", q.p50 / per_display_unit},
          {"p95", q.p95 / per_display_unit}};
}

json episode_of(const rec::MqttRecording& recording) {
  const auto series = recorded_map(recording);
  try {
    const auto runs = vv::find_sustained_runs_below(series, vv::hypotension_event_definition());
    if (runs.empty()) return {{"found", false}};
    return {{"found", true}, {"onset", iso(runs.front().onset)}, {"end", iso(runs.front().end)},
            {"episodes", runs.size()}};
  } catch (const InputError& error) {
    return {{"found", false}, {"error", error.what()}};
  }
}

// The first and last reading of the recording (sample times, not receipt times).
std::pair<time::Instant, time::Instant> reading_span(const rec::MqttRecording& recording) {
  auto first = time::Instant::max();
  auto last = time::Instant::min();
  for (const auto& entry : recording.entries) {
    if (const auto* message = std::get_if<rec::RecordedMessage>(&entry)) {
      for (const auto& sample : message->samples) {
        first = std::min(first, sample.time);
        last = std::max(last, sample.time);
      }
    }
  }
  return {first, last};
}

}  // namespace

json summarise_replay(const ReplaySummaryInputs& in) {
  const auto& outcome = in.outcome;
  const auto& patient = in.recording.header.patient_id;
  const auto [first_reading, last_reading] = reading_span(in.recording);
  json summary = {
      {"recording", in.recording_path},
      {"patient", patient},
      {"synthetic", in.recording.header.is_synthetic},
      {"speed", in.speed},
      {"start", iso(first_reading)},
      {"end", iso(last_reading)},
      {"lines", outcome.lines},
      {"messages_accepted", outcome.messages},
      {"quarantined", outcome.quarantined},
      {"samples_stored", outcome.samples},
      {"complete", !outcome.stopped_by.has_value()},
      {"wall_s", outcome.wall_s},
      {"episode", episode_of(in.recording)},
  };
  json alerts = json::array();
  auto raised = in.alerts.alerts();  // newest first
  std::reverse(raised.begin(), raised.end());
  for (const auto& alert : raised) {
    if (alert.patient != patient) continue;
    alerts.push_back({{"rule", alert.rule},
                      {"raised_at", iso(alert.raised_at - outcome.shift)},
                      {"level", alert.level},
                      {"state", alert.state == clinical::alerts::AlertState::Idle
                                    ? std::string("cleared")
                                    : std::string(clinical::alerts::to_string(alert.state))},
                      {"risk", alert.value}});
  }
  summary["alerts"] = alerts;
  if (summary["episode"]["found"] == true && !raised.empty()) {
    const auto onset = time::parse_iso8601(summary["episode"]["onset"].get<std::string>());
    const auto first = raised.front().raised_at - outcome.shift;
    summary["first_alert_lead_s"] = std::chrono::duration<double>(onset - first).count();
  }
  if (const auto twin = in.risk.find(patient)) {
    summary["twin"] = {{"assimilated", twin->assimilated}, {"gated", twin->gated},
                       {"refused", twin->refused}, {"waiting", twin->waiting}};
    const auto point = twin::live::estimate_point(
        twin->updated_to, twin->estimate, in.risk.settings().model.central_venous_pressure_pa);
    summary["final"] = {
        {"time", iso(twin->updated_to - outcome.shift)},
        {"interval", 0.9},
        {"map_mmhg", quantiles(point.mean_arterial_pressure_pa, units::kPaPerMmHg)},
        {"cardiac_output_l_min", quantiles(point.cardiac_output_m3_per_s, 1.0e-3 / 60.0)},
        {"svr_dyn_s_per_cm5",
         quantiles(point.systemic_vascular_resistance_pa_s_per_m3, kPaSPerM3PerDynSPerCm5)},
        {"risk_5_min", twin->in_5_min.probability},
        {"risk_15_min", twin->in_15_min.probability}};
  }
  return summary;
}

void print_replay_summary(const json& s) {
  const auto at = [&](const json& time_text) {
    const auto t = time::parse_iso8601(time_text.get<std::string>());
    const auto since = std::chrono::duration_cast<std::chrono::seconds>(
                           t - time::parse_iso8601(s["start"].get<std::string>()))
                           .count();
    return fmt::format("{} (t+{:02}:{:02})", time_text.get<std::string>(), since / 60, since % 60);
  };
  fmt::print("\n  replay of {} ({}patient {}), {} to {}, at {}\n", s["recording"].get<std::string>(),
             s["synthetic"] == true ? "synthetic; " : "", s["patient"].get<std::string>(),
             s["start"].get<std::string>(), s["end"].get<std::string>(),
             s["speed"].get<double>() > 0 ? fmt::format("{}x", s["speed"].get<double>())
                                          : std::string("full speed"));
  fmt::print("    {:<16} {} lines = {} messages accepted ({} samples stored) + {} quarantined{}\n",
             "replayed", s["lines"].get<std::size_t>(), s["messages_accepted"].get<std::size_t>(),
             s["samples_stored"].get<std::size_t>(), s["quarantined"].get<std::size_t>(),
             s["complete"] == true ? "" : " (stopped early by a signal)");
  if (s.contains("twin")) {
    const auto& t = s["twin"];
    fmt::print("    {:<16} {} MAP and CO samples assimilated, {} gated as artefacts, {} refused\n",
               "twin", t["assimilated"].get<std::uint64_t>(), t["gated"].get<std::uint64_t>(),
               t["refused"].get<std::uint64_t>());
  }
  const auto& episode = s["episode"];
  if (episode["found"] == true) {
    fmt::print("    {:<16} MAP < 65 mmHg for >= 1 min from {} to {}\n", "episode",
               at(episode["onset"]), at(episode["end"]));
  } else {
    fmt::print("    {:<16} none in the recording{}\n", "episode",
               episode.contains("error") ? fmt::format(" ({})", episode["error"].get<std::string>())
                                         : std::string());
  }
  if (s["alerts"].empty()) fmt::print("    {:<16} none raised\n", "alerts");
  for (const auto& alert : s["alerts"]) {
    fmt::print("    {:<16} {} raised {}, level {}, now {}\n", "alert", alert["rule"].get<std::string>(),
               at(alert["raised_at"]), alert["level"].get<int>(), alert["state"].get<std::string>());
  }
  if (s.contains("first_alert_lead_s")) {
    const double lead = s["first_alert_lead_s"].get<double>();
    fmt::print("    {:<16} first alert {:.0f} s {} the episode's onset\n", "lead time",
               std::abs(lead), lead >= 0 ? "before" : "after");
  }
  if (s.contains("final")) {
    const auto& f = s["final"];
    const auto band = [](const json& q, int decimals) {
      return fmt::format("{:.{}f} ({:.{}f}-{:.{}f})", q["p50"].get<double>(), decimals,
                         q["p05"].get<double>(), decimals, q["p95"].get<double>(), decimals);
    };
    fmt::print("    {:<16} at {}, median (90 % interval): MAP {} mmHg, CO {} L/min, "
               "SVR {} dyn.s/cm5\n",
               "final estimate", at(f["time"]), band(f["map_mmhg"], 1),
               band(f["cardiac_output_l_min"], 2), band(f["svr_dyn_s_per_cm5"], 0));
    fmt::print("    {:<16} MAP < 65 mmHg for >= 1 min: {:.0f} % within 5 min, {:.0f} % within 15 min\n",
               "risk", 100 * f["risk_5_min"].get<double>(), 100 * f["risk_15_min"].get<double>());
  }
  fmt::print("    {:<16} {:.1f} s\n", "wall time", s["wall_s"].get<double>());
}

}  // namespace ptwin::app
