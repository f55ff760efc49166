// SPDX-License-Identifier: Apache-2.0
// Behaviour of the UKF and EnKF that does not need a reference solution: the innovation gate,
// errors on ill-posed problems, covariance health over long runs, bad measurements and settings.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "support/estimation_models.hpp"

namespace ptwin::twin::estimation {
namespace {

using ptwin::testing::ArterialPressureModel;
using ptwin::testing::ConstantVelocityModel;

constexpr double kMmHg = 133.322387415;  // Pa
constexpr std::uint64_t kSeed = 81060;

Measurement scalar(double value) { return {{0}, Eigen::VectorXd::Constant(1, value)}; }

GaussianEstimate pressure_prior() {
  return {Eigen::VectorXd::Constant(1, 90.0 * kMmHg),
          Eigen::MatrixXd::Constant(1, 1, std::pow(10.0 * kMmHg, 2))};
}

// One beat per second; MAP drifts by 0.5 mmHg/sqrt(s); the line reads with a 3 mmHg error.
template <typename Filter>
void expect_flush_is_gated_and_normal_data_kept(Filter& filter) {
  std::mt19937_64 generator(kSeed);
  std::normal_distribution<double> noise(0.0, 3.0 * kMmHg);
  int rejected_normal = 0;
  for (int beat = 0; beat < 300; ++beat) {
    filter.predict(1.0);
    if (beat == 150) {
      const auto before = filter.estimate().mean(0);
      const auto flush = filter.update(scalar(300.0 * kMmHg));  // line flush: 300 mmHg
      EXPECT_EQ(flush.status, MeasurementStatus::Gated);
      EXPECT_GT(flush.normalised_innovation_squared, 1000.0);  // (210 mmHg / ~3.5 mmHg)^2
      EXPECT_EQ(flush.degrees_of_freedom, 1);
      EXPECT_NEAR(flush.gate_threshold, 10.8276, 1e-3);  // chi2_1 quantile at 0.999
      EXPECT_EQ(flush.step, beat + 1);
      EXPECT_EQ(filter.estimate().mean(0), before) << "a gated measurement must not be used";
      continue;
    }
    const auto outcome = filter.update(scalar(90.0 * kMmHg + noise(generator)));
    if (outcome.status == MeasurementStatus::Gated) ++rejected_normal;
  }
  EXPECT_EQ(rejected_normal, 0) << "seed " << kSeed;
  // Within 4 posterior standard deviations of the true 90 mmHg.
  const auto& e = filter.estimate();
  EXPECT_NEAR(e.mean(0), 90.0 * kMmHg, 4.0 * std::sqrt(e.covariance(0, 0)));
}

TEST(EstimationInnovationGate, UkfRejectsALineFlushAndKeepsNormalPressures) {
  const ArterialPressureModel model(0.5 * kMmHg, 3.0 * kMmHg);
  UnscentedKalmanFilter ukf(model, pressure_prior());
  expect_flush_is_gated_and_normal_data_kept(ukf);
}

TEST(EstimationInnovationGate, EnkfRejectsALineFlushAndKeepsNormalPressures) {
  const ArterialPressureModel model(0.5 * kMmHg, 3.0 * kMmHg);
  EnsembleSettings settings;
  settings.members = 200;
  EnsembleKalmanFilter enkf(model, pressure_prior(), settings);
  expect_flush_is_gated_and_normal_data_kept(enkf);
}

TEST(EstimationInnovationGate, OffWhenProbabilityIsZero) {
  const ArterialPressureModel model(0.5 * kMmHg, 3.0 * kMmHg);
  UnscentedSettings settings;
  settings.gate.probability = 0.0;
  UnscentedKalmanFilter ukf(model, pressure_prior(), settings);
  ukf.predict(1.0);
  const auto outcome = ukf.update(scalar(300.0 * kMmHg));
  EXPECT_EQ(outcome.status, MeasurementStatus::Accepted);
  EXPECT_TRUE(std::isinf(outcome.gate_threshold));
  EXPECT_GT(ukf.estimate().mean(0), 250.0 * kMmHg);
}

// A perfect measurement (R = 0) of a state that never changes (Q = 0) leaves P = 0: the next
// update has no spread to factor. The error must name the step and the matrix; the estimate
// stays finite.
TEST(EstimationIllPosed, UkfNamesTheStepAndMatrixInsteadOfProducingNaN) {
  const ArterialPressureModel model(0.0, 0.0);
  UnscentedKalmanFilter ukf(model, pressure_prior());
  ukf.predict(1.0);
  try {
    (void)ukf.update(scalar(91.0 * kMmHg));
    ukf.predict(1.0);
    (void)ukf.update(scalar(91.0 * kMmHg));
    FAIL() << "an ill-posed filter must throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::NumericalBreakdown);
    const std::string message = error.what();
    EXPECT_NE(message.find("UKF step 1 (update)"), std::string::npos) << message;
    EXPECT_NE(message.find("not positive definite"), std::string::npos) << message;
    EXPECT_NE(message.find("updated covariance P (1x1)"), std::string::npos) << message;
  }
  EXPECT_TRUE(ukf.estimate().mean.allFinite());
  EXPECT_TRUE(ukf.estimate().covariance.allFinite());
}

TEST(EstimationIllPosed, InnovationCovarianceWithoutSpreadIsNamed) {
  // Two channels that are the same quantity with no noise: S is singular.
  class Duplicated final : public StateSpaceModel {
   public:
    std::vector<std::string> state_names() const override { return {"a", "b"}; }
    std::vector<std::string> observation_names() const override { return {"a", "a_again"}; }
    Eigen::VectorXd propagate(const Eigen::VectorXd& x, double) const override { return x; }
    Eigen::MatrixXd process_noise(double) const override { return Eigen::MatrixXd::Zero(2, 2); }
    Eigen::VectorXd observe(const Eigen::VectorXd& x) const override {
      return Eigen::Vector2d(x(0), x(0));
    }
    Eigen::MatrixXd observation_noise() const override { return Eigen::MatrixXd::Zero(2, 2); }
  } model;
  const GaussianEstimate prior{Eigen::Vector2d(1.0, 2.0), Eigen::Matrix2d::Identity()};
  for (const bool is_ensemble : {false, true}) {
    SCOPED_TRACE(is_ensemble ? "EnKF" : "UKF");
    try {
      if (is_ensemble) {
        EnsembleKalmanFilter enkf(model, prior);
        (void)enkf.update({{0, 1}, Eigen::Vector2d(1.0, 1.0)});
      } else {
        UnscentedKalmanFilter ukf(model, prior);
        (void)ukf.update({{0, 1}, Eigen::Vector2d(1.0, 1.0)});
      }
      FAIL() << "a singular innovation covariance must throw";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::NumericalBreakdown);
      const std::string message = error.what();
      EXPECT_NE(message.find("step 0 (update): innovation covariance S (2x2)"), std::string::npos)
          << message;
    }
  }
}

TEST(EstimationIllPosed, NonPositiveInitialCovarianceIsRejectedAtConstruction) {
  const ArterialPressureModel model(1.0, 1.0);
  const GaussianEstimate prior{Eigen::VectorXd::Constant(1, 1.0), Eigen::MatrixXd::Zero(1, 1)};
  try {
    UnscentedKalmanFilter ukf(model, prior);
    FAIL() << "accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("initial covariance P0"), std::string::npos);
  }
}

TEST(EstimationIllPosed, NaNFromTheModelIsNamed) {
  class Broken final : public StateSpaceModel {
   public:
    std::vector<std::string> state_names() const override { return {"a"}; }
    std::vector<std::string> observation_names() const override { return {"log_a"}; }
    Eigen::VectorXd propagate(const Eigen::VectorXd& x, double) const override { return x; }
    Eigen::MatrixXd process_noise(double) const override { return Eigen::MatrixXd::Ones(1, 1); }
    Eigen::VectorXd observe(const Eigen::VectorXd& x) const override { return x.array().log(); }
    Eigen::MatrixXd observation_noise() const override { return Eigen::MatrixXd::Ones(1, 1); }
  } model;
  UnscentedKalmanFilter ukf(model,
                            {Eigen::VectorXd::Constant(1, 0.1), Eigen::MatrixXd::Ones(1, 1)});
  ukf.predict(1.0);
  try {
    (void)ukf.update(scalar(0.0));
    FAIL() << "accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what())
                  .find("UKF step 1 (update): h(sigma points) has a "
                        "non-finite value"),
              std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(ukf.estimate().mean.allFinite());
}

// 20000 steps with a badly scaled state (positions ~1e4 m, velocities ~1 m/s) and precise
// measurements: the covariance must stay symmetric and positive definite throughout.
TEST(EstimationCovarianceHealth, StaysSymmetricPositiveDefiniteOverLongRuns) {
  const ConstantVelocityModel model(1e-4, 1e-3);
  GaussianEstimate prior{Eigen::Vector4d(1e4, 1.0, -1e4, 0.5),
                         Eigen::Vector4d(1e6, 1.0, 1e6, 1.0).asDiagonal()};
  UnscentedSettings ukf_settings;
  ukf_settings.gate.probability = 0.0;  // over 20000 steps a 0.999 gate rejects ~20 by design
  UnscentedKalmanFilter ukf(model, prior, ukf_settings);
  EnsembleSettings enkf_settings;
  enkf_settings.gate.probability = 0.0;
  enkf_settings.members = 50;
  enkf_settings.inflation = 1.02;
  EnsembleKalmanFilter enkf(model, prior, enkf_settings);
  std::mt19937_64 generator(kSeed);
  std::normal_distribution<double> noise(0.0, 1e-3);
  Eigen::VectorXd truth = prior.mean;
  double worst_asymmetry = 0.0;
  double smallest_eigenvalue = INFINITY;
  for (int k = 0; k < 20000; ++k) {
    truth = model.propagate(truth, 0.01);
    const Eigen::Vector2d z =
        model.observe(truth) + Eigen::Vector2d(noise(generator), noise(generator));
    ukf.predict(0.01);
    ASSERT_EQ(ukf.update({{0, 1}, z}).status, MeasurementStatus::Accepted) << "step " << k;
    if (k < 2000) {
      enkf.predict(0.01);
      (void)enkf.update({{0, 1}, z});
    }
    const auto& p = ukf.estimate().covariance;
    worst_asymmetry = std::max(worst_asymmetry, (p - p.transpose()).cwiseAbs().maxCoeff());
    if (k % 100 == 0) {
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(p);
      smallest_eigenvalue = std::min(smallest_eigenvalue, eigen.eigenvalues().minCoeff());
    }
  }
  EXPECT_EQ(worst_asymmetry, 0.0);  // symmetrised after every step: exactly symmetric
  EXPECT_GT(smallest_eigenvalue, 0.0);
  EXPECT_EQ(Eigen::LLT<Eigen::MatrixXd>(ukf.estimate().covariance).info(), Eigen::Success);
  const auto e = enkf.estimate();
  EXPECT_TRUE(e.mean.allFinite());
  EXPECT_EQ(Eigen::LLT<Eigen::MatrixXd>(e.covariance).info(), Eigen::Success);
  EXPECT_LT(std::abs(ukf.estimate().mean(0) - truth(0)), 0.01);
}

TEST(EstimationMeasurementErrors, NameTheFieldAndTheValue) {
  const ConstantVelocityModel model(1.0, 1.0);
  UnscentedKalmanFilter ukf(model, {Eigen::Vector4d::Zero(), Eigen::Matrix4d::Identity()});
  const auto expect_input_error = [&](const Measurement& m, const std::string& where,
                                      const std::string& value) {
    try {
      (void)ukf.update(m);
      ADD_FAILURE() << "accepted " << where;
    } catch (const InputError& error) {
      EXPECT_EQ(error.where(), where);
      EXPECT_EQ(error.value(), value);
    }
  };
  expect_input_error({{2}, Eigen::VectorXd::Zero(1)}, "UKF step 0 measurement.channels[0]", "2");
  expect_input_error({{0, 0}, Eigen::VectorXd::Zero(2)}, "UKF step 0 measurement.channels[1]", "0");
  expect_input_error({{0}, Eigen::VectorXd::Zero(2)}, "UKF step 0 measurement.values", "2 values");
  expect_input_error({{1}, Eigen::VectorXd::Constant(1, NAN)}, "UKF step 0 measurement.values[0]",
                     "nan");
  expect_input_error({{}, Eigen::VectorXd()}, "UKF step 0 measurement.channels", "[]");
}

UnscentedSettings ukf_with(double alpha, double gate_probability) {
  UnscentedSettings s;
  s.alpha = alpha;
  s.gate.probability = gate_probability;
  return s;
}

EnsembleSettings enkf_with(int members, double inflation, std::uint64_t seed) {
  EnsembleSettings s;
  s.members = members;
  s.inflation = inflation;
  s.seed = seed;
  return s;
}

TEST(EstimationSettingsErrors, NameTheSetting) {
  const ConstantVelocityModel model(1.0, 1.0);
  const GaussianEstimate prior{Eigen::Vector4d::Zero(), Eigen::Matrix4d::Identity()};
  const auto where_of = [](const auto& make) {
    try {
      make();
    } catch (const InputError& error) {
      return error.where();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(where_of([&] { UnscentedKalmanFilter(model, prior, ukf_with(0.0, 0.999)); }),
            "ukf.alpha");
  EXPECT_EQ(where_of([&] { UnscentedKalmanFilter(model, prior, ukf_with(1.0, 0.2)); }),
            "ukf.gate.probability");
  EXPECT_EQ(where_of([&] { EnsembleKalmanFilter(model, prior, enkf_with(1, 1.0, 1)); }),
            "enkf.members");
  EXPECT_EQ(where_of([&] { EnsembleKalmanFilter(model, prior, enkf_with(10, 0.9, 1)); }),
            "enkf.inflation");
  EXPECT_EQ(where_of([&] {
              UnscentedKalmanFilter(model, {Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()});
            }),
            "ukf initial estimate");
}

TEST(EnsembleKalmanFilterRuns, AreReproducibleWithTheSameSeed) {
  const ConstantVelocityModel model(0.5, 0.3);
  const GaussianEstimate prior{Eigen::Vector4d::Zero(), Eigen::Matrix4d::Identity()};
  EnsembleKalmanFilter a(model, prior, enkf_with(30, 1.0, 7));
  EnsembleKalmanFilter b(model, prior, enkf_with(30, 1.0, 7));
  EnsembleKalmanFilter c(model, prior, enkf_with(30, 1.0, 8));
  for (auto* f : {&a, &b, &c}) {
    f->predict(0.1);
    (void)f->update({{0, 1}, Eigen::Vector2d(0.3, -0.2)});
  }
  EXPECT_EQ(a.ensemble(), b.ensemble());
  EXPECT_NE(a.ensemble(), c.ensemble());
}

}  // namespace
}  // namespace ptwin::twin::estimation
