// SPDX-License-Identifier: Apache-2.0
// `ptwin image (--series DIR | --pacs URL --study UID) --out DIR`: the imaging pipeline on one
// CT series, stage by stage (image_stages.hpp): fetch (PACS only), read, segment, surface, write,
// pictures; then report.json and report.html (docs/geometry.md#ptwin-image).

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "image_downstream_stages.hpp"
#include "image_run.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/label_volume_nrrd_writer.hpp"
#include "ptwin/geometry/review/png_writer.hpp"
#include "ptwin/geometry/review/slice_picture.hpp"
#include "ptwin/geometry/review/surface_picture.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"
#include "ptwin/geometry/surface/vtp_writer.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"

namespace ptwin::app {
namespace {

namespace dicom = ingest::dicom;
namespace seg = geometry::segmentation;
namespace review = geometry::review;

dicom::Vector3 parse_seed_mm(const std::string& text, std::size_t n) {
  dicom::Vector3 point{};
  char c1 = 0, c2 = 0;
  std::istringstream stream(text);
  stream >> point[0] >> c1 >> point[1] >> c2 >> point[2];
  if (!stream || c1 != ',' || c2 != ',' || !(stream >> std::ws).eof()) {
    throw InputError(ErrorCode::BadInput, fmt::format("--seed-mm[{}]", n), text,
                     "x,y,z in patient coordinates (LPS) in millimetres, e.g. 1.5,-2,10");
  }
  for (double& c : point) c *= 1e-3;
  return point;
}

void check_options(const ImageOptions& o) {
  const bool has_series = !o.series_dir.empty();
  const bool has_pacs = !o.pacs_url.empty();
  if (has_series == has_pacs) {
    throw InputError(ErrorCode::BadInput, "--series/--pacs", has_series ? "both given" : "neither given",
                     "exactly one: a folder holding one DICOM series, or a DICOMweb root with --study");
  }
  if (has_pacs && o.study_uid.empty()) {
    throw InputError(ErrorCode::BadInput, "--study", "(missing)", "the Study Instance UID to fetch from --pacs");
  }
  if (!has_pacs && (!o.study_uid.empty() || !o.series_uid.empty())) {
    throw InputError(ErrorCode::BadInput, "--study/--series-uid", o.study_uid + o.series_uid,
                     "only with --pacs (a --series folder is read as it is)");
  }
  if (o.segmenter != "classical" && o.segmenter != "torchscript") {
    throw InputError(ErrorCode::BadInput, "--segmenter", o.segmenter, "classical or torchscript");
  }
  if (o.segmenter == "torchscript" && o.model_path.empty()) {
    throw InputError(ErrorCode::BadInput, "--model", "(missing)",
                     "a TorchScript model file with --segmenter torchscript (ptwin train-segmenter writes one)");
  }
  if (o.segmenter == "classical" && !o.model_path.empty()) {
    throw InputError(ErrorCode::BadInput, "--model", o.model_path, "only with --segmenter torchscript");
  }
}

std::unique_ptr<seg::Segmenter> make_segmenter(const ImageOptions& o) {
  if (o.segmenter == "torchscript") {
    seg::TorchScriptSegmenterSettings settings;
    settings.model_path = o.model_path;
    return std::make_unique<seg::TorchScriptSegmenter>(settings);
  }
  seg::ClassicalSegmentationSettings settings;
  settings.lower_threshold_hu = o.lower_threshold_hu;
  settings.upper_threshold_hu = o.upper_threshold_hu;
  settings.inlet_face = seg::image_face_from_string(o.inlet_face, "--inlet-face");
  settings.refine_with_level_set = o.is_level_set_refined;
  for (std::size_t n = 0; n < o.seeds_mm.size(); ++n) settings.seeds_m.push_back(parse_seed_mm(o.seeds_mm[n], n));
  return std::make_unique<seg::ClassicalSegmenter>(settings);
}

// PACS: the series of the study with the modality asked for (QIDO-RS), the one named by
// --series-uid or else the one with the most instances, fetched whole with WADO-RS into memory.
void fetch_from_pacs(ImageRun& run) {
  const auto& o = run.options;
  dicom::DicomwebClientSettings settings;
  settings.base_url = o.pacs_url;
  dicom::DicomwebClient pacs(settings);
  const auto series = pacs.search_series(o.study_uid, {{"Modality", o.modality}});
  if (series.empty()) {
    throw InputError(ErrorCode::BadInput, "--study", o.study_uid,
                     fmt::format("a study with a {} series on {} (QIDO-RS found none; check --modality)",
                                 o.modality, o.pacs_url));
  }
  const dicom::SeriesRecord* chosen = nullptr;
  if (!o.series_uid.empty()) {
    for (const auto& record : series) {
      if (record.series_uid == o.series_uid) chosen = &record;
    }
    if (chosen == nullptr) {
      throw InputError(ErrorCode::BadInput, "--series-uid", o.series_uid,
                       fmt::format("one of the study's {} {} series", series.size(), o.modality));
    }
  } else {
    chosen = &*std::max_element(series.begin(), series.end(), [](const auto& a, const auto& b) {
      return a.number_of_instances.value_or(0) < b.number_of_instances.value_or(0);
    });
  }
  run.fetched_series_uid = chosen->series_uid;
  auto files = pacs.retrieve_series(o.study_uid, chosen->series_uid);
  run.fetched_instances = files.size();
  run.fetched_bytes = pacs.counters().bytes_received;
  for (std::size_t n = 0; n < files.size(); ++n) {
    run.fetched_files.push_back({fmt::format("WADO-RS instance {} of series {}", n, chosen->series_uid), std::move(files[n])});
  }
}

void read_volume(ImageRun& run) {
  if (run.options.series_dir.empty()) {
    run.volume = dicom::read_dicom_series(run.fetched_files);  // the files stay for the SEG's references
  } else {
    if (!std::filesystem::is_directory(run.options.series_dir)) {
      throw InputError(ErrorCode::BadInput, "--series", run.options.series_dir,
                       "a folder holding the files of one DICOM series");
    }
    run.volume = dicom::read_dicom_series_directory(run.options.series_dir);
  }
  if (run.volume->value_unit != "HU") {
    throw InputError(ErrorCode::BadInput, "series " + run.volume->identity.series_uid + " modality",
                     run.volume->identity.modality + " (values in '" + run.volume->value_unit + "')",
                     "a CT series in Hounsfield units");
  }
}

void draw_pictures(ImageRun& run, std::vector<std::string>& outputs) {
  const auto& labels = run.segmentation->labels;
  for (const auto plane : {review::SlicePlane::kAxial, review::SlicePlane::kCoronal, review::SlicePlane::kSagittal}) {
    const std::size_t index = review::lumen_centroid_index(labels, plane);
    const auto picture = review::slice_picture(*run.volume, labels, plane, index);
    const std::string file = fmt::format("{}.png", review::to_string(plane));
    review::write_png(run.output_dir / file, picture.image);
    run.pictures.push_back({file, fmt::format("{} slice {} (through the lumen centroid) with the segmentation outline",
                                              review::to_string(plane), index),
                            picture.image.width, picture.image.height});
    outputs.push_back(file);
  }
  const auto surface = review::surface_picture(run.surface->surface, run.surface->labels);
  review::write_png(run.output_dir / "surface.png", surface.image);
  run.pictures.push_back({"surface.png", "lumen surface seen from the front (wall red, inlet blue, outlets green)",
                          surface.image.width, surface.image.height});
  outputs.emplace_back("surface.png");
}

std::vector<ImageStage> image_stages(ImageRun& run) {
  std::vector<ImageStage> stages;
  if (!run.options.pacs_url.empty()) {
    stages.push_back({"fetch", [&run](std::vector<std::string>&) { fetch_from_pacs(run); }});
  }
  stages.push_back({"read", [&run](std::vector<std::string>&) { read_volume(run); }});
  stages.push_back({"segment", [&run](std::vector<std::string>&) {
                      run.segmentation = run.segmenter->segment(*run.volume);
                    }});
  stages.push_back({"surface", [&run](std::vector<std::string>&) {
                      run.surface = geometry::surface::extract_surface(run.segmentation->labels, run.surface_settings);
                    }});
  stages.push_back({"write", [&run](std::vector<std::string>& outputs) {
                      geometry::surface::write_vtp(run.output_dir / "lumen.vtp", run.surface->surface, run.surface->labels);
                      review::write_label_volume_nrrd(run.output_dir / "labels.nrrd", run.segmentation->labels);
                      outputs = {"lumen.vtp", "labels.nrrd"};
                    }});
  stages.push_back({"centerlines", [&run](std::vector<std::string>& outputs) { extract_vessel_network(run, outputs); }});
  if (run.options.is_meshed) {
    stages.push_back({"mesh", [&run](std::vector<std::string>& outputs) { mesh_lumen(run, outputs); }});
  }
  stages.push_back({"dicom", [&run](std::vector<std::string>& outputs) { write_dicom_results(run, outputs); }});
  if (run.options.are_pictures_drawn) {
    stages.push_back({"pictures", [&run](std::vector<std::string>& outputs) { draw_pictures(run, outputs); }});
  }
  return stages;
}

void run_image(const ImageOptions& options) {
  check_options(options);
  ImageRun run;
  run.options = options;
  run.output_dir = options.output_dir;
  run.surface_settings.inlet_face = seg::image_face_from_string(options.inlet_face, "--inlet-face");
  // Settings errors (and a model that does not load) before anything is fetched or read.
  run.segmenter = make_segmenter(options);
  std::error_code error;
  std::filesystem::create_directories(run.output_dir, error);
  if (error) throw Error(ErrorCode::Io, "--out " + options.output_dir + ": " + error.message());
  ProgressBar bar("image");
  run.stages = run_image_stages(image_stages(run), bar);
  bar.finish(fmt::format("{} lumen voxels, {} triangles, surface problems: {}, {} vessel segments{}",
                         run.segmentation->report.final_voxels, run.surface->surface.triangles.size(),
                         run.surface->report.check.problem_count(), run.network_summary.at("segments").size(),
                         run.mesh_summary.is_null()
                             ? std::string()
                             : fmt::format(", {} tetrahedra, mesh quality {}",
                                           run.mesh_summary.at("tetrahedra").get<std::size_t>(),
                                           run.mesh_summary.at("quality").get<std::string>())));
  const auto reports = write_image_report(run);
  fmt::print("{}", format_stage_table(run.stages));
  fmt::print("written to {}:", options.output_dir);
  for (const auto& stage : run.stages) {
    for (const auto& file : stage.outputs) fmt::print(" {}", file);
  }
  for (const auto& file : reports) fmt::print(" {}", file);
  fmt::print("\n");
}

}  // namespace

Command register_image(CLI::App& app) {
  auto options = std::make_shared<ImageOptions>();
  auto* sub = app.add_subcommand(
      "image",
      "Run the imaging pipeline on one CT series (a folder, or a study on a DICOMweb PACS):\n"
      "segmentation, lumen surface, centerlines with the vessel network and its 0D model, volume\n"
      "mesh, DICOM SEG and SR (stored back with STOW-RS when the series came from a PACS),\n"
      "pictures and a report (report.json, report.html).");
  sub->add_option("--series", options->series_dir, "folder holding one DICOM series");
  sub->add_option("--pacs", options->pacs_url, "DICOMweb root of the PACS, e.g. http://pacs:8042/dicom-web");
  sub->add_option("--study", options->study_uid, "Study Instance UID (with --pacs)");
  sub->add_option("--series-uid", options->series_uid, "Series Instance UID (with --pacs; default: the largest)");
  sub->add_option("--modality", options->modality, "modality of the series to fetch (with --pacs)")
      ->capture_default_str();
  sub->add_option("--out", options->output_dir, "output folder (created)")->required();
  sub->add_option("--segmenter", options->segmenter, "classical or torchscript")->capture_default_str();
  sub->add_option("--model", options->model_path, "TorchScript model (with --segmenter torchscript)");
  sub->add_option("--seed-mm", options->seeds_mm, "lumen seed x,y,z (LPS, mm); repeatable; default automatic");
  sub->add_option("--lower-hu", options->lower_threshold_hu, "lumen window, lower bound (HU)")->capture_default_str();
  sub->add_option("--upper-hu", options->upper_threshold_hu, "lumen window, upper bound (HU)")->capture_default_str();
  sub->add_option("--inlet-face", options->inlet_face, "image face of the inlet: i_min ... k_max")
      ->capture_default_str();
  sub->add_flag("!--no-level-set", options->is_level_set_refined, "skip the level-set refinement (classical)");
  sub->add_flag("!--no-pictures", options->are_pictures_drawn, "do not draw the PNG pictures");
  sub->add_flag("!--no-mesh", options->is_meshed, "skip the tetrahedral volume mesh");
  sub->add_option("--surface-remeshing", options->surface_remeshing,
                  "remesh the surface before filling it with tetrahedra (remesh) or keep it (keep)")
      ->check(CLI::IsMember({"remesh", "keep"}))
      ->capture_default_str();
  return {sub, [options] { run_image(*options); }};
}

}  // namespace ptwin::app
