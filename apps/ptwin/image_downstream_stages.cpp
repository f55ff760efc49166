// SPDX-License-Identifier: Apache-2.0
#include "image_downstream_stages.hpp"

#include <fmt/format.h>

#include <fstream>

#include "ptwin/clinical/dicom/pacs_results.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/centerline/vessel_network_json.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"
#include "ptwin/geometry/mesh/vtk_mesh_files.hpp"
#include "ptwin/physics/zerod/network_model.hpp"
#include "read_file.hpp"

namespace ptwin::app {
namespace {

namespace dicom = clinical::dicom;

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

// The source series' files, for the SEG's and SR's references: those fetched from the PACS, or
// the folder's files.
std::vector<ingest::dicom::DicomBuffer> source_files(const ImageRun& run) {
  if (!run.fetched_files.empty()) return run.fetched_files;
  std::vector<ingest::dicom::DicomBuffer> files;
  for (const auto& entry : std::filesystem::directory_iterator(run.options.series_dir)) {
    if (entry.is_regular_file()) files.push_back({entry.path().string(), read_whole_file(entry.path())});
  }
  return files;
}

}  // namespace

void extract_vessel_network(ImageRun& run, std::vector<std::string>& outputs) {
  const auto extraction = geometry::centerline::extract_centerlines(run.segmentation->labels);
  const auto& network = extraction.network;
  geometry::centerline::write_vessel_network(network, run.output_dir / "vessel_network.json");
  const auto model = physics::zerod::make_network_model(network, physics::zerod::NetworkModelOptions{});
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
  const auto sources = source_files(run);
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
