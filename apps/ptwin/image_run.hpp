// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state one `ptwin image` run builds up stage by stage, and what its report is made of.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image_stages.hpp"
#include "ptwin/clinical/dicom/vessel_measurements.hpp"
#include "ptwin/geometry/centerline/vessel_network.hpp"
#include "ptwin/geometry/segmentation/segmentation_settings.hpp"
#include "ptwin/geometry/segmentation/segmenter.hpp"
#include "ptwin/geometry/surface/surface_extraction.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::app {

struct ImageOptions {
  std::string series_dir;  // --series
  std::string pacs_url;    // --pacs (DICOMweb root)
  std::string study_uid;   // --study
  std::string series_uid;  // --series-uid (PACS; default: the modality's largest series)
  std::string modality = "CT";
  std::string output_dir;
  std::string segmenter = "classical";
  std::string model_path;
  std::vector<std::string> seeds_mm;  // "x,y,z" in patient coordinates (LPS), mm
  double lower_threshold_hu = 200.0;
  double upper_threshold_hu = 1000.0;
  std::string inlet_face = "k_min";
  bool is_level_set_refined = true;
  bool are_pictures_drawn = true;
  std::string surface_renderer = "auto";  // auto | vtk | builtin (docs/geometry.md#ptwin-image)
  bool is_meshed = true;
  // Inflow of the 0D model whose pressure drops go into the SR and the report: a constant
  // --inflow-ml-s, or a periodic --inflow-waveform "t:q,..." (s : mL/s, from t = 0 to the period).
  double inflow_ml_per_s = 6.0;
  std::string inflow_waveform;
  // SQLite database whose quarantine keeps the files refused (default: <out>/ptwin.db).
  std::string database;
  /// --surface-remeshing: "remesh" (image-derived surfaces have slivers that make bad boundary
  /// tetrahedra) or "keep" (fill the extracted surface as it is).
  std::string surface_remeshing = "remesh";
};

struct PictureRecord {
  std::string file;
  std::string what;  // "axial slice 24 with the segmentation outline", ...
  std::size_t width = 0;
  std::size_t height = 0;
};

struct ImageRun {
  ImageOptions options;
  std::filesystem::path output_dir;
  // PACS: what was asked and fetched.
  std::string fetched_series_uid;
  std::size_t fetched_instances = 0;
  std::size_t fetched_bytes = 0;
  std::vector<ingest::dicom::DicomBuffer> fetched_files;
  // The files read as the series (folder or PACS), after screening; those refused are in the
  // quarantine, those out of scope are counted (intake_summary).
  std::vector<ingest::dicom::DicomBuffer> source_files;
  nlohmann::json intake_summary;
  std::optional<ingest::dicom::ImageVolume> volume;
  std::unique_ptr<geometry::segmentation::Segmenter> segmenter;
  std::optional<geometry::segmentation::SegmentationResult> segmentation;
  geometry::surface::SurfaceExtractionSettings surface_settings;
  std::optional<geometry::surface::ExtractedSurface> surface;
  // Downstream stages (image_downstream_stages.hpp): summaries for the report, null when the
  // stage did not run.
  std::optional<geometry::centerline::VesselNetwork> network;
  nlohmann::json network_summary;
  nlohmann::json pressure_summary;  // the 0D model's predicted drops (stage "zerod")
  std::vector<clinical::dicom::VesselSegmentMeasurement> measurements;  // per network segment
  nlohmann::json mesh_summary;
  nlohmann::json dicom_summary;
  std::vector<PictureRecord> pictures;
  std::vector<ImageStageRecord> stages;
};

/// report.json (format "ptwin.image-report/1") and report.html in run.output_dir; returns the
/// files written.
std::vector<std::string> write_image_report(const ImageRun& run);

}  // namespace ptwin::app
