// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/synthetic_map_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::alerts {
namespace {

using Seconds = std::chrono::duration<double>;

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 engine_;
};

// A piecewise-linear excursion of the mean below baseline: (time from its start s, depth).
struct Excursion {
  double start_s;
  double down_s, hold_s, up_s;
  double level_mmhg;
  bool is_event;
  [[nodiscard]] double mean(double t_s, double baseline) const {
    const double x = t_s - start_s;
    if (x <= 0.0 || x >= down_s + hold_s + up_s) return baseline;
    if (x < down_s) return baseline + (level_mmhg - baseline) * x / down_s;
    if (x < down_s + hold_s) return level_mmhg;
    return level_mmhg + (baseline - level_mmhg) * (x - down_s - hold_s) / up_s;
  }
};

void check(bool is_ok, const char* field, double value, const char* rule) {
  if (!is_ok) {
    throw InputError(ErrorCode::BadInput, fmt::format("synthetic_map.{}", field),
                     fmt::format("{}", value), rule);
  }
}

// Places the patient's excursions, one per slot, kinds in random order; appends the events'
// ground-truth intervals to `events`.
std::vector<Excursion> plan_excursions(const SyntheticMapSettings& settings, double slot_s,
                                       time::Instant start, Random& random,
                                       std::vector<EventInterval>& events) {
  const std::size_t excursions = settings.events_per_patient + settings.dips_per_patient;
  std::vector<char> kinds(settings.events_per_patient, 1);
  kinds.resize(excursions, 0);
  for (std::size_t i = kinds.size(); i > 1; --i) {  // Fisher-Yates on our own uniform draws
    const auto j = static_cast<std::size_t>(random.uniform() * static_cast<double>(i));
    std::swap(kinds[i - 1], kinds[std::min(j, i - 1)]);
  }
  const double dip_s = Seconds(settings.dip_length).count();
  const double drift_s = Seconds(settings.drift).count();
  std::vector<Excursion> plan;
  for (std::size_t k = 0; k < excursions; ++k) {
    const double begin_s = static_cast<double>(k) * slot_s + random.uniform() * slot_s / 2.0;
    if (kinds[k] == 0) {
      plan.push_back({begin_s, dip_s / 2.0, 0.0, dip_s / 2.0, settings.dip_level_mmhg, false});
      continue;
    }
    plan.push_back({begin_s, drift_s, Seconds(settings.event_length).count(),
                    Seconds(settings.recovery).count(), settings.event_level_mmhg, true});
    const auto onset =
        start + std::chrono::duration_cast<std::chrono::nanoseconds>(Seconds(begin_s + drift_s));
    events.push_back({onset, onset + settings.event_length});
  }
  return plan;
}

}  // namespace

std::vector<PatientRecord> synthetic_map_records(const SyntheticMapSettings& settings) {
  const double duration_s = Seconds(settings.duration).count();
  const double interval_s = Seconds(settings.sample_interval).count();
  check(interval_s > 0.0, "sample_interval", interval_s, "must be greater than 0 s");
  check(settings.ar_coefficient >= 0.0 && settings.ar_coefficient < 1.0, "ar_coefficient",
        settings.ar_coefficient, "must be in [0, 1)");
  const std::size_t excursions = settings.events_per_patient + settings.dips_per_patient;
  const double slot_s = duration_s / static_cast<double>(std::max<std::size_t>(excursions, 1));
  const double event_s = Seconds(settings.drift + settings.event_length + settings.recovery).count();
  const double dip_s = Seconds(settings.dip_length).count();
  check(std::max(event_s, dip_s) * 2.0 <= slot_s, "duration", duration_s,
        "too short: each excursion needs a slot of at least twice its length");
  const auto start = time::parse_iso8601("2024-01-01T00:00:00Z");
  const double innovation_sd =
      settings.noise_sd_mmhg * std::sqrt(1.0 - settings.ar_coefficient * settings.ar_coefficient);
  Random random(settings.seed);
  std::vector<PatientRecord> records;
  records.reserve(settings.patients);
  for (std::size_t p = 0; p < settings.patients; ++p) {
    PatientRecord record{fmt::format("synthetic-{}", p), {}, {}};
    const auto plan = plan_excursions(settings, slot_s, start, random, record.events);
    double noise = random.normal() * settings.noise_sd_mmhg;
    const auto count = static_cast<std::size_t>(std::floor(duration_s / interval_s)) + 1;
    record.samples.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const double t_s = static_cast<double>(i) * interval_s;
      double mean = settings.baseline_mmhg;
      for (const auto& excursion : plan) {
        mean = std::min(mean, excursion.mean(t_s, settings.baseline_mmhg));
      }
      noise = settings.ar_coefficient * noise + innovation_sd * random.normal();
      double value = mean + noise + settings.measurement_sd_mmhg * random.normal();
      if (random.uniform() < settings.artifact_probability) value -= settings.artifact_drop_mmhg;
      record.samples.push_back(SignalSample{
          start + settings.sample_interval * static_cast<std::int64_t>(i), record.patient, "map",
          value * units::kPaPerMmHg});
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace ptwin::clinical::alerts
