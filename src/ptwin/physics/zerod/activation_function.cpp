// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/activation_function.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>
#include <optional>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace ptwin::physics::zerod {
namespace {

double positive_mod(double t, double period) {
  const double r = std::fmod(t, period);
  return r < 0 ? r + period : r;
}

class PiecewiseCosine final : public ActivationFunction {
 public:
  // relax_start_s: start of relaxation; absent means contract_start_s + contract_duration_s.
  PiecewiseCosine(double period_s, double contract_start_s, double contract_duration_s,
                  double relax_duration_s, std::optional<double> relax_start_s)
      : period_s_(period_s),
        contract_start_s_(contract_start_s),
        contract_duration_s_(contract_duration_s),
        relax_duration_s_(relax_duration_s),
        relax_start_s_(relax_start_s) {}
  [[nodiscard]] double value(double t_s) const override {
    const double m_c = positive_mod(t_s - contract_start_s_, period_s_);
    if (m_c < contract_duration_s_) {
      return 0.5 * (1.0 - std::cos(std::numbers::pi * m_c / contract_duration_s_));
    }
    const double m_r = relax_start_s_ ? positive_mod(t_s - *relax_start_s_, period_s_)
                                      : m_c - contract_duration_s_;
    if (m_r < relax_duration_s_) {
      return 0.5 * (1.0 + std::cos(std::numbers::pi * m_r / relax_duration_s_));
    }
    return 0.0;
  }
  [[nodiscard]] std::string_view type() const override { return "piecewise_cosine"; }

 private:
  double period_s_, contract_start_s_, contract_duration_s_, relax_duration_s_;
  std::optional<double> relax_start_s_;
};

class TwoHill final : public ActivationFunction {
 public:
  TwoHill(double period_s, double shift_s, double tau_1_s, double tau_2_s, double m1, double m2)
      : period_s_(period_s), shift_s_(shift_s), tau_1_s_(tau_1_s), tau_2_s_(tau_2_s), m1_(m1),
        m2_(m2) {
    // Normalise by the maximum over one beat, found on a fine grid and refined by golden section.
    double best_s = 0.0;
    double best = 0.0;
    constexpr int kSamples = 20000;
    for (int i = 0; i < kSamples; ++i) {
      const double s = period_s_ * i / kSamples;
      if (const double v = raw(s); v > best) {
        best = v;
        best_s = s;
      }
    }
    double lo = std::max(0.0, best_s - period_s_ / kSamples);
    double hi = std::min(period_s_, best_s + period_s_ / kSamples);
    for (int i = 0; i < 60; ++i) {
      const double a = hi - (hi - lo) / std::numbers::phi;
      const double b = lo + (hi - lo) / std::numbers::phi;
      (raw(a) > raw(b) ? hi : lo) = (raw(a) > raw(b) ? b : a);
    }
    normaliser_ = 1.0 / std::max(best, raw(0.5 * (lo + hi)));
  }
  [[nodiscard]] double value(double t_s) const override {
    return normaliser_ * raw(positive_mod(t_s - shift_s_, period_s_));
  }
  [[nodiscard]] std::string_view type() const override { return "two_hill"; }

 private:
  [[nodiscard]] double raw(double s) const {
    // g1 / (1 + g1) written as 1 / (1 + 1/g1): no inf/inf when (s/tau_1)^m1 overflows.
    const double rising = 1.0 / (1.0 + std::pow(tau_1_s_ / s, m1_));
    const double falling = 1.0 / (1.0 + std::pow(s / tau_2_s_, m2_));
    return rising * falling;
  }
  double period_s_, shift_s_, tau_1_s_, tau_2_s_, m1_, m2_;
  double normaliser_ = 1.0;
};

class HalfCosine final : public ActivationFunction {
 public:
  HalfCosine(double period_s, double active_s, double twitch_s)
      : period_s_(period_s), active_s_(active_s), twitch_s_(twitch_s) {}
  [[nodiscard]] double value(double t_s) const override {
    const double t_c = positive_mod(t_s, period_s_) - active_s_;
    if (t_c < 0.0 || t_c > twitch_s_) return 0.0;
    return 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * t_c / twitch_s_));
  }
  [[nodiscard]] std::string_view type() const override { return "half_cosine"; }

 private:
  double period_s_, active_s_, twitch_s_;
};

using Factory = std::function<std::unique_ptr<ActivationFunction>(ParameterReader&, double)>;

// One registry for the family: config key -> factory (STYLE.md §7).
const std::map<std::string, Factory, std::less<>>& activation_registry() {
  static const std::map<std::string, Factory, std::less<>> registry{
      {"piecewise_cosine",
       [](ParameterReader& r, double period_s) -> std::unique_ptr<ActivationFunction> {
         const double contract_start_s = r.quantity_si("contract_start", units::kTimeDim);
         const double contract_duration_s =
             r.quantity_si("contract_duration", units::kTimeDim, Bound::Positive);
         const double relax_duration_s =
             r.quantity_si("relax_duration", units::kTimeDim, Bound::Positive);
         std::optional<double> relax_start_s;
         if (r.has("relax_start")) relax_start_s = r.quantity_si("relax_start", units::kTimeDim);
         return std::make_unique<PiecewiseCosine>(period_s, contract_start_s, contract_duration_s,
                                                  relax_duration_s, relax_start_s);
       }},
      {"two_hill",
       [](ParameterReader& r, double period_s) -> std::unique_ptr<ActivationFunction> {
         return std::make_unique<TwoHill>(
             period_s, r.quantity_si("shift", units::kTimeDim, Bound::Any),
             r.quantity_si("tau_1", units::kTimeDim, Bound::Positive),
             r.quantity_si("tau_2", units::kTimeDim, Bound::Positive),
             r.number("m1", Bound::Positive), r.number("m2", Bound::Positive));
       }},
      {"half_cosine",
       [](ParameterReader& r, double period_s) -> std::unique_ptr<ActivationFunction> {
         return std::make_unique<HalfCosine>(
             period_s, r.quantity_si("active_start", units::kTimeDim),
             r.quantity_si("twitch_duration", units::kTimeDim, Bound::Positive));
       }},
  };
  return registry;
}

}  // namespace

std::unique_ptr<ActivationFunction> make_activation_function(const nlohmann::json& json,
                                                             double period_s,
                                                             std::string_view where) {
  if (!json.is_object() || !json.contains("type") || !json.at("type").is_string()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.type", where), json.dump(),
                     "an activation function needs a \"type\" (piecewise_cosine, two_hill, "
                     "half_cosine)");
  }
  const auto type = json.at("type").get<std::string>();
  const auto& registry = activation_registry();
  const auto entry = registry.find(type);
  if (entry == registry.end()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.type", where), type,
                     "is not an activation function (piecewise_cosine, two_hill, half_cosine)");
  }
  nlohmann::json parameters = json;
  parameters.erase("type");
  ParameterReader reader(parameters, std::string(where));
  auto function = entry->second(reader, period_s);
  reader.reject_unread();
  return function;
}

}  // namespace ptwin::physics::zerod
