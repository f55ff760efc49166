// SPDX-License-Identifier: Apache-2.0
// Segmentation and surface extraction on a synthetic vessel phantom (geometry::phantom) of
// PTWIN_GEOMETRY_BENCH_SIZE voxels, "<columns>x<rows>x<slices>" (default 64x64x48 for the CI
// smoke run; the imaging issue's size is 512x512x300). In one run:
//   Segmentation/threshold        baseline: HU window and largest component, no ITK
//   Segmentation/region_growing   automatic seed and ITK connected threshold, no refinement
//   Segmentation/classical        the default pipeline (curvature flow + threshold level set)
//   Surface/iso_only              baseline: mask -> flying edges -> clip and cap, no
//                                 anti-aliasing, smoothing, decimation or repair
//   Surface/full                  the default extraction (with the self-intersection check)
// Counter: voxels/s of the image on wall-clock time (ITK and VTK filters use several threads).
// After the table, main() prints each time over its baseline's
// and the per-stage seconds of one run of each default pipeline.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"
#include "ptwin/geometry/surface/surface_extraction.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

namespace phantom = ptwin::geometry::phantom;
namespace segmentation = ptwin::geometry::segmentation;
namespace surface = ptwin::geometry::surface;

std::array<std::size_t, 3> bench_size() {
  const char* text = std::getenv("PTWIN_GEOMETRY_BENCH_SIZE");
  if (text == nullptr) return {64, 64, 48};
  std::array<std::size_t, 3> size{};
  char x1 = 0, x2 = 0;
  std::istringstream stream(text);
  stream >> size[0] >> x1 >> size[1] >> x2 >> size[2];
  if (!stream || x1 != 'x' || x2 != 'x' || !stream.eof()) {
    throw ptwin::InputError(ptwin::ErrorCode::BadInput, "PTWIN_GEOMETRY_BENCH_SIZE", text,
                            "<columns>x<rows>x<slices>, e.g. 512x512x300");
  }
  return size;
}

const phantom::VesselPhantom& vessel() {
  static const phantom::VesselPhantom instance = [] {
    phantom::VesselPhantomSpec spec;
    spec.size = bench_size();
    // One point per voxel above a million voxels: the phantom's 27-point partial volume would
    // take minutes at 512x512x300 and does not change what is timed.
    if (spec.size[0] * spec.size[1] * spec.size[2] > 1'000'000) spec.supersampling = 1;
    return phantom::make_vessel_phantom(spec);
  }();
  return instance;
}

const segmentation::ClassicalSegmentationSettings& settings() {
  static const segmentation::ClassicalSegmentationSettings instance{};
  return instance;
}

const segmentation::LabelVolume& lumen() {
  static const auto labels =
      segmentation::ClassicalSegmenter(settings()).segment(vessel().volume).labels;
  return labels;
}

surface::SurfaceExtractionSettings iso_only() {
  surface::SurfaceExtractionSettings s;
  s.anti_alias_sigma_voxels = 0.0;
  s.smoothing_iterations = 0;
  s.decimation_target_reduction = 0.0;
  s.repair = false;
  s.check.find_self_intersections = false;
  return s;
}

void set_rate(benchmark::State& state) {
  state.counters["voxels/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(vessel().volume.values.size()),
      benchmark::Counter::kIsRate);
}

void threshold(benchmark::State& state) {
  for (auto _ : state) {
    auto labels = segmentation::threshold_labels(vessel().volume, settings().lower_threshold_hu,
                                                 settings().upper_threshold_hu);
    benchmark::DoNotOptimize(segmentation::keep_largest_component(labels));
  }
  set_rate(state);
}

void segment(benchmark::State& state, const segmentation::ClassicalSegmentationSettings& chosen) {
  const segmentation::ClassicalSegmenter segmenter(chosen);
  for (auto _ : state)
    benchmark::DoNotOptimize(segmenter.segment(vessel().volume).report.final_voxels);
  set_rate(state);
}

void extract(benchmark::State& state, const surface::SurfaceExtractionSettings& chosen) {
  for (auto _ : state)
    benchmark::DoNotOptimize(surface::extract_surface(lumen(), chosen).surface.triangles.size());
  set_rate(state);
}

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  const auto& size = vessel().spec.size;
  fmt::print(
      out,
      "\nLumen pipeline on a {}x{}x{} vessel phantom (same run)\n{:<30} {:>14} {:>12} {:>14}\n",
      size[0], size[1], size[2], "benchmark", "voxels/s", "seconds", "/ baseline");
  const auto row = [&](const std::string& name, const std::string& baseline) {
    const double rate = collector.rate(name);
    if (std::isnan(rate)) return;
    const double voxels = static_cast<double>(vessel().volume.values.size());
    fmt::print(out, "{:<30} {:>14.3g} {:>12.3f} {:>14.2f}\n", name, rate, voxels / rate,
               collector.rate(baseline) / rate);
  };
  row("Segmentation/threshold", "Segmentation/threshold");
  row("Segmentation/region_growing", "Segmentation/threshold");
  row("Segmentation/classical", "Segmentation/threshold");
  row("Surface/iso_only", "Surface/iso_only");
  row("Surface/full", "Surface/iso_only");
  // Per-stage seconds of one more run of each default pipeline (steady clock, inside the run).
  const auto segmented = segmentation::ClassicalSegmenter(settings()).segment(vessel().volume);
  const auto extracted = surface::extract_surface(segmented.labels);
  fmt::print(out, "\nStages of one run (s)\n");
  double total = 0.0;
  for (const auto& t : segmented.report.timings) {
    fmt::print(out, "  segmentation/{:<24} {:>8.3f}\n", t.stage, t.seconds);
    total += t.seconds;
  }
  for (const auto& t : extracted.report.timings) {
    fmt::print(out, "  surface/{:<29} {:>8.3f}\n", t.stage, t.seconds);
    total += t.seconds;
  }
  const auto& roi = segmented.report.roi_size;
  fmt::print(out,
             "  {:<37} {:>8.3f}\n  region of interest {}x{}x{}, triangles {}, lumen voxels {}, "
             "smoothing volume change {:.3f} %, check: {} problems\n",
             "total", total, roi[0], roi[1], roi[2], extracted.surface.triangles.size(),
             segmented.report.final_voxels, 100.0 * extracted.report.smoothing_volume_change(),
             extracted.report.check.problem_count());
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "lumen_bench", [](std::FILE* out) {
    const auto& size = vessel().spec.size;
    (void)lumen();  // made before timing: the surface benchmarks start from it
    benchmark::AddCustomContext("phantom_size", fmt::format("{}x{}x{}", size[0], size[1], size[2]));
    benchmark::RegisterBenchmark("Segmentation/threshold", threshold)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("Segmentation/region_growing",
                                 [](benchmark::State& state) {
                                   auto chosen = settings();
                                   chosen.refine_with_level_set = false;
                                   segment(state, chosen);
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("Segmentation/classical",
                                 [](benchmark::State& state) { segment(state, settings()); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("Surface/iso_only",
                                 [](benchmark::State& state) { extract(state, iso_only()); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(
        "Surface/full",
        [](benchmark::State& state) { extract(state, surface::SurfaceExtractionSettings{}); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "voxels/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
