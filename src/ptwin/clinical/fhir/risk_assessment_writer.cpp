// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/risk_assessment_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/clinical/fhir/quantities.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::fhir {
namespace {

using nlohmann::json;

void check(const RiskAssessmentInput& in) {
  if (in.patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, "risk assessment: patient_id", "",
                     "must name the FHIR Patient");
  }
  if (in.forecasts.empty()) {
    throw InputError(ErrorCode::MissingField, "risk assessment: forecasts", "",
                     "needs at least one forecast");
  }
  for (const auto& f : in.forecasts) {
    if (!(f.probability >= 0.0 && f.probability <= 1.0)) {
      throw InputError(ErrorCode::BadInput, "risk assessment: forecasts.probability",
                       fmt::format("{}", f.probability), "must be within [0, 1]");
    }
    if (f.horizon.count() <= 0) {
      throw InputError(ErrorCode::BadInput, "risk assessment: forecasts.horizon",
                       fmt::format("{} s", f.horizon.count()), "must be positive");
    }
  }
}

json forecast_interval(std::string_view loinc, std::string_view display, const json& median,
                       const json& low, const json& high) {
  return {{"url", kForecastExtension},
          {"extension",
           json::array(
               {{{"url", "quantity"},
                 {"valueCodeableConcept",
                  {{"coding",
                    json::array({{{"system", kLoinc}, {"code", loinc}, {"display", display}}})}}}},
                {{"url", "median"}, {"valueQuantity", median}},
                {{"url", "interval"}, {"valueRange", {{"low", low}, {"high", high}}}},
                {{"url", "level"}, {"valueDecimal", 0.9}}})}};
}

json prediction(const RiskAssessmentInput& in, const twin::risk::HypotensionForecast& f) {
  const double threshold_mmhg = in.hypotension_threshold_pa / units::kPaPerMmHg;
  const auto minutes = static_cast<double>(f.horizon.count()) / 60.0;
  const auto& map = f.mean_arterial_pressure_pa;
  const auto& co = f.cardiac_output_m3_per_s;
  json out{
      {"outcome",
       {{"coding", json::array({{{"system", kCodeSystem},
                                 {"code", "hypotension-event"},
                                 {"display", "Hypotension event"}}})},
        {"text", fmt::format("Hypotension: mean arterial pressure < {:g} mmHg for at least {} s",
                             threshold_mmhg, in.minimum_duration.count())}}},
      {"probabilityDecimal", rounded(f.probability, 4)},
      {"whenPeriod",
       {{"start", time::format_iso8601(in.occurrence)},
        {"end", time::format_iso8601(in.occurrence + f.horizon)}}},
      {"rationale",
       fmt::format("Largest marginal probability of MAP < {:g} mmHg over the next {:g} min from "
                   "the twin's posterior (a lower bound of the event probability); forecast MAP "
                   "at {:g} min {:.0f} mmHg (90 % interval {:.0f}-{:.0f})",
                   threshold_mmhg, minutes, minutes, map.p50 / units::kPaPerMmHg,
                   map.p05 / units::kPaPerMmHg, map.p95 / units::kPaPerMmHg)},
      {"extension",
       json::array(
           {forecast_interval("8478-0", "Mean blood pressure", pressure_mmhg(map.p50),
                              pressure_mmhg(map.p05), pressure_mmhg(map.p95)),
            forecast_interval("8741-1", "Left ventricular Cardiac output", flow_l_per_min(co.p50),
                              flow_l_per_min(co.p05), flow_l_per_min(co.p95))})}};
  if (f.recalibration != twin::risk::RecalibrationMethod::None) {
    // The raw probability is kept unrounded so that a reader can check the map's result.
    out["extension"].push_back(
        {{"url", kRecalibrationExtension},
         {"extension",
          json::array({{{"url", "method"},
                        {"valueCode", std::string(twin::risk::to_string(f.recalibration))}},
                       {{"url", "rawProbability"}, {"valueDecimal", f.raw_probability}}})}});
    out["rationale"] = out["rationale"].get<std::string>() +
                       fmt::format("; recalibrated ({}) from the raw {:.4f}",
                                   twin::risk::to_string(f.recalibration), f.raw_probability);
  }
  return out;
}

}  // namespace

json write_risk_assessment(const RiskAssessmentInput& in) {
  check(in);
  const auto at = time::format_iso8601(in.occurrence);
  const auto& model = in.provenance.model;
  const auto key = fmt::format("risk|{}|{}|{}", in.patient_id, at, model.settings_digest);
  json out{{"resourceType", "RiskAssessment"},
           {"id", output_id("risk", key)},
           {"identifier",
            json::array({{{"system", kIdentifierSystem}, {"value", output_id("risk", key)}}})},
           {"status", "final"},
           {"method",
            {{"coding", json::array({{{"system", kCodeSystem},
                                      {"code", in.filter == StateFilter::Enkf ? "enkf-gaussian-forecast"
                                                                              : "ukf-gaussian-forecast"},
                                      {"display", in.filter == StateFilter::Enkf
                                                      ? "EnKF state estimate and Gaussian forecast"
                                                      : "UKF state estimate and Gaussian forecast"}}})}}},
           {"code",
            {{"coding", json::array({{{"system", kCodeSystem},
                                      {"code", "hypotension-risk"},
                                      {"display", "Risk of hypotension"}}})}}},
           {"subject", {{"reference", "Patient/" + in.patient_id}}},
           {"occurrenceDateTime", at},
           {"performer", model_device_reference(model)},
           {"prediction", json::array()}};
  for (const auto& reference : in.basis) out["basis"].push_back({{"reference", reference}});
  std::string note;
  for (const auto& f : in.forecasts) {
    out["prediction"].push_back(prediction(in, f));
    if (!note.empty()) note += "; ";
    note += fmt::format("{} min: P = {:.3f}, MAP {:.0f} mmHg (90 % {:.0f}-{:.0f})",
                        f.horizon.count() / 60, f.probability,
                        f.mean_arterial_pressure_pa.p50 / units::kPaPerMmHg,
                        f.mean_arterial_pressure_pa.p05 / units::kPaPerMmHg,
                        f.mean_arterial_pressure_pa.p95 / units::kPaPerMmHg);
  }
  out["note"] =
      json::array({{{"text", fmt::format("{} {}: {}", model.name, model.version, note)}}});
  stamp_model_provenance(out, in.provenance);
  return out;
}

}  // namespace ptwin::clinical::fhir
