// SPDX-License-Identifier: Apache-2.0
// `ptwin serve` with `twin.filter: enkf` against the same serve with the default UKF: one
// synthetic patient (twin::cohort, seed 20261124) is sent over HL7 v2 MLLP to each, in time
// order, and the twin's estimate history (dashboard API) of both runs is compared point by
// point. The EnKF must track the patient as the UKF does, with 90 % bands of comparable width
// that cover the generator's true MAP as often (tolerances stated below, from the sampling
// error of a 200-member ensemble; tests/verification/twin/hypotension_risk_enkf_test.cpp holds
// the same comparison without the processes).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "support/child_process.hpp"
#include "support/mllp_test_client.hpp"
#include "support/serve_process.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartupLimit = 20s;  // a hang, not a timing

std::string hl7_time(time::Instant instant) {
  const auto iso = time::format_iso8601(instant);
  std::string digits;
  for (const char c : iso.substr(0, 19)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits + "+0000";
}

std::string oru(int control_id, time::Instant taken, std::string_view obx) {
  return fmt::format(
      "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|{0}||ORU^R01^ORU_R01|C{1}|P|2.5.1\r"
      "PID|1||p1^^^HOSP^MR\r"
      "OBR|1|||85354-9^BP^LN|||{0}\r{2}\r",
      hl7_time(taken), control_id, obx);
}

std::string get(const std::string& origin, const std::string& path) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = origin;
  settings.timeout = 10s;
  ingest::fhir::FhirClient client(settings);
  return client.fetch(origin + path, "*/*").body;
}

struct EstimatePoint {
  std::int64_t t_ms = 0;
  double p05 = 0.0, p50 = 0.0, p95 = 0.0;  // MAP, mmHg
};

struct ServedRun {
  std::vector<EstimatePoint> points;
  nlohmann::json status;
  std::string log;
};

class ServeEnkfEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    unique_ = fmt::format("serve-enkf-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    dir_ = std::filesystem::temp_directory_path() / unique_;
    std::filesystem::create_directories(dir_);
    twin::cohort::CohortSettings settings;
    settings.patients = 2;
    settings.duration = 2h;
    settings.seed = 20261124;
    patient_ = twin::cohort::generate_hypotension_cohort(settings).at(1);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Runs serve with `twin_keys`, sends the patient, reads its estimate history and /status.
  ServedRun run(const std::string& name, const std::string& twin_keys) {
    const auto dir = dir_ / name;
    std::filesystem::create_directories(dir);
    {
      std::ofstream(dir / "twin.yaml")
          << serve_twin_yaml("e2e_enkf", "feeds:\n  hl7v2: {port: 0}\nserve: {port: 0}\n", twin_keys);
    }
    ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir / "twin.yaml").string()}, dir / "serve.log");
    const auto origin = wait_for_serve_origin(serve, kStartupLimit);
    EXPECT_TRUE(origin) << serve.output();
    if (!origin) return {};
    const std::string output = serve.output();
    std::smatch match;
    EXPECT_TRUE(std::regex_search(output, match, std::regex("feed hl7v2: MLLP at [0-9.]+:([0-9]+)")))
        << output;
    const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
    std::size_t sent_samples = 0;
    {
      MllpTestClient mllp(port);
      std::size_t next_co = 0;
      int control = 0;
      for (const auto& s : patient_.samples) {
        // Cardiac output before the MAP of the same instant, as the twin expects.
        while (next_co < patient_.cardiac_output.size() && patient_.cardiac_output[next_co].time <= s.time) {
          const auto& co = patient_.cardiac_output[next_co++];
          EXPECT_EQ(mllp.ack_code(oru(++control, co.time,
                                      fmt::format("OBX|1|NM|8741-1^CO^LN||{:.4f}|L/min|||||F",
                                                  co.cardiac_output_m3_per_s * 6e4))),
                    "AA");
          ++sent_samples;
        }
        EXPECT_EQ(mllp.ack_code(oru(++control, s.time,
                                    fmt::format("OBX|1|NM|8478-0^MAP^LN||{:.2f}|mm[Hg]|||||F",
                                                s.mean_arterial_pressure_pa / units::kPaPerMmHg))),
                  "AA");
        ++sent_samples;
      }
    }
    // The ACK leaves once the sample is stored; the twin's update may follow a moment later.
    ServedRun result;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      result.status = nlohmann::json::parse(get(*origin, "/status"));
      const auto& patients = result.status["hypotension_risk"]["patients"];
      if (!patients.empty() && patients[0]["assimilated"].get<std::size_t>() +
                                       patients[0]["gated"].get<std::size_t>() +
                                       patients[0]["refused"].get<std::size_t>() + 1 >=
                                   sent_samples) {
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    const auto patient = ingest::hl7v2::patient_id_of("HOSP", "p1");
    const auto vitals = nlohmann::json::parse(get(
        *origin, fmt::format("/api/patients/{}/vitals?since={}&until={}", patient,
                             time::format_iso8601(patient_.samples.front().time),
                             time::format_iso8601(patient_.samples.back().time + 1s))));
    for (const auto& p : vitals["estimate"]["points"]) {
      result.points.push_back({p["t"].get<std::int64_t>(), p["map_mmhg"]["p05"].get<double>(),
                               p["map_mmhg"]["p50"].get<double>(), p["map_mmhg"]["p95"].get<double>()});
    }
    EXPECT_EQ(WEXITSTATUS(serve.stop(SIGTERM)), 0);
    result.log = serve.output();
    return result;
  }

  std::string unique_;
  std::filesystem::path dir_;
  twin::cohort::SyntheticPatient patient_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

