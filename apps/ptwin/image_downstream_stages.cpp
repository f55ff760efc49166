// SPDX-License-Identifier: Apache-2.0
#include "image_downstream_stages.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "ptwin/clinical/dicom/pacs_results.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/centerline/vessel_network_json.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"
#include "ptwin/geometry/mesh/vtk_mesh_files.hpp"
#include "ptwin/physics/zerod/network_model.hpp"
#include "ptwin/physics/zerod/network_pressure_drops.hpp"

namespace ptwin::app {
namespace {

namespace dicom = clinical::dicom;

// The SR's Algorithm Name for the predicted pressure drops (TID 4019).
constexpr std::string_view kPressureDropModelName = "ptwin 0D vessel network (Poiseuille, Young-Tsai, RCR)";

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Error(ErrorCode::Io, path.string() + ": cannot be written");
}

std::vector<dicom::VesselSegmentMeasurement> measurements_of(const geometry::centerline::VesselNetwork& network) {
  std::vector<dicom::VesselSegmentMeasurement> measurements;
  for (const auto& segment : network.segments) {
    dicom::VesselSegmentMeasurement m;
    m.name = segment.name;
    m.mean_diameter = units::Length::from_si(2.0 * segment.mean_radius_m());
    m.minimal_diameter = units::Length::from_si(2.0 * segment.min_radius_m());
    double reduction = 0.0;
    for (const auto& stenosis : segment.stenoses) reduction = std::max(reduction, stenosis.diameter_reduction);
    m.stenosis_diameter_reduction = units::Ratio::from_si(reduction);
    measurements.push_back(std::move(m));
  }
  return measurements;
}

}  // namespace

void extract_vessel_network(ImageRun& run, std::vector<std::string>& outputs) {
  const auto extraction = geometry::centerline::extract_centerlines(run.segmentation->labels);
  const auto& network = extraction.network;
  geometry::centerline::write_vessel_network(network, run.output_dir / "vessel_network.json");
  const auto model = physics::zerod::make_network_model(network, network_model_options(run.options));
  std::ofstream(run.output_dir / "zerod_model.json") << model.dump(2) << '\n';
  outputs = {"vessel_network.json", "zerod_model.json"};
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& segment : network.segments) {
    double reduction = 0.0;
    for (const auto& stenosis : segment.stenoses) reduction = std::max(reduction, stenosis.diameter_reduction);
    segments.push_back({{"name", segment.name},
                        {"length_m", segment.length_m()},
                        {"mean_radius_m", segment.mean_radius_m()},
                        {"min_radius_m", segment.min_radius_m()},
                        {"stenosis_diameter_reduction", reduction}});
  }
  std::size_t bifurcations = 0;
  for (const auto& node : network.nodes) {
    bifurcations += node.kind == geometry::centerline::NodeKind::Bifurcation ? 1 : 0;
  }
  run.network_summary = {{"segments", segments},
                         {"nodes", network.nodes.size()},
                         {"bifurcations", bifurcations},
                         {"ignored_openings", extraction.ignored_openings.size()},
                         {"disconnected_lumen_voxels", extraction.disconnected_lumen_voxels}};
  run.measurements = measurements_of(network);
  run.network = network;
}

