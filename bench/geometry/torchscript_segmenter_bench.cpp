// SPDX-License-Identifier: Apache-2.0
// Voxels/s of the TorchScript vessel segmenter (geometry/segmentation) against a plain intensity
// threshold at the lumen–tissue midpoint (the baseline), on one synthetic phantom of
// PTWIN_SEGMENTER_BENCH_SIZE voxels (default 64x64x48; 512x512x300 for the imaging pipeline's
// figure). The model is trained once at start-up with small settings (its accuracy is the
// verification test's business, not this one's); the network's cost does not depend on its
// weights. Counter: voxels/s (wall time: libtorch runs its own threads).
//   Segment/threshold        the midpoint threshold
//   Segment/torchscript      the model, default slabs (40 slices), libtorch's default thread count
//   Segment/torchscript_1t   the same on one thread
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/segmenter_training.hpp"
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

using namespace ptwin::geometry;

std::array<std::size_t, 3> bench_size() {
  const char* text = std::getenv("PTWIN_SEGMENTER_BENCH_SIZE");
  std::array<std::size_t, 3> size{64, 64, 48};
  if (text == nullptr) return size;
  std::istringstream stream(text);
  char x1 = 0, x2 = 0;
  stream >> size[0] >> x1 >> size[1] >> x2 >> size[2];
  if (!stream || x1 != 'x' || x2 != 'x') {
    std::fprintf(stderr, "PTWIN_SEGMENTER_BENCH_SIZE=%s: expected <columns>x<rows>x<slices>\n", text);
    std::exit(2);
  }
  return size;
}

const phantom::VesselPhantom& bench_phantom() {
  static const auto made = [] {
    phantom::VesselPhantomSpec spec;
    spec.size = bench_size();
    spec.supersampling = 1;  // the image's realism does not change the cost being measured
    return phantom::make_vessel_phantom(spec);
  }();
  return made;
}

std::filesystem::path g_trained_model;  // removed at exit when a benchmark trained it

const std::filesystem::path& model_path() {
  static const auto path = [] {
    auto file = std::filesystem::temp_directory_path() / fmt::format("ptwin-bench-segmenter-{}.pt", ::getpid());
    segmentation::SegmenterTrainingSettings settings;
    settings.output_path = file;
    settings.phantoms = 1;
    settings.phantom_edge = 32;
    settings.iterations = 20;
    (void)segmentation::train_vessel_segmenter(settings);
    g_trained_model = file;
    return file;
  }();
  return path;
}

void run(benchmark::State& state, std::string_view variant) {
  const auto& made = bench_phantom();
  std::unique_ptr<segmentation::TorchScriptSegmenter> segmenter;
  if (variant != "threshold") {
    segmentation::TorchScriptSegmenterSettings settings;  // default slab size
    settings.model_path = model_path();
    settings.threads = variant == "torchscript_1t" ? 1 : 0;
    segmenter = std::make_unique<segmentation::TorchScriptSegmenter>(settings);
  }
  const float cut = static_cast<float>(0.5 * (made.spec.lumen_hu + made.spec.tissue_hu));
  for (auto _ : state) {
    if (segmenter) {
      benchmark::DoNotOptimize(segmenter->segment(made.volume).labels.labels.data());
    } else {
      auto labels = segmentation::empty_labels_like(made.volume);
      for (std::size_t v = 0; v < labels.labels.size(); ++v) {
        labels.labels[v] = made.volume.values[v] > cut ? segmentation::kLumen : segmentation::kBackground;
      }
      benchmark::DoNotOptimize(labels.labels.data());
    }
  }
  state.counters["voxels/s"] = benchmark::Counter(
      static_cast<double>(made.volume.values.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

const bool kRegistered = [] {
  for (const std::string_view variant : {"threshold", "torchscript", "torchscript_1t"}) {
    benchmark::RegisterBenchmark(fmt::format("Segment/{}", variant).c_str(),
                                 [variant](benchmark::State& state) { run(state, variant); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  const int status = ptwin::bench::run_benchmark_main(argc, argv, "torchscript_segmenter_bench", [](std::FILE* out) {
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "voxels/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    const auto& size = bench_phantom().spec.size;
    const double baseline = collector.rate("Segment/threshold");
    fmt::print(out, "\nSegmentation of a {}x{}x{} phantom, voxels/s (wall) and / threshold (same run)\n"
                    "{:<26} {:>14} {:>12} {:>12}\n",
               size[0], size[1], size[2], "benchmark", "voxels/s", "/ threshold", "s/volume");
    for (const std::string_view name : {"Segment/threshold", "Segment/torchscript", "Segment/torchscript_1t"}) {
      const double rate = collector.rate(std::string(name));
      if (std::isnan(rate)) continue;
      fmt::print(out, "{:<26} {:>14.0f} {:>12.4f} {:>12.2f}\n", name, rate, rate / baseline,
                 static_cast<double>(bench_phantom().volume.values.size()) / rate);
    }
  });
  if (!g_trained_model.empty()) std::filesystem::remove(g_trained_model);
  return status;
}
