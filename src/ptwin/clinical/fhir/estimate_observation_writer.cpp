// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/estimate_observation_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/clinical/fhir/quantities.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/twin/risk/haemodynamic_trend_model.hpp"

namespace ptwin::clinical::fhir {
namespace {

using nlohmann::json;
using Index = twin::risk::HaemodynamicTrendModel::StateIndex;

constexpr double kZ95 = 1.6448536269514722;  // two-sided 90 %

struct Parameter {
  const char* id_prefix;
  json code;
  json (*quantity)(double si);
};

void check(const EstimateInput& in) {
  if (in.patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, "estimate observation: patient_id", "",
                     "must name the FHIR Patient");
  }
  const auto& e = in.estimate;
  if (e.mean.size() != 4 || e.covariance.rows() != 4 || e.covariance.cols() != 4) {
    throw InputError(ErrorCode::BadInput, "estimate observation: estimate",
                     fmt::format("{} states", e.mean.size()),
                     "must be the 4-state trend model posterior");
  }
  for (const int i : {Index::kLnResistance, Index::kLnCardiacOutput}) {
    if (!std::isfinite(e.mean[i]) || !(e.covariance(i, i) >= 0.0) ||
        !std::isfinite(e.covariance(i, i))) {
      throw InputError(ErrorCode::BadInput, fmt::format("estimate observation: estimate[{}]", i),
                       fmt::format("mean {} variance {}", e.mean[i], e.covariance(i, i)),
                       "must be finite with a non-negative variance");
    }
  }
}

json observation(const EstimateInput& in, const Parameter& p, int index) {
  const double mean = in.estimate.mean[index];
  const double sd = std::sqrt(in.estimate.covariance(index, index));
  const auto at = time::format_iso8601(in.time);
  const auto key = fmt::format("{}|{}|{}|{}", p.id_prefix, in.patient_id, at,
                               in.provenance.model.settings_digest);
  json out{{"resourceType", "Observation"},
           {"id", output_id(p.id_prefix, key)},
           {"identifier",
            json::array({{{"system", kIdentifierSystem}, {"value", output_id(p.id_prefix, key)}}})},
           {"status", "final"},
           {"code", p.code},
           {"subject", {{"reference", "Patient/" + in.patient_id}}},
           {"effectiveDateTime", at},
           {"valueQuantity", p.quantity(std::exp(mean))},
           {"method",
            {{"coding", json::array({{{"system", kCodeSystem},
                                      {"code", "ukf-posterior"},
                                      {"display", "Unscented Kalman filter posterior (median)"}}})},
             {"text", "Estimated by the patient's digital twin, not measured"}}},
           {"device", model_device_reference(in.provenance.model)},
           {"component",
            json::array({{{"code",
                           {{"coding", json::array({{{"system", kCodeSystem},
                                                     {"code", "credible-interval-90"},
                                                     {"display", "90 % credible interval"}}})}}},
                          {"valueRange",
                           {{"low", p.quantity(std::exp(mean - kZ95 * sd))},
                            {"high", p.quantity(std::exp(mean + kZ95 * sd))}}}}})}};
  stamp_model_provenance(out, in.provenance);
  return out;
}

}  // namespace

std::vector<json> write_estimate_observations(const EstimateInput& in) {
  check(in);
  const Parameter svr{
      "svr",
      {{"coding", json::array({{{"system", kCodeSystem},
                                {"code", "systemic-vascular-resistance"},
                                {"display", "Systemic vascular resistance (estimated)"}}})},
       {"text", "Systemic vascular resistance, estimated"}},
      &resistance_dyn_s_per_cm5};
  const Parameter co{"co",
                     {{"coding", json::array({{{"system", kLoinc},
                                               {"code", "8741-1"},
                                               {"display", "Left ventricular Cardiac output"}}})},
                      {"text", "Cardiac output, estimated"}},
                     &flow_l_per_min};
  return {observation(in, svr, Index::kLnResistance), observation(in, co, Index::kLnCardiacOutput)};
}

}  // namespace ptwin::clinical::fhir
