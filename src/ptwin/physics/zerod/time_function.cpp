// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/time_function.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace ptwin::physics::zerod {

TimeFunction TimeFunction::constant(double value_si) {
  TimeFunction f;
  f.kind_ = Kind::Constant;
  f.constant_ = value_si;
  return f;
}

TimeFunction TimeFunction::table(std::vector<double> times_s, std::vector<double> values_si,
                                 bool is_periodic, bool is_spline, std::string_view where) {
  if (times_s.size() != values_si.size() || times_s.size() < 2) {
    throw InputError(ErrorCode::BadInput, std::string(where),
                     fmt::format("{} times, {} values", times_s.size(), values_si.size()),
                     "needs at least two points and as many values as times");
  }
  for (std::size_t i = 1; i < times_s.size(); ++i) {
    if (!(times_s[i] > times_s[i - 1])) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.times[{}]", where, i),
                       fmt::format("{}", times_s[i]), "times must increase strictly");
    }
  }
  if (is_periodic) {
    const double scale = std::max(std::abs(values_si.front()), std::abs(values_si.back()));
    if (std::abs(values_si.front() - values_si.back()) > 1e-6 * scale + 1e-300) {
      throw InputError(ErrorCode::BadInput, std::string(where),
                       fmt::format("first {} last {}", values_si.front(), values_si.back()),
                       "a periodic table must end with the value it starts with");
    }
  }
  TimeFunction f;
  f.kind_ = is_spline ? Kind::SplineTable : Kind::LinearTable;
  f.is_periodic_ = is_periodic;
  f.period_s_ = times_s.back() - times_s.front();
  f.times_s_ = std::move(times_s);
  f.values_ = std::move(values_si);
  if (is_spline) {
    // Cubic spline moments M_i: periodic (M_0 = M_n) or natural (M_0 = M_n = 0) end conditions.
    const auto n = f.times_s_.size() - 1;
    const auto& t = f.times_s_;
    const auto& v = f.values_;
    const auto unknowns = static_cast<Eigen::Index>(is_periodic ? n : n + 1);
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(unknowns, unknowns);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(unknowns);
    for (std::size_t i = 0; i < static_cast<std::size_t>(unknowns); ++i) {
      const auto row = static_cast<Eigen::Index>(i);
      if (!is_periodic && (i == 0 || i == n)) {
        a(row, row) = 1.0;
        continue;
      }
      const std::size_t prev = i == 0 ? n - 1 : i - 1;  // periodic: point 0 == point n
      const double h_prev = i == 0 ? t[n] - t[n - 1] : t[i] - t[i - 1];
      const double h_next = t[i + 1] - t[i];
      const double v_prev = i == 0 ? v[n - 1] : v[i - 1];
      a(row, static_cast<Eigen::Index>(prev % static_cast<std::size_t>(unknowns))) += h_prev / 6;
      a(row, row) += (h_prev + h_next) / 3;
      a(row, static_cast<Eigen::Index>((i + 1) % static_cast<std::size_t>(unknowns))) +=
          h_next / 6;
      b(row) = (v[i + 1] - v[i]) / h_next - (v[i] - v_prev) / h_prev;
    }
    const Eigen::VectorXd moments = a.partialPivLu().solve(b);
    f.second_derivatives_.assign(n + 1, 0.0);
    for (std::size_t i = 0; i <= n; ++i) {
      f.second_derivatives_[i] =
          moments(static_cast<Eigen::Index>(i % static_cast<std::size_t>(unknowns)));
    }
  }
  return f;
}

TimeFunction TimeFunction::fourier(double period_s, double mean_si, std::vector<double> cosine_si,
                                   std::vector<double> sine_si) {
  TimeFunction f;
  f.kind_ = Kind::Fourier;
  f.is_periodic_ = true;
  f.period_s_ = period_s;
  f.constant_ = mean_si;
  f.cosine_ = std::move(cosine_si);
  f.sine_ = std::move(sine_si);
  return f;
}

