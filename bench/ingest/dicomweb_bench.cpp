// SPDX-License-Identifier: Apache-2.0
// DICOMweb throughput against a real Orthanc + DICOMweb plugin (the imaging issue's "STOW-RS /
// WADO-RS throughput against Orthanc (instances/s) and the ratio to a plain file copy"), on a
// synthetic vessel phantom CT series (geometry::phantom) of PTWIN_DICOMWEB_BENCH_SIZE voxels,
// "<columns>x<rows>x<slices>" (default 128x128x32; the imaging benchmark size is 512x512x300),
// one uncompressed file per slice. In one run:
//   file_copy           baseline: std::filesystem::copy_file of every file of the series into
//                       a fresh directory (page cache, no fsync), the directory removed after
//   stow                STOW-RS of the whole series in one multipart/related POST; each
//                       iteration stores a new series (fresh UIDs, written outside the timing)
//   wado                WADO-RS retrieve of one stored series (multipart/related parsed into
//                       one buffer per instance)
//   wado_to_volume      the same plus read_dicom_series into an ImageVolume in HU
// Counters: instances/s and bytes/s on wall-clock time (Orthanc's threads do the work). After
// the table, main() prints each figure over file_copy's. The server is PTWIN_TEST_DICOMWEB_URL
// (scripts/with_orthanc.sh starts one on 127.0.0.1); without it the DICOMweb benchmarks are
// skipped and say so, and only the baseline runs.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"
#include "store/scratch_dir.hpp"
#include "support/benchmark_main.hpp"

namespace {

namespace fs = std::filesystem;
namespace dicom = ptwin::ingest::dicom;
namespace phantom = ptwin::geometry::phantom;

std::array<std::size_t, 3> bench_size() {
  const char* text = std::getenv("PTWIN_DICOMWEB_BENCH_SIZE");
  if (text == nullptr) return {128, 128, 32};
  std::array<std::size_t, 3> size{};
  char x1 = 0, x2 = 0;
  std::istringstream stream(text);
  stream >> size[0] >> x1 >> size[1] >> x2 >> size[2];
  if (!stream || x1 != 'x' || x2 != 'x' || !stream.eof()) {
    throw ptwin::InputError(ptwin::ErrorCode::BadInput, "PTWIN_DICOMWEB_BENCH_SIZE", text,
                            "<columns>x<rows>x<slices>, e.g. 512x512x300");
  }
  return size;
}

std::string read_file(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), {}};
}

// The phantom, made once per process: its volume and one series of it on disk.
struct Fixture {
  phantom::VesselPhantom vessel;
  ptwin::bench::ScratchDir dir{"ptwin-dicomweb-bench"};
  dicom::WrittenSeries series;
  std::vector<std::string> files;
  std::size_t bytes = 0;

