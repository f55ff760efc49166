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
#include "ptwin/core/logging.hpp"
#include "ptwin/geometry/review/centerline_picture.hpp"
#include "ptwin/geometry/review/label_volume_nrrd_writer.hpp"
#include "ptwin/geometry/review/png_writer.hpp"
#include "ptwin/geometry/review/slice_picture.hpp"
#include "ptwin/geometry/review/surface_picture.hpp"
#include "ptwin/geometry/review/vtk_surface_picture.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/segmentation/torchscript_segmenter.hpp"
#include "ptwin/geometry/surface/vtp_writer.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/dicom/dicomweb_client.hpp"
#include "ptwin/ingest/dicom/series_screening.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "read_file.hpp"

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
  (void)network_model_options(o);  // the inflow options, refused by name before any work
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

std::vector<dicom::DicomBuffer> folder_files(const std::string& folder) {
  if (!std::filesystem::is_directory(folder)) {
    throw InputError(ErrorCode::BadInput, "--series", folder, "a folder holding the files of one DICOM series");
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<dicom::DicomBuffer> files;
  for (const auto& path : paths) files.push_back({path.string(), read_whole_file(path)});
  return files;
}

// Screens the offered files (ingest/dicom/series_screening.hpp): refused ones go to the
// quarantine with their bytes and reason, out-of-scope ones are counted; then the series is read.
// A series refused as a whole (e.g. a missing slice) has all its files quarantined, then fails.
void read_volume(ImageRun& run) {
  const bool is_folder = !run.options.series_dir.empty();
  auto offered = is_folder ? folder_files(run.options.series_dir) : std::move(run.fetched_files);
  run.fetched_files.clear();
  const std::size_t offered_count = offered.size();
  auto screening = dicom::screen_series_files(std::move(offered), is_folder ? "" : run.fetched_series_uid);
  const std::filesystem::path database =
      run.options.database.empty() ? run.output_dir / "ptwin.db" : std::filesystem::path(run.options.database);
  store::SqliteStore store(database);
  const time::SystemClock clock;
  const auto quarantine = [&](const dicom::DicomBuffer& file, const std::string& reason) {
    (void)store.quarantine({fmt::format("ptwin image: {}", file.name), reason, file.bytes, clock.now()});
  };
  nlohmann::json quarantined = nlohmann::json::array(), skipped = nlohmann::json::array();
  for (const auto& refused : screening.refused) {
    quarantine(refused.file, refused.reason);
    quarantined.push_back({{"file", refused.file.name}, {"reason", refused.reason}});
  }
  for (const auto& out_of_scope : screening.skipped) {
    skipped.push_back({{"file", out_of_scope.file.name}, {"reason", out_of_scope.reason}});
  }
  run.intake_summary = {{"offered", offered_count},
                        {"accepted", screening.accepted.size()},
                        {"quarantined", screening.refused.size()},
                        {"skipped_out_of_scope", screening.skipped.size()},
                        {"series_in_scope", screening.series_uid},
                        {"database", database.string()},
                        {"quarantined_files", quarantined},
                        {"skipped_files", skipped}};
  if (screening.accepted.empty()) {
    throw InputError(ErrorCode::BadInput, is_folder ? "--series" : "--study",
                     is_folder ? run.options.series_dir : run.options.study_uid,
                     fmt::format("DICOM images of one series ({} files offered: {} quarantined in {}, {} out of scope)",
                                 offered_count, screening.refused.size(), database.string(), screening.skipped.size()));
  }
  try {
    run.volume = dicom::read_dicom_series(screening.accepted);
  } catch (const InputError& error) {
    const std::string reason = fmt::format("series {} refused as a whole: {}", screening.series_uid, error.what());
    for (const auto& file : screening.accepted) quarantine(file, reason);
    throw Error(error.code(), fmt::format("{} (its {} files are kept in the quarantine of {})", error.what(),
                                          screening.accepted.size(), database.string()));
  }
  run.source_files = std::move(screening.accepted);  // for the SEG's and SR's references
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
  // auto: VTK when an X server answers, else the built-in rasteriser, said in the log and the
  // picture's caption.
  std::string renderer = run.options.surface_renderer;
  if (renderer == "auto") {
    const auto why_not = review::vtk_rendering_unavailable();
    renderer = why_not ? "builtin" : "vtk";
    if (why_not) {
      logging::zone_logger("geometry")
          ->info("surface picture drawn by the built-in renderer: {} (for VTK's, run under an X "
                 "server, e.g. xvfb-run)", *why_not);
    }
  }
  const auto surface = renderer == "vtk"
                           ? review::vtk_surface_picture(run.surface->surface, run.surface->labels)
                           : review::surface_picture(run.surface->surface, run.surface->labels);
  review::write_png(run.output_dir / "surface.png", surface.image);
  run.pictures.push_back({"surface.png",
                          fmt::format("lumen surface seen from the front (wall red, inlet blue, outlets green), "
                                      "drawn by {}",
                                      renderer == "vtk" ? "VTK (OpenGL, offscreen)" : "the built-in rasteriser"),
                          surface.image.width, surface.image.height});
  outputs.emplace_back("surface.png");
  const auto tree = review::centerline_picture(*run.network);
  review::write_png(run.output_dir / "centerlines.png", tree.image);
  std::string legend;
  for (std::size_t n = 0; n < tree.segment_colours.size(); ++n) {
    const auto& c = tree.segment_colours[n];
    legend.append(fmt::format("{}{} #{:02x}{:02x}{:02x}", n == 0 ? "" : ", ", run.network->segments[n].name, c[0], c[1], c[2]));
  }
  run.pictures.push_back({"centerlines.png",
                          fmt::format("vessel network seen from the front, the left side and below (left to right): "
                                      "centerlines as wide as the lumen, coloured by segment ({}); inlet IN blue, "
                                      "outlets O green, bifurcations B white, stenoses S red rings with the diameter "
                                      "reduction",
                                      legend),
                          tree.image.width, tree.image.height});
  outputs.emplace_back("centerlines.png");
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
  stages.push_back({"zerod", [&run](std::vector<std::string>& outputs) { predict_pressure_drops(run, outputs); }});
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
  const auto& intake = run.intake_summary;
  fmt::print("files offered: {} = {} accepted + {} quarantined (in {}) + {} out of scope\n",
             intake.at("offered").get<std::size_t>(), intake.at("accepted").get<std::size_t>(),
             intake.at("quarantined").get<std::size_t>(), intake.at("database").get<std::string>(),
             intake.at("skipped_out_of_scope").get<std::size_t>());
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
      "segmentation, lumen surface, centerlines with the vessel network and its 0D model (pressure\n"
      "drops predicted for a stated inflow), volume mesh, DICOM SEG and SR (stored back with STOW-RS when the series came from a PACS),\n"
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
  sub->add_option("--inflow-ml-s", options->inflow_ml_per_s,
                  "steady inflow of the 0D model that predicts the pressure drops (mL/s)")
      ->capture_default_str();
  sub->add_option("--inflow-waveform", options->inflow_waveform,
                  "periodic inflow instead: t:q pairs (s : mL/s), e.g. 0:4,0.1:12,0.3:4,0.8:4 (period 0.8 s)");
  sub->add_option("--db", options->database,
                  "SQLite file whose quarantine keeps refused files (default: OUT/ptwin.db)");
  sub->add_flag("!--no-level-set", options->is_level_set_refined, "skip the level-set refinement (classical)");
  sub->add_flag("!--no-pictures", options->are_pictures_drawn, "do not draw the PNG pictures");
  sub->add_option("--surface-renderer", options->surface_renderer,
                  "surface picture: vtk (VTK offscreen; needs an X server, e.g. xvfb-run), builtin "
                  "(no display needed), or auto (vtk when an X server answers)")
      ->check(CLI::IsMember({"auto", "vtk", "builtin"}))
      ->capture_default_str();
  sub->add_flag("!--no-mesh", options->is_meshed, "skip the tetrahedral volume mesh");
  sub->add_option("--surface-remeshing", options->surface_remeshing,
                  "remesh the surface before filling it with tetrahedra (remesh) or keep it (keep)")
      ->check(CLI::IsMember({"remesh", "keep"}))
      ->capture_default_str();
  return {sub, [options] { run_image(*options); }};
}

}  // namespace ptwin::app
