// SPDX-License-Identifier: Apache-2.0
// `ptwin phantom OUT_DIR`: writes a synthetic vessel phantom (geometry::phantom) as a CT DICOM
// series with its ground truth (ground_truth.json) for testing and benchmarking the imaging
// pipeline (docs/dicom.md#synthetic-vessel-phantoms).

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"

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
  return {sub, [options] { run_phantom(*options); }};
}

}  // namespace ptwin::app