namespace {
std::vector<double> read_values(const nlohmann::json& json, std::string_view key, double to_si,
                                std::string_view where) {
  if (!json.contains(key) || !json.at(std::string(key)).is_array()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, key), "",
                     "must be an array of numbers");
  }
  std::vector<double> out;
  for (const auto& item : json.at(std::string(key))) {
    if (!item.is_number()) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, key), item.dump(),
                       "must hold only numbers");
    }
    out.push_back(item.get<double>() * to_si);
  }
  return out;
}

const nlohmann::json& required(const nlohmann::json& json, std::string_view key,
                              std::string_view where) {
  if (!json.contains(key)) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, key), "", "is required");
  }
  return json.at(std::string(key));
}

double unit_factor(const nlohmann::json& json, std::string_view key, units::Dimension dimension,
                   std::string_view where) {
  if (!json.contains(key) || !json.at(std::string(key)).is_string()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, key), "",
                     "must name the unit of the values (UCUM, e.g. \"mL/s\")");
  }
  return units::to_si(1.0, json.at(std::string(key)).get<std::string>(), dimension,
                      fmt::format("{}.{}", where, key));
}
}  // namespace

TimeFunction TimeFunction::from_json(const nlohmann::json& json, units::Dimension dimension,
                                     std::string_view where) {
  if (json.is_string() || json.is_number()) {
    return constant(parse_quantity_si(json, dimension, where));
  }
  if (!json.is_object() || !json.contains("kind")) {
    throw InputError(ErrorCode::BadInput, std::string(where), json.dump(),
                     "is neither a quantity nor an object with \"kind\" (constant, table, "
                     "fourier)");
  }
  if (!json.at("kind").is_string()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.kind", where), json.at("kind").dump(),
                     "must be constant, table or fourier");
  }
  const auto kind = json.at("kind").get<std::string>();
  if (kind == "constant") {
    return constant(parse_quantity_si(required(json, "value", where), dimension, where));
  }
  if (kind == "table") {
    const double time_factor = unit_factor(json, "time_unit", units::kTimeDim, where);
    const double value_factor = unit_factor(json, "unit", dimension, where);
    const auto interpolation = json.value("interpolation", nlohmann::json("linear"));
    if (interpolation != "linear" && interpolation != "cubic_spline") {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.interpolation", where),
                       interpolation.is_string() ? interpolation.get<std::string>()
                                                 : interpolation.dump(),
                       "must be linear or cubic_spline");
    }
    const auto periodic = json.value("periodic", nlohmann::json(true));
    if (!periodic.is_boolean()) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.periodic", where), periodic.dump(),
                       "must be true or false");
    }
    return table(read_values(json, "times", time_factor, where),
                 read_values(json, "values", value_factor, where), periodic.get<bool>(),
                 interpolation == "cubic_spline", where);
  }
  if (kind == "fourier") {
    const double value_factor = unit_factor(json, "unit", dimension, where);
    const double period = parse_quantity_si(required(json, "period", where), units::kTimeDim,
                                            fmt::format("{}.period", where));
    if (!(period > 0)) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.period", where), json.at("period").dump(),
                       "must be positive");
    }
    if (!json.contains("mean") || !json.at("mean").is_number()) {
      throw InputError(ErrorCode::MissingField, fmt::format("{}.mean", where), "",
                       "must be a number in the given unit");
    }
    auto cosine = read_values(json, "cosine", value_factor, where);
    auto sine = read_values(json, "sine", value_factor, where);
    if (cosine.size() != sine.size()) {
      throw InputError(ErrorCode::BadInput, std::string(where),
                       fmt::format("{} cosine, {} sine", cosine.size(), sine.size()),
                       "cosine and sine need the same number of harmonics");
    }
    return fourier(period, json.at("mean").get<double>() * value_factor, std::move(cosine),
                   std::move(sine));
  }
  throw InputError(ErrorCode::BadInput, fmt::format("{}.kind", where), kind,
                   "must be constant, table or fourier");
}

