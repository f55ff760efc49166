// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/cohort/deterioration_recording.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/recording/mqtt_recording_writer.hpp"

namespace ptwin::twin::cohort {
namespace {

namespace rec = ingest::recording;

constexpr int kDurationS = 3600;
constexpr int kVitalsIntervalS = 5;
constexpr int kSpo2IntervalS = 15;
constexpr int kFirstCardiacOutputS = 150;
constexpr int kCardiacOutputIntervalS = 300;
constexpr double kCvpMmHg = 6.0;
constexpr double kBaselineMapMmHg = 99.0;
constexpr double kBaselineCoLMin = 5.1;
constexpr double kBaselineHeartRate = 70.0;
constexpr double kBaselinePulsePressureMmHg = 48.0;
constexpr double kFullCoFall = 0.60;
constexpr double kWanderSd = 0.02;
constexpr double kWanderMemoryS = 300.0;
// The arterial line's fast flush: readings at these seconds are the flush's plateau.
constexpr std::array kFlushSeconds{720, 725, 730};

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: the logarithm stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::mt19937_64 engine_;
};

double ramp(double minute, double from, double to) {
  return std::clamp((minute - from) / (to - from), 0.0, 1.0);
}
double co_offset(double minute) { return -kFullCoFall * ramp(minute, 20.0, 50.0); }
double svr_offset(double minute) {
  return minute < 32.0 ? 0.15 * ramp(minute, 20.0, 32.0) : 0.15 * (1.0 - ramp(minute, 32.0, 50.0));
}

struct Line {
  std::int64_t received_ms;
  std::string text;
};

class Recorder {
 public:
  Recorder(const DeteriorationRecordingSettings& settings, Random& random)
      : settings_(settings), random_(random), start_ms_(time::to_epoch_ns(settings.start) / 1'000'000) {}

  // A reading of the patient at second `t_s`, received 20-80 ms later.
  void reading(std::string_view bed_topic, std::string_view device, std::string_view quantity,
               std::string_view unit, const std::string& value, int t_s) {
    raw(bed_topic, t_s, payload(device, settings_.patient_id, quantity, unit, value,
                                start_ms_ + std::int64_t{t_s} * 1000));
  }
  // A line as given, received 20-80 ms after second `t_s`.
  void raw(std::string_view topic, int t_s, const std::string& payload_text) {
    const auto received = start_ms_ + std::int64_t{t_s} * 1000 +
                          20 + static_cast<std::int64_t>(60.0 * random_.uniform());
    lines_.push_back({received, rec::format_recorded_message(received, topic, payload_text)});
  }
  void raw_line(int t_s, std::string line) {
    lines_.push_back({start_ms_ + std::int64_t{t_s} * 1000 + 50, std::move(line)});
  }
  [[nodiscard]] std::string payload(std::string_view device, std::string_view patient,
                                    std::string_view quantity, std::string_view unit,
                                    const std::string& value, std::int64_t t_ms) const {
    return fmt::format(
        R"({{"device":"{}","patient":"{}","quantity":"{}","unit":"{}","value":{},"t":{}}})",
        device, patient, quantity, unit, value, t_ms);
  }
  [[nodiscard]] std::int64_t start_ms() const { return start_ms_; }
  [[nodiscard]] std::string finish(const rec::RecordingHeader& header) {
    std::stable_sort(lines_.begin(), lines_.end(),
                     [](const Line& a, const Line& b) { return a.received_ms < b.received_ms; });
    std::string text = rec::format_recording_header(header);
    for (const auto& line : lines_) text.append(line.text);
    return text;
  }

