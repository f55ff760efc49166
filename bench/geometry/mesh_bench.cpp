// SPDX-License-Identifier: Apache-2.0
// Tetrahedra/s of the volume mesher on a Y bifurcation surface, in one run:
//   Mesh/delaunay_plain       baseline: Gmsh Delaunay, no optimisation
//   Mesh/delaunay_optimised   the default: Delaunay + Gmsh's optimisation
//   Mesh/hxt_optimised        HXT (parallel Delaunay, 2 threads) + optimisation
//   Quality/assess            ptwin's own quality metrics over the default mesh's tetrahedra
// and, on the surface that the imaging chain extracts from the default vessel phantom (64 x 64 x
// 48 voxels; classical segmentation, flying edges, smoothing, decimation, caps), whatever the size:
//   Image/keep                baseline: the extracted surface kept as the boundary
//   Image/remesh              SurfaceRemeshing::Remesh (what `ptwin image` does)
// Counters: tets/s on wall-clock time (HXT's threads do the work); the mesh's smallest dihedral
// angle and radius ratio, and thresholds_met (1 when the default MeshQualityThresholds hold). After
// the benchmark table, main() prints each one's wall time per mesh and its rate over the
// baseline's, and Image/remesh's time per mesh over Image/keep's. Every Mesh/ case meshes the
// interior at the surface's own triangle size (ElementSizeMode::Absolute). Size: PTWIN_MESH_BENCH_SIZE=small (default; the verification Y,
// parent r 2 mm, at h 0.8 mm) or phantom: the Y of the default vessel phantom grown to 512x512x300
// voxels of 0.5 mm (parent r 2.5 mm and 60 mm long to the bifurcation, daughters r 1.98 mm by
// Murray's law and 118 mm long, spreading 77 mm), triangulated at the voxel spacing: about the
// surface that the segmentation of such a volume gives.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"
#include "ptwin/geometry/mesh/tube_surfaces.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/surface/surface_extraction.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

namespace mesh = ptwin::geometry::mesh;

std::string bench_size() {
  const char* value = std::getenv("PTWIN_MESH_BENCH_SIZE");
  const std::string size = value == nullptr ? "small" : value;
  if (size != "small" && size != "phantom") {
    throw ptwin::InputError(ptwin::ErrorCode::BadInput, "PTWIN_MESH_BENCH_SIZE", size,
                            "must be 'small' or 'phantom'");
  }
  return size;
}

mesh::YBifurcationSpec y_spec(const std::string& size) {
  if (size == "small") return mesh::YBifurcationSpec{.element_size_m = 0.8e-3};
  const double daughter_radius_m = 2.5e-3 / std::cbrt(2.0);  // Murray: r0^3 = 2 r1^3
  return {.parent_radius_m = 2.5e-3,
          .parent_length_m = 60e-3,
          .daughter_radius_m = daughter_radius_m,
          .daughter_length_m = 118e-3,
          .half_angle_deg = std::atan2(77.0, 90.0) * 180.0 / 3.141592653589793,
          .element_size_m = 0.5e-3};
}

const mesh::YBifurcationSurface& surface() {
  static const mesh::YBifurcationSurface instance =
      mesh::y_bifurcation_surface(y_spec(bench_size()));
  return instance;
}

struct ImageSurface {
  mesh::LabelledSurface labelled;
  int inlet_label = 0;
};

const ImageSurface& image_surface() {
  static const ImageSurface instance = [] {
    namespace geometry = ptwin::geometry;
    const auto vessel = geometry::phantom::make_vessel_phantom(geometry::phantom::VesselPhantomSpec{});
    const auto segmented = geometry::segmentation::ClassicalSegmenter({}).segment(vessel.volume);
    const auto extracted = geometry::surface::extract_surface(segmented.labels);
    return ImageSurface{mesh::labelled_surface_from(extracted.surface, extracted.labels),
                        mesh::inlet_label_of(extracted.labels)};
  }();
  return instance;
}

std::map<std::string, double>& tets_per_run() {
  static std::map<std::string, double> counts;
  return counts;
}

mesh::TetraMeshSettings at_surface_size(mesh::TetraMeshSettings settings) {
  settings.size_mode = mesh::ElementSizeMode::Absolute;
  settings.element_size = y_spec(bench_size()).element_size_m;
  return settings;
}

