// SPDX-License-Identifier: Apache-2.0
// `ptwin phantom OUT_DIR`: writes a synthetic vessel phantom (geometry::phantom) as a CT DICOM
// series with its ground truth (ground_truth.json) for testing and benchmarking the imaging
// pipeline (docs/dicom.md#synthetic-vessel-phantoms). With --results it also writes the ground
// truth the way ptwin reports imaging results: the lumen as DICOM SEG and the branch diameters
// and stenosis as a TID 1500 SR (docs/dicom.md#writing-seg-and-sr).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <numeric>
#include <sstream>

#include "commands.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/clinical/dicom/measurement_report_writer.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/clinical/dicom/segmentation_writer.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"
#include "read_file.hpp"

namespace ptwin::app {
namespace {

struct PhantomOptions {
  std::string output_dir;
  std::string size = "64x64x48";
  double pixel_spacing_mm = 0.5;
  double slice_spacing_mm = 0.5;
  double parent_radius_mm = 2.5;
  double stenosis = 0.5;
  double noise_hu = 15.0;
  double blur_mm = 0.3;
  std::uint64_t seed = 20261120;
  std::string transfer_syntax = "explicit";
  bool is_writing_results = false;
};

std::array<std::size_t, 3> parse_size(const std::string& text) {
  std::array<std::size_t, 3> size{};
  char x1 = 0, x2 = 0;
  std::istringstream stream(text);
  stream >> size[0] >> x1 >> size[1] >> x2 >> size[2];
  if (!stream || x1 != 'x' || x2 != 'x' || !stream.eof()) {
    throw InputError(ErrorCode::BadInput, "--size", text, "<columns>x<rows>x<slices>, e.g. 512x512x300");
  }
  return size;
}

ingest::dicom::DicomTransferSyntax parse_syntax(const std::string& name) {
  using ingest::dicom::DicomTransferSyntax;
  if (name == "explicit") return DicomTransferSyntax::ExplicitVrLittleEndian;
  if (name == "rle") return DicomTransferSyntax::RleLossless;
  if (name == "jpeg-ls") return DicomTransferSyntax::JpegLsLossless;
  if (name == "jpeg-lossless") return DicomTransferSyntax::JpegLossless;
  throw InputError(ErrorCode::BadInput, "--transfer-syntax", name,
                   "one of explicit, rle, jpeg-ls, jpeg-lossless");
}

// Per branch, from its centerline radii: mean and minimal diameter, and the diameter reduction
// of the narrowest point against the widest (the stenosis where there is one).
std::vector<clinical::dicom::VesselSegmentMeasurement> ground_truth_measurements(
    const geometry::phantom::VesselPhantom& phantom) {
  std::vector<clinical::dicom::VesselSegmentMeasurement> measurements;
  for (const auto& branch : phantom.branches) {
    const auto& radii = branch.radius_m;
    const auto [smallest, largest] = std::minmax_element(radii.begin(), radii.end());
    const double mean_m = std::accumulate(radii.begin(), radii.end(), 0.0) / static_cast<double>(radii.size());
    clinical::dicom::VesselSegmentMeasurement m;
    m.name = branch.name;
    m.mean_diameter = units::Length::from_si(2.0 * mean_m);
    m.minimal_diameter = units::Length::from_si(2.0 * *smallest);
    m.stenosis_diameter_reduction = units::Ratio::from_si(1.0 - *smallest / *largest);
    measurements.push_back(std::move(m));
  }
  return measurements;
}

// OUT_DIR/results/seg.dcm (lumen fraction > 0.5) and OUT_DIR/results/sr.dcm.
void write_ground_truth_results(const geometry::phantom::VesselPhantom& phantom,
                                const ingest::dicom::WrittenSeries& written,
                                const std::filesystem::path& directory) {
  std::vector<ingest::dicom::DicomBuffer> sources;
  for (const auto& file : written.files) sources.push_back({file.string(), read_whole_file(file)});
  auto volume = phantom.volume;
  volume.identity = written.identity;
  auto labels = geometry::segmentation::empty_labels_like(volume);
  const auto fraction = geometry::phantom::lumen_fraction(volume.geometry, phantom.branches,
                                                          phantom.spec.supersampling);
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    if (fraction[v] > 0.5F) labels.labels[v] = geometry::segmentation::kLumen;
  }
  const std::string version = fmt::format("ptwin {}", PTWIN_VERSION);
  clinical::dicom::SegmentationWriteOptions seg_options;
  seg_options.algorithm = {"ptwin phantom ground truth (lumen fraction > 0.5)", PTWIN_VERSION,
                           clinical::dicom::codes::kAlgorithmFamilyHistogramAnalysis, false};
  seg_options.software_version = version;
  const auto seg = clinical::dicom::write_segmentation(labels, sources, seg_options);
  clinical::dicom::MeasurementReportWriteOptions report_options;
  report_options.software_version = version;
  const auto sr = clinical::dicom::write_measurement_report(ground_truth_measurements(phantom), sources,
                                                            seg, report_options);
  std::filesystem::create_directories(directory);
  for (const auto& [name, bytes] : {std::pair{"seg.dcm", &seg.bytes}, std::pair{"sr.dcm", &sr.bytes}}) {
    std::ofstream out(directory / name, std::ios::binary);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    if (!out) throw Error(ErrorCode::Io, fmt::format("{}: cannot be written", (directory / name).string()));
  }
  fmt::print("SEG and SR of the ground truth written to {}\n", directory.string());
}

void run_phantom(const PhantomOptions& o) {
  geometry::phantom::VesselPhantomSpec spec;
  spec.size = parse_size(o.size);
  spec.pixel_spacing_m = o.pixel_spacing_mm * 1e-3;
  spec.slice_spacing_m = o.slice_spacing_mm * 1e-3;
  spec.parent_radius_m = o.parent_radius_mm * 1e-3;
  spec.stenosis.diameter_reduction = o.stenosis;
  spec.noise_sd_hu = o.noise_hu;
  spec.blur_sigma_m = o.blur_mm * 1e-3;
  spec.seed = o.seed;
  ingest::dicom::CtSeriesWriteOptions write;
  write.transfer_syntax = parse_syntax(o.transfer_syntax);
  const auto phantom = geometry::phantom::make_vessel_phantom(spec);
  const auto written = geometry::phantom::write_phantom_series(phantom, o.output_dir, write);
  fmt::print("{} slices of {}x{} written to {}/series (study {}, series {}), ground truth in {}/ground_truth.json\n",
             written.files.size(), spec.size[0], spec.size[1], o.output_dir,
             written.identity.study_uid, written.identity.series_uid, o.output_dir);
  if (o.is_writing_results) {
    write_ground_truth_results(phantom, written, std::filesystem::path(o.output_dir) / "results");
  }
}

}  // namespace