std::optional<double> TimeFunction::period_s() const {
  if (is_periodic_) return period_s_;
  return std::nullopt;
}

double TimeFunction::wrap(double t_s) const {
  const double t0 = times_s_.front();
  if (!is_periodic_) return std::clamp(t_s, t0, times_s_.back());
  double shifted = std::fmod(t_s - t0, period_s_);
  if (shifted < 0) shifted += period_s_;
  return t0 + shifted;
}

std::size_t TimeFunction::interval(double t_s) const {
  const auto it = std::upper_bound(times_s_.begin(), times_s_.end(), t_s);
  const auto index = static_cast<std::size_t>(std::distance(times_s_.begin(), it));
  return std::clamp<std::size_t>(index, 1, times_s_.size() - 1) - 1;
}

double TimeFunction::value(double t_s) const {
  switch (kind_) {
    case Kind::Constant:
      return constant_;
    case Kind::Fourier: {
      const double w = 2.0 * std::numbers::pi / period_s_;
      double sum = constant_;
      for (std::size_t k = 0; k < cosine_.size(); ++k) {
        const double arg = static_cast<double>(k + 1) * w * t_s;
        sum += cosine_[k] * std::cos(arg) + sine_[k] * std::sin(arg);
      }
      return sum;
    }
    case Kind::LinearTable:
    case Kind::SplineTable: {
      const double t = wrap(t_s);
      const auto i = interval(t);
      const double h = times_s_[i + 1] - times_s_[i];
      const double a = (times_s_[i + 1] - t) / h;
      const double b = 1.0 - a;
      double v = a * values_[i] + b * values_[i + 1];
      if (kind_ == Kind::SplineTable) {
        v += ((a * a * a - a) * second_derivatives_[i] +
              (b * b * b - b) * second_derivatives_[i + 1]) * h * h / 6.0;
      }
      return v;
    }
  }
  return constant_;
}

double TimeFunction::mean() const {
  if (kind_ == Kind::Constant || kind_ == Kind::Fourier) return constant_;
  double integral = 0.0;
  for (std::size_t i = 0; i + 1 < times_s_.size(); ++i) {
    const double h = times_s_[i + 1] - times_s_[i];
    integral += 0.5 * h * (values_[i] + values_[i + 1]);
    if (kind_ == Kind::SplineTable) {
      // The cubic correction of a spline interval integrates to -h^3 (M_i + M_{i+1}) / 24.
      integral -= h * h * h * (second_derivatives_[i] + second_derivatives_[i + 1]) / 24.0;
    }
  }
  return integral / (times_s_.back() - times_s_.front());
}

double TimeFunction::derivative(double t_s) const {
  switch (kind_) {
    case Kind::Constant:
      return 0.0;
    case Kind::Fourier: {
      const double w = 2.0 * std::numbers::pi / period_s_;
      double sum = 0.0;
      for (std::size_t k = 0; k < cosine_.size(); ++k) {
        const double kw = static_cast<double>(k + 1) * w;
        sum += kw * (-cosine_[k] * std::sin(kw * t_s) + sine_[k] * std::cos(kw * t_s));
      }
      return sum;
    }
    case Kind::LinearTable:
    case Kind::SplineTable: {
      const double t = wrap(t_s);
      if (!is_periodic_ && (t_s < times_s_.front() || t_s > times_s_.back())) return 0.0;
      const auto i = interval(t);
      const double h = times_s_[i + 1] - times_s_[i];
      double d = (values_[i + 1] - values_[i]) / h;
      if (kind_ == Kind::SplineTable) {
        const double a = (times_s_[i + 1] - t) / h;
        const double b = 1.0 - a;
        d += (-(3 * a * a - 1) * second_derivatives_[i] +
              (3 * b * b - 1) * second_derivatives_[i + 1]) * h / 6.0;
      }
      return d;
    }
  }
  return 0.0;
}

}  // namespace ptwin::physics::zerod