 private:
  const DeteriorationRecordingSettings& settings_;
  Random& random_;
  std::int64_t start_ms_;
  std::vector<Line> lines_;
};

std::string integer(double value) { return fmt::format("{}", std::lround(value)); }

constexpr std::string_view kArt = "icu/bed-12/art";
constexpr std::string_view kEcg = "icu/bed-12/ecg";
constexpr std::string_view kOxi = "icu/bed-12/spo2";
constexpr std::string_view kCo = "icu/bed-12/co";

// The arterial line and the ECG at second `t_s` (every 5 s), faults included.
void record_continuous(Recorder& recorder, Random& random, const std::string& patient, int t_s,
                       double wander) {
  const double minute = t_s / 60.0;
  const double c = co_offset(minute);
  const double s = svr_offset(minute) + wander;
  const double map = (kBaselineMapMmHg - kCvpMmHg) * std::exp(s + c) + kCvpMmHg;
  const double heart_rate = kBaselineHeartRate + 35.0 * (-c / kFullCoFall);
  const double stroke_ratio = std::exp(c) * kBaselineHeartRate / heart_rate;
  const double pulse = kBaselinePulsePressureMmHg * stroke_ratio;
  const double measured_map = map + 1.5 * random.normal();
  const double systolic = measured_map + 2.0 / 3.0 * pulse + random.normal();
  const double diastolic = measured_map - 1.0 / 3.0 * pulse + random.normal();
  const double measured_hr = heart_rate + 1.5 * random.normal();
  const bool is_flush =
      std::find(kFlushSeconds.begin(), kFlushSeconds.end(), t_s) != kFlushSeconds.end();
  recorder.reading(kArt, "art-12", "systolic_pressure", "mm[Hg]",
                   is_flush ? "300" : integer(systolic), t_s);
  recorder.reading(kArt, "art-12", "diastolic_pressure", "mm[Hg]",
                   is_flush ? "290" : integer(diastolic), t_s);
  if (t_s == 1100) {
    // A capture cut short while the MAP message was being written.
    const auto cut = recorder.payload("art-12", patient, "mean_pressure", "mm[Hg]",
                                      integer(measured_map), recorder.start_ms() + 1'100'000);
    recorder.raw_line(t_s, fmt::format(R"({{"received_ms":{},"topic":"{}","payload":{})"
                                       "\n",
                                       recorder.start_ms() + 1'100'050, kArt,
                                       cut.substr(0, cut.size() / 2)));
  } else {
    recorder.reading(kArt, "art-12", "mean_pressure", "mm[Hg]",
                     is_flush ? "296" : integer(measured_map), t_s);
  }
  // At 7:30 the ECG gateway wrote its unit as "BPM", which is not UCUM (UCUM is case-sensitive).
  recorder.reading(kEcg, "ecg-12", "heart_rate", t_s == 450 ? "BPM" : "/min",
                   integer(measured_hr), t_s);
}

// SpO2 (every 15 s), thermodilution cardiac output (every 5 min) and the other bed's reading.
void record_intermittent(Recorder& recorder, Random& random, const std::string& patient,
                         int t_s) {
  const double c = co_offset(t_s / 60.0);
  if (t_s % kSpo2IntervalS == 0) {
    const double spo2 = std::min(100.0, 97.0 - 2.0 * (-c / kFullCoFall) + 0.6 * random.normal());
    if (t_s == 1665) {
      // The oximeter's clock reported seconds instead of milliseconds.
      recorder.raw(kOxi, t_s,
                   recorder.payload("oxi-12", patient, "spo2", "%", integer(spo2),
                                    recorder.start_ms() / 1000 + t_s));
    } else {
      recorder.reading(kOxi, "oxi-12", "spo2", "%", integer(spo2), t_s);
    }
  }
  if (t_s >= kFirstCardiacOutputS && (t_s - kFirstCardiacOutputS) % kCardiacOutputIntervalS == 0) {
    const double co = kBaselineCoLMin * std::exp(c) * (1.0 + 0.07 * random.normal());
    recorder.reading(kCo, "co-12", "cardiac_output", "L/min",
                     fmt::format("{:.2f}", std::round(co * 100.0) / 100.0), t_s);
  }
  if (t_s == 1990) {
    // Another bed's reading on this bed's topic: a mis-associated device.
    recorder.raw(kArt, t_s,
                 recorder.payload("art-14", "synthetic-002", "systolic_pressure", "mm[Hg]", "121",
                                  recorder.start_ms() + 1'990'000));
  }
}

}  // namespace

std::string generate_deterioration_recording(const DeteriorationRecordingSettings& settings) {
  Random random(settings.seed);
  Recorder recorder(settings, random);
  double wander = kWanderSd * random.normal();
  const double decay = std::exp(-kVitalsIntervalS / kWanderMemoryS);
  const double wander_step = kWanderSd * std::sqrt(1.0 - decay * decay);
  for (int t_s = 0; t_s < kDurationS; t_s += kVitalsIntervalS) {
    record_continuous(recorder, random, settings.patient_id, t_s, wander);
    record_intermittent(recorder, random, settings.patient_id, t_s);
    wander = decay * wander + wander_step * random.normal();
  }
  return recorder.finish(
      {.version = ingest::recording::kRecordingVersion,
       .patient_id = settings.patient_id,
       .is_synthetic = true,
       .description = fmt::format(
           "Synthetic: 60 min of an ICU bed monitor, haemorrhage from minute 20 "
           "(ptwin demo-recording --seed {}; docs/recording.md)",
           settings.seed)});
}

}  // namespace ptwin::twin::cohort
