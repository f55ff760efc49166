// SPDX-License-Identifier: Apache-2.0
// Beat artefact rules (beat_quality.hpp) and beats as Samples (beat_samples.hpp).
#include "ptwin/ingest/waveform/beat_quality.hpp"

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/waveform/beat_samples.hpp"

namespace {

using namespace ptwin::ingest::waveform;
namespace units = ptwin::units;
using ptwin::SampleQuality;

ArterialBeat beat(double systolic_mmhg, double diastolic_mmhg, double mean_mmhg, double period_s) {
  ArterialBeat b;
  b.onset_index = 1000;
  b.onset_time = ptwin::time::from_epoch_ns(1'700'000'000'000'000'000);
  b.systolic = systolic_mmhg * units::mmHg;
  b.diastolic = diastolic_mmhg * units::mmHg;
  b.mean = mean_mmhg * units::mmHg;
  b.pulse_pressure = b.systolic - b.diastolic;
  b.duration = period_s * units::s;
  b.heart_rate = units::Frequency::from_si(1.0 / period_s);
  return b;
}

BeatIssues assessed(ArterialBeat b, const ArterialBeat* previous = nullptr,
                    std::optional<FlatSegmentKind> flat = std::nullopt) {
  assess(b, BeatQualityRules{}, flat, previous);
  return b.issues;
}

TEST(BeatQuality, NormalBeatIsGood) {
  auto b = beat(120, 80, 95, 0.8);
  assess(b, BeatQualityRules{}, std::nullopt, nullptr);
  EXPECT_TRUE(b.issues.is_empty());
  EXPECT_EQ(b.quality, SampleQuality::Good);
}

TEST(BeatQuality, PhysiologicRangesMakeArtefactsOnBothSidesOfEachLimit) {
  EXPECT_TRUE(assessed(beat(301, 80, 150, 0.8)).has(BeatIssue::SystolicOutOfRange));
  EXPECT_FALSE(assessed(beat(299, 80, 150, 0.8)).has(BeatIssue::SystolicOutOfRange));
  EXPECT_TRUE(assessed(beat(19, 5, 10, 0.8)).has(BeatIssue::SystolicOutOfRange));
  EXPECT_TRUE(assessed(beat(60, 19, 40, 0.8)).has(BeatIssue::DiastolicOutOfRange));
  EXPECT_FALSE(assessed(beat(60, 21, 40, 0.8)).has(BeatIssue::DiastolicOutOfRange));
  EXPECT_TRUE(assessed(beat(90, 25, 29, 0.8)).has(BeatIssue::MeanOutOfRange));
  EXPECT_FALSE(assessed(beat(90, 25, 31, 0.8)).has(BeatIssue::MeanOutOfRange));
  EXPECT_TRUE(assessed(beat(260, 190, 201, 0.8)).has(BeatIssue::MeanOutOfRange));
  EXPECT_TRUE(assessed(beat(120, 80, 95, 60.0 / 19.0)).has(BeatIssue::HeartRateOutOfRange));
  EXPECT_FALSE(assessed(beat(120, 80, 95, 60.0 / 21.0)).has(BeatIssue::HeartRateOutOfRange));
  EXPECT_TRUE(assessed(beat(120, 80, 95, 60.0 / 201.0)).has(BeatIssue::HeartRateOutOfRange));
  EXPECT_TRUE(assessed(beat(99, 80, 90, 0.8)).has(BeatIssue::PulsePressureTooLow));
  EXPECT_FALSE(assessed(beat(101, 80, 90, 0.8)).has(BeatIssue::PulsePressureTooLow));
  auto b = beat(99, 80, 90, 0.8);
  assess(b, BeatQualityRules{}, std::nullopt, nullptr);
  EXPECT_EQ(b.quality, SampleQuality::Artefact);
}

TEST(BeatQuality, AbruptChangesAgainstThePreviousTrustedBeatAreQuestionable) {
  const auto previous = beat(120, 80, 95, 0.8);
  EXPECT_TRUE(assessed(beat(141, 80, 100, 0.8), &previous).has(BeatIssue::AbruptSystolicChange));
  EXPECT_FALSE(assessed(beat(139, 80, 100, 0.8), &previous).has(BeatIssue::AbruptSystolicChange));
  EXPECT_TRUE(assessed(beat(120, 59, 90, 0.8), &previous).has(BeatIssue::AbruptDiastolicChange));
  EXPECT_TRUE(assessed(beat(120, 80, 95, 1.5), &previous).has(BeatIssue::AbruptPeriodChange));
  EXPECT_FALSE(assessed(beat(120, 80, 95, 1.4), &previous).has(BeatIssue::AbruptPeriodChange));
  auto b = beat(150, 80, 105, 0.8);
  assess(b, BeatQualityRules{}, std::nullopt, &previous);
  EXPECT_EQ(b.quality, SampleQuality::Questionable);
}

TEST(BeatQuality, FlushAndZeroingMakeArtefactsWhateverTheValues) {
  auto b = beat(120, 80, 95, 0.8);
  assess(b, BeatQualityRules{}, FlatSegmentKind::LineFlush, nullptr);
  EXPECT_EQ(b.quality, SampleQuality::Artefact);
  EXPECT_EQ(describe(b.issues), "line_flush");
  assess(b, BeatQualityRules{}, FlatSegmentKind::Zeroing, nullptr);
  EXPECT_EQ(describe(b.issues), "zeroing");
}

TEST(BeatSamples, TrustedBeatsBecomeFourVitalSignSamplesAndArtefactsAreExcluded) {
  auto good = beat(120, 80, 95, 0.8);
  auto questionable = beat(150, 80, 105, 0.8);
  questionable.onset_index = 1200;
  questionable.quality = SampleQuality::Questionable;
  auto artefact = beat(99, 80, 90, 0.8);
  artefact.onset_index = 1400;
  assess(artefact, BeatQualityRules{}, std::nullopt, nullptr);
  const std::vector beats{good, questionable, artefact};
  const auto out = to_samples(beats, "patient-1", "monitor:bed4/ABP");
  ASSERT_EQ(out.samples.size(), 8U);
  EXPECT_EQ(out.converted_beats, 2);
  ASSERT_EQ(out.excluded.size(), 1U);
  EXPECT_EQ(out.excluded[0].onset_index, 1400);
  EXPECT_EQ(out.excluded[0].reason, "pulse_pressure_too_low");
  EXPECT_EQ(out.samples[0].code, "8480-6");
  EXPECT_DOUBLE_EQ(out.samples[0].value_si, 120 * units::kPaPerMmHg);
  EXPECT_EQ(out.samples[0].unit_of_origin, "mm[Hg]");
  EXPECT_EQ(out.samples[1].code, "8462-4");
  EXPECT_EQ(out.samples[2].code, "8478-0");
  EXPECT_EQ(out.samples[3].code, "8867-4");
  EXPECT_DOUBLE_EQ(out.samples[3].value_si, 1.25);  // Hz
  EXPECT_EQ(out.samples[3].unit_of_origin, "/min");
  EXPECT_EQ(out.samples[0].source_id, "monitor:bed4/ABP#beat@1000");
  EXPECT_EQ(out.samples[0].time, good.onset_time);
  EXPECT_EQ(out.samples[4].quality, SampleQuality::Questionable);
  EXPECT_THROW((void)to_samples(beats, "", "monitor:bed4/ABP"), ptwin::InputError);
}

}  // namespace
