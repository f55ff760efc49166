// SPDX-License-Identifier: Apache-2.0
#pragma once
// Normalised cardiac activation A(t) in [0, 1] that drives time-varying elastance chambers.
//
// piecewise_cosine (Regazzoni et al. 2022, regazzoni2022cardiac): contraction from t_C over T_C,
//   relaxation from t_R over T_R (relax_start t_R is optional and defaults to t_C + T_C; when
//   given, a contraction window takes precedence where the two overlap):
//     A = (1 - cos(pi m_C / T_C)) / 2   for m_C = (t - t_C) mod T in [0, T_C)
//     A = (1 + cos(pi m_R / T_R)) / 2   for m_R = (t - t_R) mod T in [0, T_R)
//     A = 0 otherwise  (mod is the non-negative remainder: every beat is activated, including
//     the part of the first one before t_C)
// two_hill (Stergiopulos et al. 1996, stergiopulos1996elastic; Mynard et al. 2012):
//     g1 = (s/tau_1)^m1, g2 = (s/tau_2)^m2, A = N g1/(1+g1) 1/(1+g2), s = (t - t_shift) mod T,
//     N normalises the maximum over a beat to 1.
// half_cosine: A = (1 - cos(2 pi (t_c / t_twitch))) / 2 for t_c = (t mod T) - t_active in
//     [0, t_twitch], else 0.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ptwin::physics::zerod {

class ActivationFunction {
 public:
  virtual ~ActivationFunction() = default;
  /// A(t) in [0, 1] at time t_s.
  [[nodiscard]] virtual double value(double t_s) const = 0;
  [[nodiscard]] virtual std::string_view type() const = 0;
};

/// Builds an activation function from its JSON object {"type": ..., parameters with units};
/// `period_s` is the heart period. Throws InputError naming the field on bad input.
[[nodiscard]] std::unique_ptr<ActivationFunction> make_activation_function(
    const nlohmann::json& json, double period_s, std::string_view where);

}  // namespace ptwin::physics::zerod