Command register_phantom(CLI::App& app) {
  auto options = std::make_shared<PhantomOptions>();
  auto* sub = app.add_subcommand(
      "phantom",
      "Write a synthetic CT series of a Y-shaped vessel tree with a stenosis, and its ground\n"
      "truth (centerlines, radii, stenosis): OUT_DIR/series/*.dcm and OUT_DIR/ground_truth.json.");
  sub->add_option("out_dir", options->output_dir, "output directory (created)")->required();
  sub->add_option("--size", options->size, "columns x rows x slices")->capture_default_str();
  sub->add_option("--pixel-mm", options->pixel_spacing_mm, "pixel spacing (mm)")->capture_default_str();
  sub->add_option("--slice-mm", options->slice_spacing_mm, "slice spacing (mm)")->capture_default_str();
  sub->add_option("--radius-mm", options->parent_radius_mm, "parent vessel radius (mm)")
      ->capture_default_str();
  sub->add_option("--stenosis", options->stenosis, "diameter reduction of the stenosis (0..0.95)")
      ->capture_default_str();
  sub->add_option("--noise-hu", options->noise_hu, "noise standard deviation (HU)")->capture_default_str();
  sub->add_option("--blur-mm", options->blur_mm, "Gaussian blur sigma (mm)")->capture_default_str();
  sub->add_option("--seed", options->seed, "noise seed")->capture_default_str();
  sub->add_option("--transfer-syntax", options->transfer_syntax,
                  "explicit, rle, jpeg-ls or jpeg-lossless")->capture_default_str();
  sub->add_flag("--results", options->is_writing_results,
                "also write the ground truth as DICOM SEG and SR: OUT_DIR/results/{seg,sr}.dcm");
  return {sub, [options] { run_phantom(*options); }};
}

}  // namespace ptwin::app
