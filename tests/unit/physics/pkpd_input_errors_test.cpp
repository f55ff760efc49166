// SPDX-License-Identifier: Apache-2.0
// Bad PK/PD input is refused with an InputError that names the field and the value.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/concentration_profile.hpp"
#include "ptwin/physics/pkpd/drug_effect_model.hpp"
#include "ptwin/physics/pkpd/fluid_bolus.hpp"
#include "ptwin/physics/pkpd/norepinephrine.hpp"

namespace ptwin::physics::pkpd {
namespace {

void expect_input_error(const std::function<void()>& action, ErrorCode code,
                        const std::string& where, const std::string& value_part) {
  try {
    action();
    ADD_FAILURE() << "no InputError for " << where;
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    EXPECT_EQ(error.where(), where) << error.what();
    EXPECT_NE(error.value().find(value_part), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(where), std::string::npos) << error.what();
  }
}

TEST(PkpdInputErrors, DoseInAVolumeUnitIsAUnitMismatchNamingTheField) {
  expect_input_error([] { (void)dose_amount(2.0, "mL", "bolus.amount"); },
                     ErrorCode::UnitMismatch, "bolus.amount", "mL");
  expect_input_error([] { (void)infusion_rate(5.0, "ug", "infusion.rate"); },
                     ErrorCode::UnitMismatch, "infusion.rate", "ug");
  expect_input_error([] { (void)weight_based_infusion_rate(0.1, "ug/min", 70.0 * kg, "nor"); },
                     ErrorCode::UnitMismatch, "nor", "ug/min");
  expect_input_error([] { (void)mass_concentration(5.0, "ug", "ec50"); }, ErrorCode::UnitMismatch,
                     "ec50", "ug");
  expect_input_error([] { (void)fluid_bolus(500.0, "mg", 0.0 * units::s, 1.0 * units::min); },
                     ErrorCode::UnitMismatch, "fluid_bolus.volume", "mg");
}

TEST(PkpdInputErrors, UnknownUnitIsNamed) {
  expect_input_error([] { (void)dose_amount(2.0, "microgram", "bolus.amount"); },
                     ErrorCode::UnknownUnit, "bolus.amount", "microgram");
}

TEST(PkpdInputErrors, NonPositiveAmountsAndNegativeRatesAreRefused) {
  expect_input_error([] { (void)dose_amount(0.0, "ug", "bolus.amount"); }, ErrorCode::BadInput,
                     "bolus.amount", "0 ug");
  expect_input_error([] { (void)infusion_rate(-1.0, "ug/min", "infusion.rate"); },
                     ErrorCode::BadInput, "infusion.rate", "-1 ug/min");
  expect_input_error([] { (void)fluid_bolus(500.0, "mL", 0.0 * units::s, 0.0 * units::s); },
                     ErrorCode::BadInput, "fluid_bolus.duration", "0 s");
}

TEST(PkpdInputErrors, ScheduleErrorsNameTheEntry) {
  expect_input_error(
      [] { DosingSchedule().add_bolus(-1.0 * units::s, 1.0 * ug); }, ErrorCode::BadInput,
      "bolus[0].time", "-1 s");
  expect_input_error(
      [] {
        DosingSchedule().set_infusion_rate(0.0 * units::s, 1.0 * ug_per_min)
            .set_infusion_rate(0.0 * units::s, 2.0 * ug_per_min);
      },
      ErrorCode::BadInput, "infusion_rate[1].time", "0 s");
}

TEST(PkpdInputErrors, RefusedInfusionLeavesTheScheduleUnchanged) {
  DosingSchedule schedule;
  schedule.set_infusion_rate(10.0 * units::min, 1.0 * ug_per_min);
  // The infusion would end at 10 min, where a rate change already exists.
  expect_input_error([&] { schedule.add_infusion(5.0 * units::min, 5.0 * units::min,
                                                 2.0 * ug_per_min); },
                     ErrorCode::BadInput, "infusion_rate[2].time", "600 s");
  ASSERT_EQ(schedule.rate_changes().size(), 1U);
  EXPECT_EQ(schedule.infusion_rate_at(6.0 * units::min).si(), 0.0);
}

TEST(PkpdInputErrors, ModelParametersMustBePositive) {
  expect_input_error(
      [] {
        (void)TwoCompartmentModel({.central_volume = 10.0 * units::L,
                                   .clearance = 1.0 * units::L_per_min,
                                   .intercompartmental_clearance = 2.0 * units::L_per_min,
                                   .peripheral_volume = 0.0 * units::L});
      },
      ErrorCode::BadInput, "two_compartment.peripheral_volume", "0 m3");
  expect_input_error(
      [] {
        (void)OneCompartmentModel({.volume = 8.8 * units::L, .clearance = -1.0 * units::L_per_min});
      },
      ErrorCode::BadInput, "one_compartment.clearance", "m3/s");
  expect_input_error(
      [] { (void)SigmoidEmax({.emax = 1.0, .ec50 = 5.0 * ug_per_L, .hill = 0.0}); },
      ErrorCode::BadInput, "sigmoid_emax.hill", "0");
}

TEST(PkpdInputErrors, DecreasingTimesAndBadEmaxAreNamed) {
  const OneCompartmentModel model({.volume = 8.8 * units::L, .clearance = 2.0 * units::L_per_min});
  const std::vector<units::Duration> times{2.0 * units::s, 1.0 * units::s};
  expect_input_error([&] { (void)simulate_profile(model, DosingSchedule(), times); },
                     ErrorCode::BadInput, "times[1]", "1 s");
  DrugEffectModel drug = norepinephrine_on_systemic_resistance();
  drug.effect.emax = -1.0;
  const std::vector<units::Duration> ok{0.0 * units::s};
  expect_input_error([&] { (void)drug_parameter_multipliers(drug, DosingSchedule(), ok); },
                     ErrorCode::BadInput, "norepinephrine.sigmoid_emax.emax", "-1");
}

}  // namespace
}  // namespace ptwin::physics::pkpd
