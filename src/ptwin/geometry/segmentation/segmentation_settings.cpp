// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/segmentation_settings.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::segmentation {
namespace {

constexpr std::array<std::pair<SmoothingMethod, std::string_view>, 3> kSmoothingNames{{
    {SmoothingMethod::kNone, "none"},
    {SmoothingMethod::kGaussian, "gaussian"},
    {SmoothingMethod::kCurvatureFlow, "curvature_flow"},
}};
constexpr std::array<std::pair<ImageFace, std::string_view>, 6> kFaceNames{{
    {ImageFace::kIMin, "i_min"},
    {ImageFace::kIMax, "i_max"},
    {ImageFace::kJMin, "j_min"},
    {ImageFace::kJMax, "j_max"},
    {ImageFace::kKMin, "k_min"},
    {ImageFace::kKMax, "k_max"},
}};

[[noreturn]] void reject(std::string_view field, const std::string& value, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("segmentation settings: {}", field), value,
                   std::move(rule));
}

void require_range(double value, double low, double high, std::string_view field) {
  if (!(value >= low && value <= high)) {
    reject(field, fmt::format("{}", value), fmt::format("from {} to {}", low, high));
  }
}

}  // namespace

std::string_view to_string(SmoothingMethod method) {
  for (const auto& [key, name] : kSmoothingNames) {
    if (key == method) return name;
  }
  return "unknown";
}

std::string_view to_string(ImageFace face) {
  for (const auto& [key, name] : kFaceNames) {
    if (key == face) return name;
  }
  return "unknown";
}

SmoothingMethod smoothing_method_from_string(std::string_view text, std::string_view field) {
  for (const auto& [key, name] : kSmoothingNames) {
    if (name == text) return key;
  }
  throw InputError(ErrorCode::BadInput, std::string(field), printable_value(text),
                   "one of none, gaussian, curvature_flow");
}

ImageFace image_face_from_string(std::string_view text, std::string_view field) {
  for (const auto& [key, name] : kFaceNames) {
    if (name == text) return key;
  }
  throw InputError(ErrorCode::BadInput, std::string(field), printable_value(text),
                   "one of i_min, i_max, j_min, j_max, k_min, k_max");
}

void validate(const ClassicalSegmentationSettings& settings) {
  require_range(settings.lower_threshold_hu, -1024.0, 4000.0, "lower_threshold_hu");
  require_range(settings.upper_threshold_hu, -1024.0, 4000.0, "upper_threshold_hu");
  if (!(settings.upper_threshold_hu > settings.lower_threshold_hu)) {
    reject("upper_threshold_hu", fmt::format("{}", settings.upper_threshold_hu),
           fmt::format("greater than lower_threshold_hu ({})", settings.lower_threshold_hu));
  }
  for (std::size_t n = 0; n < settings.seeds_m.size(); ++n) {
    for (int a = 0; a < 3; ++a) {
      if (!std::isfinite(settings.seeds_m[n][static_cast<std::size_t>(a)])) {
        reject(fmt::format("seeds_m[{}][{}]", n, a),
               fmt::format("{}", settings.seeds_m[n][static_cast<std::size_t>(a)]),
               "a finite coordinate in metres");
      }
    }
  }
  require_range(settings.seed_search_depth_m, 0.0, 0.5, "seed_search_depth_m");
  require_range(settings.min_seed_area_m2, 0.0, 1e-2, "min_seed_area_m2");
  require_range(static_cast<double>(settings.curvature_flow_iterations), 1, 100,
                "curvature_flow_iterations");
  // Explicit curvature flow is stable for time steps up to 1/2^N in N dimensions (ITK
  // CurvatureFlowFunction documentation); 3D: 0.125.
  if (!(settings.curvature_flow_time_step > 0.0 && settings.curvature_flow_time_step <= 0.125)) {
    reject("curvature_flow_time_step", fmt::format("{}", settings.curvature_flow_time_step),
           "greater than 0 and at most 0.125 (stability limit of explicit curvature flow in 3D)");
  }
  require_range(settings.gaussian_sigma_m, 1e-6, 1e-2, "gaussian_sigma_m");
  require_range(static_cast<double>(settings.level_set_max_iterations), 1, 10000,
                "level_set_max_iterations");
  require_range(settings.level_set_max_rms_change, 1e-6, 1.0, "level_set_max_rms_change");
  require_range(settings.propagation_scaling, 0.0, 10.0, "propagation_scaling");
  require_range(settings.curvature_scaling, 0.0, 10.0, "curvature_scaling");
  if (settings.propagation_scaling == 0.0 && settings.curvature_scaling == 0.0) {
    reject("propagation_scaling", "0", "not both propagation_scaling and curvature_scaling zero");
  }
  require_range(settings.roi_margin_m, 0.0, 0.1, "roi_margin_m");
}

std::array<std::size_t, 3> voxel_of(const ingest::dicom::VolumeGeometry& geometry,
                                    const ingest::dicom::Vector3& point_m, std::string_view field) {
  const ingest::dicom::Vector3 offset{point_m[0] - geometry.origin_m[0],
                                      point_m[1] - geometry.origin_m[1],
                                      point_m[2] - geometry.origin_m[2]};
  const std::array<ingest::dicom::Vector3, 3> axes{geometry.direction_i, geometry.direction_j,
                                                   geometry.direction_k};
  std::array<std::size_t, 3> index{};
  for (std::size_t a = 0; a < 3; ++a) {
    const double continuous = ingest::dicom::dot(offset, axes[a]) / geometry.spacing_m[a];
    const double nearest = std::round(continuous);
    if (!(nearest >= 0.0 && nearest <= static_cast<double>(geometry.size[a]) - 1.0)) {
      throw InputError(ErrorCode::BadInput, std::string(field),
                       fmt::format("({}, {}, {}) m", point_m[0], point_m[1], point_m[2]),
                       fmt::format("a point inside the image (voxel index along axis {} would be "
                                   "{:.1f}, outside 0..{})",
                                   a, continuous, geometry.size[a] - 1));
    }
    index[a] = static_cast<std::size_t>(nearest);
  }
  return index;
}

}  // namespace ptwin::geometry::segmentation
