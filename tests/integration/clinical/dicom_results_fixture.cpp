// SPDX-License-Identifier: Apache-2.0
#include "dicom_results_fixture.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"

namespace ptwin::clinical::dicom::testing {

namespace fs = std::filesystem;

namespace {
std::string read_bytes(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), {}};
}
}  // namespace

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(stream.good()) << path;
}

PhantomSeries write_phantom(const fs::path& directory, const std::string& study_uid) {
  geometry::phantom::VesselPhantomSpec spec;
  spec.size = {32, 32, 12};
  PhantomSeries series{geometry::phantom::make_vessel_phantom(spec), {}, {}, {}};
  series.phantom.volume.identity.study_uid = study_uid;
  series.written = geometry::phantom::write_phantom_series(series.phantom, directory);
  for (std::size_t k = 0; k < series.written.files.size(); ++k) {
    series.files.push_back({fmt::format("slice {}", k), read_bytes(series.written.files[k])});
  }
  // The labels carry the identity of the series as written (UIDs generated there).
  auto volume = series.phantom.volume;
  volume.identity = series.written.identity;
  series.lumen = geometry::segmentation::empty_labels_like(volume);
  const auto fraction = geometry::phantom::lumen_fraction(volume.geometry, series.phantom.branches,
                                                          spec.supersampling);
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    if (fraction[v] > 0.5F) series.lumen.labels[v] = geometry::segmentation::kLumen;
  }
  return series;
}

SegmentationWriteOptions test_segmentation_options() {
  SegmentationWriteOptions options;
  options.algorithm = {"ptwin ground-truth threshold", "0.1.0",
                       codes::kAlgorithmFamilyHistogramAnalysis, false};
  options.software_version = "ptwin 0.1.0";
  return options;
}

std::vector<VesselSegmentMeasurement> test_measurements() {
  VesselSegmentMeasurement parent;
  parent.name = "parent";
  parent.mean_diameter = 4.95 * units::mm;
  parent.minimal_diameter = 4.81 * units::mm;
  parent.stenosis_diameter_reduction = 0.028 * units::one;
  parent.finding_site = CodedConcept{"41801008", "SCT", "Coronary artery"};
  VesselSegmentMeasurement stenosed;
  stenosed.name = "daughter-1 stenosis";
  stenosed.mean_diameter = 3.52 * units::mm;
  stenosed.minimal_diameter = 1.98 * units::mm;
  stenosed.stenosis_diameter_reduction = 0.5 * units::one;
  stenosed.predicted_pressure_drop =
      PredictedPressureDrop{12.4 * units::mmHg, {"ptwin.oned", "0.3.1"}, 31.7 * units::mmHg};
  return {parent, stenosed};
}

DciodvfyReport run_dciodvfy(const fs::path& file) {
  DciodvfyReport report;
  if (std::system("command -v dciodvfy >/dev/null 2>&1") != 0) {
    ADD_FAILURE() << "dciodvfy (dicom3tools) is not installed: run scripts/install_deps.sh";
    return report;
  }
  const std::string command = fmt::format("dciodvfy '{}' 2>&1", file.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return report;
  }
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr)
    report.output += buffer.data();
  ::pclose(pipe);
  std::istringstream lines(report.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Error") != std::string::npos) report.errors.push_back(line);
    if (line.find("Warning") != std::string::npos) report.warnings.push_back(line);
  }
  return report;
}

}  // namespace ptwin::clinical::dicom::testing
