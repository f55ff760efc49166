// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/beat_quality.hpp"

#include <array>
#include <string_view>
#include <utility>

#include "ptwin/core/units.hpp"

namespace ptwin::ingest::waveform {

std::string describe(BeatIssues issues) {
  static constexpr std::array<std::pair<BeatIssue, std::string_view>, 10> kNames{{
      {BeatIssue::SystolicOutOfRange, "systolic_out_of_range"},
      {BeatIssue::DiastolicOutOfRange, "diastolic_out_of_range"},
      {BeatIssue::MeanOutOfRange, "mean_out_of_range"},
      {BeatIssue::HeartRateOutOfRange, "heart_rate_out_of_range"},
      {BeatIssue::PulsePressureTooLow, "pulse_pressure_too_low"},
      {BeatIssue::AbruptSystolicChange, "abrupt_systolic_change"},
      {BeatIssue::AbruptDiastolicChange, "abrupt_diastolic_change"},
      {BeatIssue::AbruptPeriodChange, "abrupt_period_change"},
      {BeatIssue::LineFlush, "line_flush"},
      {BeatIssue::Zeroing, "zeroing"},
  }};
  std::string text;
  for (const auto& [issue, name] : kNames) {
    if (!issues.has(issue)) continue;
    if (!text.empty()) text.append(", ");
    text.append(name);
  }
  return text;
}

namespace {

template <typename Q>
bool is_outside(Q value, Q minimum, Q maximum) {
  return value < minimum || value > maximum;
}

template <typename Q>
Q absolute(Q value) {
  return value < Q{} ? -value : value;
}

}  // namespace

void assess(ArterialBeat& beat, const BeatQualityRules& rules,
            std::optional<FlatSegmentKind> flat_segment, const ArterialBeat* previous_trusted) {
  BeatIssues issues;
  if (flat_segment == FlatSegmentKind::LineFlush) issues.add(BeatIssue::LineFlush);
  if (flat_segment == FlatSegmentKind::Zeroing) issues.add(BeatIssue::Zeroing);
  if (is_outside(beat.systolic, rules.systolic_min, rules.systolic_max)) {
    issues.add(BeatIssue::SystolicOutOfRange);
  }
  if (is_outside(beat.diastolic, rules.diastolic_min, rules.diastolic_max)) {
    issues.add(BeatIssue::DiastolicOutOfRange);
  }
  if (is_outside(beat.mean, rules.mean_min, rules.mean_max)) issues.add(BeatIssue::MeanOutOfRange);
  if (is_outside(beat.heart_rate, rules.heart_rate_min, rules.heart_rate_max)) {
    issues.add(BeatIssue::HeartRateOutOfRange);
  }
  if (beat.pulse_pressure < rules.pulse_pressure_min) issues.add(BeatIssue::PulsePressureTooLow);
  const bool is_artefact = !issues.is_empty();
  if (previous_trusted != nullptr) {
    if (absolute(beat.systolic - previous_trusted->systolic) > rules.max_systolic_change) {
      issues.add(BeatIssue::AbruptSystolicChange);
    }
    if (absolute(beat.diastolic - previous_trusted->diastolic) > rules.max_diastolic_change) {
      issues.add(BeatIssue::AbruptDiastolicChange);
    }
    if (absolute(beat.duration - previous_trusted->duration) > rules.max_period_change) {
      issues.add(BeatIssue::AbruptPeriodChange);
    }
  }
  beat.issues = issues;
  beat.quality = is_artefact         ? SampleQuality::Artefact
                 : issues.is_empty() ? SampleQuality::Good
                                     : SampleQuality::Questionable;
}

}  // namespace ptwin::ingest::waveform
