// SPDX-License-Identifier: Apache-2.0
// Centerlines from a segmented CT phantom (docs/benchmarks.md#centerline_bench), in one run:
//   Centerline/scan_labels    baseline: one pass over every label (counting the lumen), the floor
//                             of anything that reads the segmentation
//   Centerline/distance_map   crop + exact distance map (geometry/centerline/distance_map.hpp)
//   Centerline/itk_maurer     crop + ITK's SignedMaurerDistanceMapImageFilter, the peer
//   Centerline/extract        extract_centerlines(): openings, minimal paths, tree, smoothing,
//                             re-centring, cross-section radii, stenoses
//   Centerline/zerod_model    make_network_model() + build_model() of the extracted network
// The label volume is the Y phantom's lumen fraction thresholded at 1/2, on a grid of
// PTWIN_CENTERLINE_BENCH_SIZE voxels ("CxRxS", default 96x96x64; the figure is
// 512x512x300) of 0.5 mm. After the table, main() prints the ratios and the extraction's share of
// the 2-minute DICOM-to-solver budget.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "itk_distance_baseline.hpp"
#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/centerline/distance_map.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/network_model.hpp"
#include "support/benchmark_main.hpp"

namespace {

namespace centerline = ptwin::geometry::centerline;
namespace phantom = ptwin::geometry::phantom;

std::array<std::size_t, 3> grid_size() {
  const char* text = std::getenv("PTWIN_CENTERLINE_BENCH_SIZE");
  if (text == nullptr) return {96, 96, 64};
  std::array<std::size_t, 3> size{};
  if (std::sscanf(text, "%zux%zux%zu", &size[0], &size[1], &size[2]) != 3 ||
      *std::min_element(size.begin(), size.end()) < 32 || *std::max_element(size.begin(), size.end()) > 1024) {
    throw std::runtime_error(fmt::format("PTWIN_CENTERLINE_BENCH_SIZE '{}' must be CxRxS, each 32 to 1024", text));
  }
  return size;
}

struct Fixture {
  ptwin::geometry::segmentation::LabelVolume labels;
  double phantom_seconds = 0.0;
};

const Fixture& fixture() {
  static const Fixture instance = [] {
    const auto start = std::chrono::steady_clock::now();
    phantom::VesselPhantomSpec spec;
    spec.size = grid_size();
    spec.noise_sd_hu = 0.0;  // only the geometry is used: no image noise or blur to compute
    spec.blur_sigma_m = 0.0;
    spec.supersampling = 2;
    const auto ph = phantom::make_vessel_phantom(spec);
    Fixture f;
    f.labels = ptwin::geometry::segmentation::empty_labels_like(ph.volume);
    const auto fraction = phantom::lumen_fraction(ph.volume.geometry, ph.branches, spec.supersampling);
    for (std::size_t v = 0; v < fraction.size(); ++v) f.labels.labels[v] = fraction[v] > 0.5F ? 1 : 0;
    f.phantom_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return f;
  }();
  return instance;
}

void scan_labels(benchmark::State& state) {
  const auto& labels = fixture().labels.labels;
  for (auto _ : state) {
    std::size_t count = 0;
    for (const auto label : labels) count += label == ptwin::geometry::segmentation::kLumen ? 1 : 0;
    benchmark::DoNotOptimize(count);
  }
}

void distance_map(benchmark::State& state) {
  for (auto _ : state) {
    const auto grid = centerline::crop_lumen(fixture().labels);
    auto map = centerline::squared_distance_to_background(grid);
    benchmark::DoNotOptimize(map.data());
  }
}

void itk_maurer(benchmark::State& state) {
  for (auto _ : state) {
    const auto grid = centerline::crop_lumen(fixture().labels);
    auto map = ptwin::bench::itk_squared_distance(grid);
    benchmark::DoNotOptimize(map.data());
  }
}

void extract(benchmark::State& state) {
  std::size_t points = 0;
  for (auto _ : state) {
    const auto result = centerline::extract_centerlines(fixture().labels);
    if (result.network.segments.size() != 3) state.SkipWithError("the Y phantom did not give 3 segments");
    points = 0;
    for (const auto& segment : result.network.segments) points += segment.points_m.size();
  }
  state.counters["points"] = static_cast<double>(points);
}

void zerod_model(benchmark::State& state) {
  const auto network = centerline::extract_centerlines(fixture().labels).network;
  for (auto _ : state) {
    auto model = ptwin::physics::zerod::build_model(ptwin::physics::zerod::make_network_model(network), "bench");
    benchmark::DoNotOptimize(model.get());
  }
}

// The largest difference between the two distance maps, relative to the voxel size.
double map_disagreement_voxels() {
  const auto grid = centerline::crop_lumen(fixture().labels);
  const auto ours = centerline::squared_distance_to_background(grid);
  const auto peer = ptwin::bench::itk_squared_distance(grid);
  double worst = 0.0;
  for (std::size_t v = 0; v < ours.size(); ++v) {
    if (grid.mask[v] == 0) continue;
    worst = std::max(worst, std::abs(std::sqrt(static_cast<double>(ours[v])) - std::sqrt(static_cast<double>(peer[v]))));
  }
  return worst / grid.min_spacing_m();
}

class TimeCollector : public benchmark::BenchmarkReporter {
 public:
  explicit TimeCollector(benchmark::BenchmarkReporter& display) : display_(display) {}
  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      auto name = run.benchmark_name();
      if (const auto suffix = name.find("/real_time"); suffix != std::string::npos) name.resize(suffix);
      // Adjusted times are in the benchmark's unit (ms here).
      seconds_[name] = run.GetAdjustedRealTime() * 1e-3;
      cpu_seconds_[name] = run.GetAdjustedCPUTime() * 1e-3;
    }
    display_.ReportRuns(runs);
  }
  void Finalize() override { display_.Finalize(); }
  [[nodiscard]] double seconds(const std::string& name) const { return lookup(seconds_, name); }
  [[nodiscard]] double cpu_seconds(const std::string& name) const { return lookup(cpu_seconds_, name); }

 private:
  static double lookup(const std::map<std::string, double>& table, const std::string& name) {
    const auto found = table.find(name);
    return found == table.end() ? std::nan("") : found->second;
  }
  benchmark::BenchmarkReporter& display_;
  std::map<std::string, double> seconds_;
  std::map<std::string, double> cpu_seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "centerline_bench", [](std::FILE* out) {
    const auto size = grid_size();
    benchmark::AddCustomContext("centerline_grid", fmt::format("{}x{}x{}", size[0], size[1], size[2]));
    for (const auto& [name, function] : std::initializer_list<std::pair<const char*, void (*)(benchmark::State&)>>{
             {"Centerline/scan_labels", scan_labels}, {"Centerline/distance_map", distance_map},
             {"Centerline/itk_maurer", itk_maurer}, {"Centerline/extract", extract},
             {"Centerline/zerod_model", zerod_model}}) {
      benchmark::RegisterBenchmark(name, function)->Unit(benchmark::kMillisecond)->UseRealTime();
    }
    (void)fixture();
    TimeCollector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    const double scan = collector.seconds("Centerline/scan_labels");
    fmt::print(out, "\nCenterlines on a {}x{}x{} phantom label volume of 0.5 mm (same run; phantom made in {:.1f} s)\n"
                    "{:<26} {:>12} {:>12} {:>16}\n", size[0], size[1], size[2], fixture().phantom_seconds, "benchmark",
               "wall (s)", "cpu (s)", "wall / scan");
    for (const std::string name : {"Centerline/scan_labels", "Centerline/distance_map", "Centerline/itk_maurer",
                                   "Centerline/extract", "Centerline/zerod_model"}) {
      const double t = collector.seconds(name);
      if (std::isnan(t)) continue;
      fmt::print(out, "{:<26} {:>12.4f} {:>12.4f} {:>16.1f}\n", name, t, collector.cpu_seconds(name), t / scan);
    }
    const double ours = collector.seconds("Centerline/distance_map");
    const double itk = collector.seconds("Centerline/itk_maurer");
    if (!std::isnan(ours) && !std::isnan(itk)) {
      fmt::print(out, "distance map: ptwin / ITK Maurer = {:.2f} wall, {:.2f} cpu (ITK uses its default threads); "
                      "largest difference {:.2e} voxel\n", ours / itk,
                 collector.cpu_seconds("Centerline/distance_map") / collector.cpu_seconds("Centerline/itk_maurer"),
                 map_disagreement_voxels());
    }
    const double extract_s = collector.seconds("Centerline/extract");
    if (!std::isnan(extract_s)) {
      fmt::print(out, "extraction uses {:.1f} % of the 120 s DICOM-to-solver budget\n", 100.0 * extract_s / 120.0);
    }
  });
}