  Fixture() {
    phantom::VesselPhantomSpec spec;
    spec.size = bench_size();
    vessel = phantom::make_vessel_phantom(spec);
    series = phantom::write_phantom_series(vessel, dir.path() / "series");
    for (const auto& path : series.files) {
      files.push_back(read_file(path));
      bytes += files.back().size();
    }
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

std::optional<dicom::DicomwebClient> client_or_skip(benchmark::State& state) {
  const char* url = std::getenv("PTWIN_TEST_DICOMWEB_URL");
  if (url == nullptr) {
    state.SkipWithError("PTWIN_TEST_DICOMWEB_URL is not set: run under scripts/with_orthanc.sh "
                        "(scripts/test.sh does), or point it at a DICOMweb root");
    return std::nullopt;
  }
  dicom::DicomwebClientSettings settings;
  settings.base_url = url;
  return dicom::DicomwebClient(settings);
}

void set_counters(benchmark::State& state, std::size_t instances, std::size_t bytes) {
  const auto runs = static_cast<double>(state.iterations());
  state.counters["instances/s"] =
      benchmark::Counter(runs * static_cast<double>(instances), benchmark::Counter::kIsRate);
  state.counters["bytes/s"] =
      benchmark::Counter(runs * static_cast<double>(bytes), benchmark::Counter::kIsRate);
}

void BM_FileCopy(benchmark::State& state) {
  auto& data = fixture();
  std::size_t copy = 0;
  for (auto _ : state) {
    const auto target = data.dir.path() / fmt::format("copy-{}", copy++);
    fs::create_directory(target);
    for (const auto& path : data.series.files) fs::copy_file(path, target / path.filename());
    state.PauseTiming();
    fs::remove_all(target);
    state.ResumeTiming();
  }
  set_counters(state, data.files.size(), data.bytes);
}

void BM_Stow(benchmark::State& state) {
  auto client = client_or_skip(state);
  if (!client) return;
  auto& data = fixture();
  std::size_t run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto volume = data.vessel.volume;  // a new series each time: fresh study/series/SOP UIDs
    volume.identity = {};
    const auto written = dicom::write_ct_series(volume, data.dir.path() / fmt::format("stow-{}", run++));
    std::vector<std::string> files;
    for (const auto& path : written.files) files.push_back(read_file(path));
    const std::vector<std::string_view> views(files.begin(), files.end());
    state.ResumeTiming();
    const auto result = client->store_instances(views);
    benchmark::DoNotOptimize(result.stored.data());
  }
  set_counters(state, data.files.size(), data.bytes);
}

void retrieve(benchmark::State& state, bool is_to_volume) {
  auto client = client_or_skip(state);
  if (!client) return;
  auto& data = fixture();
  const std::vector<std::string_view> views(data.files.begin(), data.files.end());
  (void)client->store_instances(views);  // a second store of the same instances is harmless
  std::size_t received = 0;
  for (auto _ : state) {
    auto files = client->retrieve_series(data.series.identity.study_uid, data.series.identity.series_uid);
    if (files.size() != data.files.size()) {
      state.SkipWithError("WADO-RS returned a different number of instances");
      return;
    }
    for (const auto& file : files) received += file.size();
    if (is_to_volume) {
      std::vector<dicom::DicomBuffer> buffers;
      for (auto& file : files) buffers.push_back({"wado", std::move(file)});
      const auto volume = dicom::read_dicom_series(buffers);
      benchmark::DoNotOptimize(volume.values.data());
    }
  }
  set_counters(state, data.files.size(), data.bytes);
  benchmark::DoNotOptimize(received);
}

void BM_Wado(benchmark::State& state) { retrieve(state, false); }
void BM_WadoToVolume(benchmark::State& state) { retrieve(state, true); }

const bool kRegistered = [] {
  for (const auto& [name, function] :
       {std::pair{"DicomWeb/file_copy", &BM_FileCopy}, std::pair{"DicomWeb/stow", &BM_Stow},
        std::pair{"DicomWeb/wado", &BM_Wado}, std::pair{"DicomWeb/wado_to_volume", &BM_WadoToVolume}}) {
    benchmark::RegisterBenchmark(name, function)->Unit(benchmark::kMillisecond)->UseRealTime();
  }
  return true;
}();

// Forwards to the display reporter and keeps the median instances/s of each DicomWeb run.
class Collector final : public benchmark::BenchmarkReporter {
 public:
  explicit Collector(benchmark::BenchmarkReporter& display) : display_(display) {}
  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    for (const Run& run : runs) {
      const auto counter = run.counters.find("instances/s");
      if (run.error_occurred || counter == run.counters.end()) continue;
      const std::string key = run.run_name.function_name;
      if (run.run_type == Run::RT_Iteration) figures_[key].push_back(counter->second.value);
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") medians_[key] = counter->second.value;
    }
  }
  void Finalize() override { display_.Finalize(); }
  [[nodiscard]] double rate(const std::string& key) const {
    if (const auto median = medians_.find(key); median != medians_.end()) return median->second;
    const auto found = figures_.find(key);
    if (found == figures_.end()) return NAN;
    auto rates = found->second;
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
  }

 private:
  benchmark::BenchmarkReporter& display_;
  std::map<std::string, std::vector<double>> figures_;
  std::map<std::string, double> medians_;
};

void print_ratios(std::FILE* out, const Collector& collector) {
  const auto& data = fixture();
  const auto& size = data.vessel.spec.size;
  const double copy = collector.rate("DicomWeb/file_copy");
  fmt::print(out, "\nDICOMweb against Orthanc, CT series {}x{}x{} ({} files, {:.1f} MB), instances/s "
                  "(wall clock) and candidate / file copy (same run)\n{:<26} {:>12} {:>14}\n",
             size[0], size[1], size[2], data.files.size(), static_cast<double>(data.bytes) / 1e6,
             "benchmark", "instances/s", "/ file_copy");
  for (const char* key : {"DicomWeb/file_copy", "DicomWeb/stow", "DicomWeb/wado", "DicomWeb/wado_to_volume"}) {
    const double rate = collector.rate(key);
    if (std::isnan(rate)) continue;  // filtered out or skipped
    fmt::print(out, "{:<26} {:>12.0f} {:>14.3f}\n", key, rate, rate / copy);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "dicomweb_bench", [](std::FILE* out) {
    Collector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