physics::zerod::NetworkModelOptions network_model_options(const ImageOptions& o) {
  physics::zerod::NetworkModelOptions options;
  if (!std::isfinite(o.inflow_ml_per_s) || o.inflow_ml_per_s <= 0.0) {
    throw InputError(ErrorCode::BadInput, "--inflow-ml-s", fmt::format("{}", o.inflow_ml_per_s),
                     "a positive inflow in mL/s (forward flow into the inlet)");
  }
  options.mean_inflow_m3_per_s = o.inflow_ml_per_s * 1e-6;
  if (o.inflow_waveform.empty()) return options;
  std::istringstream items(o.inflow_waveform);
  std::string item;
  while (std::getline(items, item, ',')) {
    std::istringstream pair(item);
    double time_s = 0.0, flow_ml_per_s = 0.0;
    char colon = 0;
    pair >> time_s >> colon >> flow_ml_per_s;
    const bool is_increasing = options.inflow_times_s.empty() ? time_s == 0.0 : time_s > options.inflow_times_s.back();
    if (!pair || colon != ':' || !(pair >> std::ws).eof() || !std::isfinite(flow_ml_per_s) || !is_increasing) {
      throw InputError(ErrorCode::BadInput, fmt::format("--inflow-waveform[{}]", options.inflow_times_s.size()), item,
                       "t:q pairs (s : mL/s) separated by commas, times increasing from 0 to the period, "
                       "e.g. 0:4,0.1:12,0.3:4,0.8:4");
    }
    options.inflow_times_s.push_back(time_s);
    options.inflow_m3_per_s.push_back(flow_ml_per_s * 1e-6);
  }
  if (options.inflow_times_s.size() < 2) {
    throw InputError(ErrorCode::BadInput, "--inflow-waveform", o.inflow_waveform,
                     "at least two t:q pairs, the last time being the period");
  }
  options.period_s = options.inflow_times_s.back();
  double integral = 0.0;
  for (std::size_t n = 1; n < options.inflow_times_s.size(); ++n) {
    integral += 0.5 * (options.inflow_times_s[n] - options.inflow_times_s[n - 1]) *
                (options.inflow_m3_per_s[n] + options.inflow_m3_per_s[n - 1]);
  }
  options.mean_inflow_m3_per_s = integral / options.period_s;
  return options;
}

void predict_pressure_drops(ImageRun& run, std::vector<std::string>&) {
  const auto options = network_model_options(run.options);
  const auto drops = physics::zerod::predict_segment_pressure_drops(*run.network, options);
  const dicom::ModelIdentity model{std::string(kPressureDropModelName), PTWIN_VERSION};
  nlohmann::json inflow = {{"kind", options.inflow_times_s.empty() ? "steady" : "pulsatile"},
                           {"mean_ml_per_s", options.mean_inflow_m3_per_s * 1e6},
                           {"period_s", options.period_s}};
  if (!options.inflow_times_s.empty()) {
    nlohmann::json flows_ml_per_s = nlohmann::json::array();
    for (const double q : options.inflow_m3_per_s) flows_ml_per_s.push_back(q * 1e6);
    inflow["times_s"] = options.inflow_times_s;
    inflow["flows_ml_per_s"] = flows_ml_per_s;
  }
  const char* status = drops.status == physics::zerod::SimulationStatus::Completed     ? "completed"
                       : drops.status == physics::zerod::SimulationStatus::NotPeriodic ? "not periodic"
                                                                                        : "diverged";
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& d : drops.segments) {
    segments.push_back({{"name", d.segment},
                        {"has_stenosis", d.has_stenosis},
                        {"mean_drop_pa", d.mean_drop_pa},
                        {"peak_drop_pa", d.peak_drop_pa},
                        {"mean_drop_mmhg", d.mean_drop_pa / units::kPaPerMmHg},
                        {"peak_drop_mmhg", d.peak_drop_pa / units::kPaPerMmHg},
                        {"mean_stenosis_loss_mmhg", d.mean_stenosis_loss_pa / units::kPaPerMmHg},
                        {"mean_flow_ml_per_s", d.mean_flow_m3_per_s * 1e6}});
    for (auto& m : run.measurements) {
      if (m.name == d.segment) {
        m.predicted_pressure_drop = dicom::PredictedPressureDrop{d.mean_drop_pa * units::pa, model, d.peak_drop_pa * units::pa};
      }
    }
  }
  run.pressure_summary = {{"model", {{"name", model.name}, {"version", model.version}, {"file", "zerod_model.json"}}},
                          {"inflow", inflow},
                          {"status", status},
                          {"message", drops.message},
                          {"cycles", drops.cycles},
                          {"segments", segments}};
  if (drops.status != physics::zerod::SimulationStatus::Completed) {
    logging::zone_logger("physics")->warn("0D model of the vessel network did not complete status={} message={}; the SR "
                                       "carries no predicted pressure drops", status, drops.message);
  }
}