void run_mesher(benchmark::State& state, const std::string& name,
                const mesh::TetraMeshSettings& settings, const mesh::LabelledSurface& labelled) {
  mesh::TetraMesh result;
  for (auto _ : state) {
    try {
      result = mesh::mesh_volume(labelled, settings);
    } catch (const ptwin::Error& error) {  // e.g. an HXT mesh refused as non-conforming
      state.SkipWithError(error.what());
      return;
    }
    benchmark::DoNotOptimize(result.tetrahedra.data());
  }
  const std::size_t tets = result.tetrahedra.size();
  tets_per_run()[name] = static_cast<double>(tets);
  // What the time bought: the worst element and the default thresholds' verdict (outside the
  // timed loop).
  const mesh::MeshQualityReport quality = mesh::assess_quality(result);
  const mesh::QualityCheck check = mesh::check_quality(quality, mesh::MeshQualityThresholds{});
  state.counters["min_dihedral_deg"] = quality.min_dihedral_deg.min;
  state.counters["min_radius_ratio"] = quality.radius_ratio.min;
  state.counters["thresholds_met"] = check.passed() ? 1.0 : 0.0;
  state.counters["tets"] = static_cast<double>(tets);
  state.counters["surface_triangles"] = static_cast<double>(labelled.surface.triangles.size());
  state.counters["tets/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(tets),
                         benchmark::Counter::kIsRate);
}

void assess(benchmark::State& state) {
  static const mesh::TetraMesh default_mesh =
      mesh::mesh_volume(surface().labelled, at_surface_size(mesh::TetraMeshSettings{}));
  for (auto _ : state) {
    const mesh::MeshQualityReport report = mesh::assess_quality(default_mesh);
    benchmark::DoNotOptimize(report.radius_ratio.min);
  }
  tets_per_run()["Quality/assess"] = static_cast<double>(default_mesh.tetrahedra.size());
  state.counters["tets/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(default_mesh.tetrahedra.size()),
      benchmark::Counter::kIsRate);
}

void print_image_ratio(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  const double keep_rate = collector.rate("Image/keep");
  const double remesh_rate = collector.rate("Image/remesh");
  if (std::isnan(keep_rate) || std::isnan(remesh_rate)) return;
  const double keep_s = tets_per_run()["Image/keep"] / keep_rate;
  const double remesh_s = tets_per_run()["Image/remesh"] / remesh_rate;
  fmt::print(out,
             "\nVolume meshing of the phantom's extracted surface ({} triangles), remeshed vs "
             "kept (same run)\n{:<26} {:>10} {:>10}\n{:<26} {:>10.0f} {:>10.3f}\n{:<26} {:>10.0f} "
             "{:>10.3f}\ntime per mesh, remesh / keep: {:.2f}\n",
             image_surface().labelled.surface.triangles.size(), "benchmark", "tets", "s/mesh",
             "Image/keep", tets_per_run()["Image/keep"], keep_s, "Image/remesh",
             tets_per_run()["Image/remesh"], remesh_s, remesh_s / keep_s);
}

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  const double baseline = collector.rate("Mesh/delaunay_plain");
  fmt::print(out,
             "\nVolume meshing of a Y bifurcation ({} size, {} surface triangles) vs plain "
             "Delaunay (same run)\n{:<26} {:>10} {:>12} {:>10} {:>18}\n",
             bench_size(), surface().labelled.surface.triangles.size(), "benchmark", "tets",
             "tets/s", "s/mesh", "rate / baseline");
  for (const std::string name :
       {"Mesh/delaunay_plain", "Mesh/delaunay_optimised", "Mesh/hxt_optimised", "Quality/assess"}) {
    const double rate = collector.rate(name);
    if (std::isnan(rate)) continue;
    const double tets = tets_per_run()[name];
    fmt::print(out, "{:<26} {:>10.0f} {:>12.0f} {:>10.3f} {:>18.2f}\n", name, tets, rate,
               tets / rate, rate / baseline);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "mesh_bench", [](std::FILE* out) {
    benchmark::AddCustomContext("mesh_bench_size", bench_size());
    mesh::TetraMeshSettings plain;
    plain.optimise = false;
    plain.optimise_netgen = false;
    mesh::TetraMeshSettings hxt;
    hxt.algorithm = mesh::VolumeAlgorithm::Hxt;
    hxt.threads = 2;
    const std::map<std::string, mesh::TetraMeshSettings> cases{
        {"Mesh/delaunay_plain", at_surface_size(plain)},
        {"Mesh/delaunay_optimised", at_surface_size(mesh::TetraMeshSettings{})},
        {"Mesh/hxt_optimised", at_surface_size(hxt)}};
    for (const auto& [name, settings] : cases) {
      benchmark::RegisterBenchmark(name.c_str(),
                                   [name = name, settings = settings](benchmark::State& state) {
                                     run_mesher(state, name, settings, surface().labelled);
                                   })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
    for (const auto remeshing : {mesh::SurfaceRemeshing::Keep, mesh::SurfaceRemeshing::Remesh}) {
      const std::string name =
          remeshing == mesh::SurfaceRemeshing::Keep ? "Image/keep" : "Image/remesh";
      benchmark::RegisterBenchmark(name.c_str(),
                                   [name, remeshing](benchmark::State& state) {
                                     mesh::TetraMeshSettings settings;
                                     settings.surface_remeshing = remeshing;
                                     settings.inlet_label = image_surface().inlet_label;
                                     run_mesher(state, name, settings, image_surface().labelled);
                                   })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark("Quality/assess", assess)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "tets/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
    print_image_ratio(out, collector);
  });
}