TEST_F(ServeEnkfEndToEnd, EnkfTracksTheSamePatientAsTheUkfWithComparableIntervals) {
  const auto ukf = run("ukf", "");
  const auto enkf = run("enkf", "filter: enkf, ensemble_size: 200, ensemble_seed: 20261125");
  EXPECT_NE(ukf.log.find("filter ukf"), std::string::npos) << ukf.log;
  EXPECT_NE(enkf.log.find("filter enkf (200 members, seed 20261125)"), std::string::npos) << enkf.log;
  EXPECT_EQ(ukf.status["hypotension_risk"]["filter"]["kind"], "ukf");
  EXPECT_EQ(enkf.status["hypotension_risk"]["filter"]["kind"], "enkf");
  EXPECT_EQ(enkf.status["hypotension_risk"]["filter"]["ensemble_size"], 200);
  // One estimate per used sample: the MAP samples after the first (which starts the twin) and
  // the cardiac outputs.
  ASSERT_GT(ukf.points.size(), patient_.samples.size() - 2);
  ASSERT_EQ(enkf.points.size(), ukf.points.size());
  std::vector<double> shift, width_ratio;
  int ukf_inside = 0, enkf_inside = 0, compared = 0;
  std::size_t sample = 0;
  for (std::size_t k = 0; k < ukf.points.size(); ++k) {
    const auto& a = ukf.points[k];
    const auto& b = enkf.points[k];
    ASSERT_EQ(a.t_ms, b.t_ms) << k;
    // The UKF's posterior SD of MAP, from its 90 % band (1.645 SDs each side).
    const double sd = (a.p95 - a.p05) / (2 * 1.6448536269514722);
    shift.push_back(std::abs(b.p50 - a.p50) / sd);
    width_ratio.push_back((b.p95 - b.p05) / (a.p95 - a.p05));
    while (sample < patient_.samples.size() &&
           (time::to_epoch_ns(patient_.samples[sample].time) / 1000000) < a.t_ms) {
      ++sample;
    }
    if (sample == patient_.samples.size() || (time::to_epoch_ns(patient_.samples[sample].time) / 1000000) != a.t_ms) continue;
    const double truth = patient_.samples[sample].true_mean_arterial_pressure_pa / units::kPaPerMmHg;
    ukf_inside += (truth >= a.p05 && truth <= a.p95) ? 1 : 0;
    enkf_inside += (truth >= b.p05 && truth <= b.p95) ? 1 : 0;
    ++compared;
  }
  const double ukf_coverage = static_cast<double>(ukf_inside) / compared;
  const double enkf_coverage = static_cast<double>(enkf_inside) / compared;
  std::printf("%zu estimates; |EnKF - UKF| median MAP in UKF SDs %.3f; band width ratio median "
              "%.3f; 90 %% band covers the true MAP: UKF %.3f EnKF %.3f (%d points)\n",
              ukf.points.size(), median(shift), median(width_ratio), ukf_coverage, enkf_coverage,
              compared);
  // 200 members: sampling error of the mean ~ 1/sqrt(200) = 0.07 SD, of a spread ~ 5 %; the
  // bounds are about twice those.
  EXPECT_LT(median(shift), 0.15);
  EXPECT_NEAR(median(width_ratio), 1.0, 0.1);
  // ~720 correlated points: coverage noise of a few per cent between two filters.
  EXPECT_NEAR(enkf_coverage, ukf_coverage, 0.05);
  EXPECT_GT(ukf_coverage, 0.7);
}

}  // namespace
}  // namespace ptwin::testing
