// SPDX-License-Identifier: Apache-2.0
// report.json and report.html of `ptwin image`: the input's identity, the settings, per-stage
// wall times, the segmentation and surface reports, voxel counts and volumes, and the pictures.
// The HTML is well-formed XHTML (checked by xmllint in the e2e test) with the pictures linked.

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "image_run.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"

namespace ptwin::app {
namespace {

using nlohmann::json;

json input_json(const ImageRun& run) {
  const auto& v = *run.volume;
  const auto& g = v.geometry;
  json input = {{"study_uid", v.identity.study_uid},
                {"series_uid", v.identity.series_uid},
                {"frame_of_reference_uid", v.identity.frame_of_reference_uid},
                {"modality", v.identity.modality},
                {"value_unit", v.value_unit},
                {"grid",
                 {{"size", g.size},
                  {"spacing_m", g.spacing_m},
                  {"origin_m", g.origin_m},
                  {"direction", {g.direction_i, g.direction_j, g.direction_k}}}}};
  if (run.options.pacs_url.empty()) {
    input["source"] = {{"kind", "folder"}, {"path", run.options.series_dir}};
  } else {
    input["source"] = {{"kind", "dicomweb"},
                       {"url", run.options.pacs_url},
                       {"study_uid", run.options.study_uid},
                       {"modality", run.options.modality},
                       {"series_uid", run.fetched_series_uid},
                       {"instances", run.fetched_instances},
                       {"bytes_received", run.fetched_bytes}};
  }
  return input;
}

json settings_json(const ImageRun& run) {
  const auto& o = run.options;
  const auto& s = run.surface_settings;
  json segmentation = {{"method", o.segmenter}};
  if (o.segmenter == "torchscript") {
    segmentation["model"] = o.model_path;
  } else {
    segmentation.update({{"lower_threshold_hu", o.lower_threshold_hu},
                         {"upper_threshold_hu", o.upper_threshold_hu},
                         {"seeds_mm", o.seeds_mm},
                         {"inlet_face", o.inlet_face},
                         {"level_set", o.is_level_set_refined}});
  }
  return {{"segmentation", segmentation},
          {"surface",
           {{"anti_alias_sigma_voxels", s.anti_alias_sigma_voxels},
            {"smoothing_iterations", s.smoothing_iterations},
            {"smoothing_pass_band", s.smoothing_pass_band},
            {"decimation_target_reduction", s.decimation_target_reduction},
            {"cap_at_image_boundary", s.cap_at_image_boundary},
            {"inlet_face", o.inlet_face},
            {"repair", s.repair}}},
          {"mesh", {{"surface_remeshing", o.surface_remeshing}}}};
}

json timings_json(const std::vector<geometry::segmentation::StageTiming>& timings) {
  json out = json::array();
  for (const auto& t : timings) out.push_back({{"stage", t.stage}, {"seconds", t.seconds}});
  return out;
}

json segmentation_json(const ImageRun& run) {
  const auto& r = run.segmentation->report;
  const auto& labels = run.segmentation->labels;
  const std::size_t voxels = geometry::segmentation::lumen_voxel_count(labels);
  return {{"method", r.method},
          {"seed_source", r.seed_source},
          {"seeds_ijk", r.seeds_ijk},
          {"lower_threshold_hu", r.lower_threshold_hu},
          {"upper_threshold_hu", r.upper_threshold_hu},
          {"region_growing_voxels", r.region_growing_voxels},
          {"level_set_voxels", r.level_set_voxels},
          {"level_set_iterations", r.level_set_iterations},
          {"removed_component_voxels", r.removed_component_voxels},
          {"lumen_voxels", voxels},
          {"image_voxels", labels.labels.size()},
          {"lumen_volume_m3", static_cast<double>(voxels) * geometry::segmentation::voxel_volume_m3(labels.geometry)},
          {"timings", timings_json(r.timings)}};
}

json check_json(const geometry::surface::SurfaceCheckReport& c) {
  return {{"problem_count", c.problem_count()},
          {"summary", c.summary()},
          {"triangles", c.triangle_count},
          {"vertices", c.vertex_count},
          {"boundary_edges", c.boundary_edges},
          {"non_manifold_edges", c.non_manifold_edges},
          {"non_manifold_vertices", c.non_manifold_vertices},
          {"inconsistent_edges", c.inconsistent_edges},
          {"degenerate_triangles", c.degenerate_triangles},
          {"duplicate_triangles", c.duplicate_triangles},
          {"self_intersecting_pairs", c.self_intersecting_pairs},
          {"components", c.components},
          {"euler_characteristic", c.euler_characteristic},
          {"enclosed_volume_m3", c.enclosed_volume_m3},
          {"is_outward", c.is_outward},
          {"is_watertight", c.is_watertight()},
          {"is_manifold", c.is_manifold()}};
}

json surface_json(const ImageRun& run) {
  const auto& r = run.surface->report;
  json caps = json::array();
  for (const auto& cap : run.surface->labels.caps) {
    caps.push_back({{"label", cap.label},
                    {"role", geometry::surface::to_string(cap.role)},
                    {"image_face", cap.image_face},
                    {"area_m2", cap.area_m2},
                    {"centroid_m", cap.centroid_m},
                    {"outward_normal", cap.outward_normal}});
  }
  return {{"iso_triangles", r.iso_triangles},
          {"decimated_triangles", r.decimated_triangles},
          {"final_triangles", r.final_triangles},
          {"iso_volume_m3", r.iso_volume_m3},
          {"smoothed_volume_m3", r.smoothed_volume_m3},
          {"final_volume_m3", r.final_volume_m3},
          {"smoothing_volume_change", r.smoothing_volume_change()},
          {"capped_faces", r.capped_faces},
          {"caps", caps},
          {"check_before_repair", check_json(r.check_before_repair)},
          {"repair", {{"changes", r.repair.change_count()}, {"summary", r.repair.summary()}}},
          {"check", check_json(r.check)},
          {"timings", timings_json(r.timings)}};
}

std::string escape_xml(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '&': out.append("&amp;"); break;
      case '"': out.append("&quot;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

// The 0D model's predicted drops per segment, stenosed segments marked, with the inflow stated.
std::string pressure_drop_html(const json& p) {
  const auto& inflow = p.at("inflow");
  std::string html = "<h2>Predicted pressure drops</h2>\n";
  html.append(fmt::format("<p>Model: {} {} (zerod_model.json), {} inflow, mean {:.2f} mL/s{}; status: {}.</p>\n",
                          escape_xml(p.at("model").at("name")), escape_xml(p.at("model").at("version")),
                          inflow.at("kind").get<std::string>(), inflow.at("mean_ml_per_s").get<double>(),
                          inflow.at("kind") == "pulsatile"
                              ? fmt::format(", period {:.3f} s", inflow.at("period_s").get<double>())
                              : std::string(),
                          escape_xml(p.at("status").get<std::string>() + " " + p.at("message").get<std::string>())));
  html.append("<table>\n<tr><th>segment</th><th>stenosis</th><th>mean flow (mL/s)</th><th>mean drop (mmHg)</th>"
              "<th>peak drop (mmHg)</th><th>of which stenosis loss, mean (mmHg)</th></tr>\n");
  for (const auto& s : p.at("segments")) {
    html.append(fmt::format("<tr><td>{}</td><td>{}</td><td>{:.3f}</td><td>{:.3f}</td><td>{:.3f}</td><td>{:.3f}</td></tr>\n",
                            escape_xml(s.at("name")), s.at("has_stenosis").get<bool>() ? "yes" : "no",
                            s.at("mean_flow_ml_per_s").get<double>(), s.at("mean_drop_mmhg").get<double>(),
                            s.at("peak_drop_mmhg").get<double>(), s.at("mean_stenosis_loss_mmhg").get<double>()));
  }
  html.append("</table>\n");
  return html;
}

std::string html_report(const ImageRun& run, const json& report) {
  std::string html;
  html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
  html.append("<meta charset=\"utf-8\"/>\n<title>ptwin image report</title>\n");
  html.append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
              "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
              "figure{display:inline-block;margin:8px}img{max-width:512px}</style>\n</head>\n<body>\n");
  html.append("<h1>Imaging pipeline report</h1>\n");
  const auto& in = report.at("input");
  html.append(fmt::format("<p>Study {}, series {} ({}, {}x{}x{} voxels).</p>\n",
                          escape_xml(in.at("study_uid")), escape_xml(in.at("series_uid")),
                          escape_xml(in.at("modality")), run.volume->geometry.size[0],
                          run.volume->geometry.size[1], run.volume->geometry.size[2]));
  html.append("<h2>Stages</h2>\n<table>\n<tr><th>stage</th><th>seconds</th></tr>\n");
  for (const auto& stage : run.stages) {
    html.append(fmt::format("<tr><td>{}</td><td>{:.3f}</td></tr>\n", escape_xml(stage.name), stage.seconds));
  }
  html.append(fmt::format("<tr><th>total</th><th>{:.3f}</th></tr>\n</table>\n",
                          report.at("total_seconds").get<double>()));
  const auto& s = report.at("segmentation");
  const auto& f = report.at("surface");
  html.append("<h2>Results</h2>\n<table>\n");
  const auto row = [&html](const std::string& name, const std::string& value) {
    html.append(fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", escape_xml(name), escape_xml(value)));
  };
  if (!run.intake_summary.is_null()) {
    const auto& in_take = run.intake_summary;
    row("files offered = accepted + quarantined + out of scope",
        fmt::format("{} = {} + {} + {}", in_take.at("offered").get<std::size_t>(), in_take.at("accepted").get<std::size_t>(),
                    in_take.at("quarantined").get<std::size_t>(), in_take.at("skipped_out_of_scope").get<std::size_t>()));
    for (const auto& refused : in_take.at("quarantined_files")) row("quarantined", refused.at("reason").get<std::string>());
    for (const auto& skipped : in_take.at("skipped_files")) row("out of scope", skipped.at("reason").get<std::string>());
  }
  row("segmenter", s.at("method").get<std::string>());
  row("lumen voxels", std::to_string(s.at("lumen_voxels").get<std::size_t>()));
  row("lumen volume (mL, voxels)", fmt::format("{:.4f}", s.at("lumen_volume_m3").get<double>() * 1e6));
  row("surface volume (mL)", fmt::format("{:.4f}", f.at("final_volume_m3").get<double>() * 1e6));
  row("triangles", std::to_string(f.at("final_triangles").get<std::size_t>()));
  row("caps", std::to_string(f.at("caps").size()));
  row("surface problems", std::to_string(f.at("check").at("problem_count").get<std::size_t>()));
  row("surface check", f.at("check").at("summary").get<std::string>());
  if (!run.network_summary.is_null()) {
    row("vessel segments", std::to_string(run.network_summary.at("segments").size()));
    row("bifurcations", std::to_string(run.network_summary.at("bifurcations").get<std::size_t>()));
    for (const auto& segment : run.network_summary.at("segments")) {
      row(fmt::format("{}: length / mean diameter / min diameter (mm), stenosis (%)", segment.at("name").get<std::string>()),
          fmt::format("{:.1f} / {:.2f} / {:.2f}, {:.0f}", segment.at("length_m").get<double>() * 1e3,
                      segment.at("mean_radius_m").get<double>() * 2e3, segment.at("min_radius_m").get<double>() * 2e3,
                      segment.at("stenosis_diameter_reduction").get<double>() * 100.0));
    }
  }
  if (!run.mesh_summary.is_null()) {
    row("surface remeshing", run.mesh_summary.at("surface_remeshing").get<std::string>());
    row("tetrahedra", std::to_string(run.mesh_summary.at("tetrahedra").get<std::size_t>()));
    row("mesh volume (mL)", fmt::format("{:.4f}", run.mesh_summary.at("volume_m3").get<double>() * 1e6));
    row("minimum dihedral angle (deg)", fmt::format("{:.1f}", run.mesh_summary.at("min_dihedral_deg").get<double>()));
    row("mesh quality", run.mesh_summary.at("quality").get<std::string>());
  }
  if (!run.dicom_summary.is_null()) {
    row("DICOM SEG series", run.dicom_summary.at("seg_series_uid").get<std::string>());
    row("DICOM SR series", run.dicom_summary.at("sr_series_uid").get<std::string>());
    row("instances stored with STOW-RS", std::to_string(run.dicom_summary.at("stored_with_stow_rs").get<std::size_t>()));
  }
  html.append("</table>\n");
  if (!run.pressure_summary.is_null()) html.append(pressure_drop_html(run.pressure_summary));
  html.append("<h2>Pictures</h2>\n");
  for (const auto& picture : run.pictures) {
    html.append(fmt::format("<figure><img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"/>"
                            "<figcaption>{}</figcaption></figure>\n",
                            escape_xml(picture.file), picture.width, picture.height,
                            escape_xml(picture.what), escape_xml(picture.what)));
  }
  if (run.pictures.empty()) html.append("<p>Pictures were not drawn (--no-pictures).</p>\n");
  html.append("<p>Full figures: <a href=\"report.json\">report.json</a>; surface: "
              "<a href=\"lumen.vtp\">lumen.vtp</a>; labels: <a href=\"labels.nrrd\">labels.nrrd</a>.</p>\n");
  html.append("</body>\n</html>\n");
  return html;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error(ErrorCode::Io, "cannot write " + path.string());
}

}  // namespace

std::vector<std::string> write_image_report(const ImageRun& run) {
  json stages = json::array();
  double total_s = 0.0;
  for (const auto& stage : run.stages) {
    stages.push_back({{"name", stage.name}, {"seconds", stage.seconds}, {"outputs", stage.outputs}});
    total_s += stage.seconds;
  }
  json pictures = json::array();
  for (const auto& p : run.pictures) {
    pictures.push_back({{"file", p.file}, {"what", p.what}, {"width", p.width}, {"height", p.height}});
  }
  const json report = {{"format", "ptwin.image-report/1"},
                       {"input", input_json(run)},
                       {"intake", run.intake_summary},
                       {"settings", settings_json(run)},
                       {"stages", stages},
                       {"total_seconds", total_s},
                       {"segmentation", segmentation_json(run)},
                       {"surface", surface_json(run)},
                       {"network", run.network_summary},
                       {"pressure_drops", run.pressure_summary},
                       {"mesh", run.mesh_summary},
                       {"dicom", run.dicom_summary},
                       {"outputs", {{"surface", "lumen.vtp"}, {"labels", "labels.nrrd"}}},
                       {"pictures", pictures}};
  write_text(run.output_dir / "report.json", report.dump(2) + "\n");
  write_text(run.output_dir / "report.html", html_report(run, report));
  return {"report.json", "report.html"};
}

}  // namespace ptwin::app