void mesh_lumen(ImageRun& run, std::vector<std::string>& outputs) {
  geometry::mesh::TetraMeshSettings settings;
  settings.inlet_label = geometry::mesh::inlet_label_of(run.surface->labels);
  settings.surface_remeshing = run.options.surface_remeshing == "keep" ? geometry::mesh::SurfaceRemeshing::Keep
                                                                       : geometry::mesh::SurfaceRemeshing::Remesh;
  const auto mesh = geometry::mesh::mesh_volume(
      geometry::mesh::labelled_surface_from(run.surface->surface, run.surface->labels), settings);
  const auto quality = geometry::mesh::assess_quality(mesh);
  const auto check = geometry::mesh::check_quality(quality, geometry::mesh::MeshQualityThresholds{});
  geometry::mesh::write_volume_vtu(run.output_dir / "lumen_mesh.vtu", mesh, quality);
  geometry::mesh::write_boundary_vtp(run.output_dir / "lumen_boundary.vtp", mesh);
  outputs = {"lumen_mesh.vtu", "lumen_boundary.vtp"};
  nlohmann::json patches = nlohmann::json::array();
  for (std::size_t p = 0; p < mesh.patches.size(); ++p) {
    patches.push_back({{"name", mesh.patches[p].name}, {"area_m2", geometry::mesh::patch_area_m2(mesh, p)}});
  }
  run.mesh_summary = {{"surface_remeshing", run.options.surface_remeshing},
                      {"element_size_m", geometry::mesh::target_element_size_m(
                                             geometry::mesh::labelled_surface_from(run.surface->surface, run.surface->labels),
                                             settings)},
                      {"boundary_triangles", mesh.boundary_triangles.size()},
                      {"nodes", mesh.nodes_m.size()},
                      {"tetrahedra", mesh.tetrahedra.size()},
                      {"volume_m3", geometry::mesh::mesh_volume_m3(mesh)},
                      {"conforming", geometry::mesh::check_conformity(mesh).is_conforming()},
                      {"min_dihedral_deg", quality.min_dihedral_deg.min},
                      {"max_dihedral_deg", quality.max_dihedral_deg.max},
                      {"min_radius_ratio", quality.radius_ratio.min},
                      {"max_volume_skewness", quality.volume_skewness.max},
                      {"quality_passed", check.passed()},
                      {"quality", check.describe()},
                      {"patches", patches}};
}

void write_dicom_results(ImageRun& run, std::vector<std::string>& outputs) {
  const auto& sources = run.source_files;
  const std::string version = fmt::format("ptwin {}", PTWIN_VERSION);
  dicom::PacsResultsOptions options;
  options.segmentation.algorithm = {
      fmt::format("ptwin {} lumen segmentation", run.segmenter->name()), PTWIN_VERSION,
      run.segmenter->name() == "torchscript" ? dicom::codes::kAlgorithmFamilyArtificialIntelligence
                                             : dicom::codes::kAlgorithmFamilyHistogramAnalysis,
      false};
  options.segmentation.software_version = version;
  options.report.software_version = version;
  if (!run.options.pacs_url.empty()) {
    ingest::dicom::DicomwebClientSettings settings;
    settings.base_url = run.options.pacs_url;
    ingest::dicom::DicomwebClient pacs(settings);
    const auto results = dicom::write_results_to_pacs(pacs, run.segmentation->labels, sources, run.measurements, options);
    write_bytes(run.output_dir / "seg.dcm", results.segmentation.bytes);
    outputs.emplace_back("seg.dcm");
    if (results.report) {
      write_bytes(run.output_dir / "sr.dcm", results.report->bytes);
      outputs.emplace_back("sr.dcm");
    }
    run.dicom_summary = {{"seg_series_uid", results.segmentation.series_uid},
                         {"sr_series_uid", results.report ? results.report->series_uid : ""},
                         {"stored_with_stow_rs", results.stow.stored.size()},
                         {"pacs", run.options.pacs_url}};
    return;
  }
  const auto seg = dicom::write_segmentation(run.segmentation->labels, sources, options.segmentation);
  write_bytes(run.output_dir / "seg.dcm", seg.bytes);
  outputs.emplace_back("seg.dcm");
  std::string sr_series;
  if (!run.measurements.empty()) {
    const auto sr = dicom::write_measurement_report(run.measurements, sources, seg, options.report);
    write_bytes(run.output_dir / "sr.dcm", sr.bytes);
    outputs.emplace_back("sr.dcm");
    sr_series = sr.series_uid;
  }
  run.dicom_summary = {{"seg_series_uid", seg.series_uid}, {"sr_series_uid", sr_series}, {"stored_with_stow_rs", 0}};
}

}  // namespace ptwin::app
