// SPDX-License-Identifier: Apache-2.0
// The VTK translation unit of surface extraction (see the header for the stages).
#include "ptwin/geometry/surface/surface_extraction.hpp"

#include <fmt/format.h>
#include <vtkCellData.h>
#include <vtkClipClosedSurface.h>
#include <vtkDataArray.h>
#include <vtkFloatArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkIdList.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkMassProperties.h>
#include <vtkNew.h>
#include <vtkPlane.h>
#include <vtkPlaneCollection.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkQuadricDecimation.h>
#include <vtkSmartPointer.h>
#include <vtkTriangleFilter.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/surface/detail/edge_table.hpp"

namespace ptwin::geometry::surface {
namespace {

using segmentation::ImageFace;
using segmentation::LabelVolume;

// Extra voxels beyond the lumen's box (and beyond the image where the lumen leaves it): room
// for the anti-aliasing kernel and for smoothing to act away from the clipped ends.
constexpr long kMarginVoxels = 6;

class StageClock {
 public:
  explicit StageClock(std::vector<segmentation::StageTiming>& timings) : timings_(timings) {}
  void lap(std::string stage) {
    const auto now = std::chrono::steady_clock::now();
    timings_.push_back({std::move(stage), std::chrono::duration<double>(now - last_).count()});
    last_ = now;
  }

 private:
  std::vector<segmentation::StageTiming>& timings_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

[[noreturn]] void reject(std::string_view field, const std::string& value, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("surface settings: {}", field), value,
                   std::move(rule));
}

struct LumenBox {
  std::array<long, 3> low{}, high{};
  std::array<bool, 3> leaves_low{}, leaves_high{};  // the lumen touches that image face
};

LumenBox lumen_box(const LabelVolume& labels) {
  const auto& size = labels.geometry.size;
  LumenBox box;
  for (std::size_t a = 0; a < 3; ++a) {
    box.low[a] = static_cast<long>(size[a]);
    box.high[a] = -1;
  }
  for (std::size_t k = 0; k < size[2]; ++k) {
    for (std::size_t j = 0; j < size[1]; ++j) {
      for (std::size_t i = 0; i < size[0]; ++i) {
        if (labels.at(i, j, k) != segmentation::kLumen) continue;
        const std::array<long, 3> ijk{static_cast<long>(i), static_cast<long>(j),
                                      static_cast<long>(k)};
        for (std::size_t a = 0; a < 3; ++a) {
          box.low[a] = std::min(box.low[a], ijk[a]);
          box.high[a] = std::max(box.high[a], ijk[a]);
        }
      }
    }
  }
  if (box.high[0] < 0) {
    throw InputError(ErrorCode::BadInput, "surface extraction: labels", "no lumen voxel",
                     "at least one voxel labelled lumen (1)");
  }
  for (std::size_t a = 0; a < 3; ++a) {
    box.leaves_low[a] = box.low[a] == 0;
    box.leaves_high[a] = box.high[a] == static_cast<long>(size[a]) - 1;
  }
  return box;
}

// The mask on the box widened by kMarginVoxels, in the image's own frame scaled by the spacing
// (x_a = index_a * spacing_a): outside the image the boundary slice is replicated, and the
// outermost layer is background so that the iso-surface is closed.
vtkSmartPointer<vtkImageData> working_mask(const LabelVolume& labels, const LumenBox& box) {
  const auto& g = labels.geometry;
  std::array<long, 3> from{}, count{};
  for (std::size_t a = 0; a < 3; ++a) {
    from[a] = box.low[a] - kMarginVoxels;
    count[a] = box.high[a] - box.low[a] + 1 + 2 * kMarginVoxels;
  }
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(static_cast<int>(count[0]), static_cast<int>(count[1]),
                       static_cast<int>(count[2]));
  image->SetSpacing(g.spacing_m[0], g.spacing_m[1], g.spacing_m[2]);
  image->SetOrigin(static_cast<double>(from[0]) * g.spacing_m[0],
                   static_cast<double>(from[1]) * g.spacing_m[1],
                   static_cast<double>(from[2]) * g.spacing_m[2]);
  vtkNew<vtkFloatArray> values;
  values->SetNumberOfValues(count[0] * count[1] * count[2]);
  const auto clamp = [&](long w, std::size_t a) {
    return static_cast<std::size_t>(std::clamp(w, 0L, static_cast<long>(g.size[a]) - 1));
  };
  vtkIdType n = 0;
  for (long k = 0; k < count[2]; ++k) {
    for (long j = 0; j < count[1]; ++j) {
      for (long i = 0; i < count[0]; ++i, ++n) {
        const bool is_outer = i == 0 || j == 0 || k == 0 || i == count[0] - 1 ||
                              j == count[1] - 1 || k == count[2] - 1;
        const bool is_lumen = !is_outer && labels.at(clamp(from[0] + i, 0), clamp(from[1] + j, 1),
                                                     clamp(from[2] + k, 2)) == segmentation::kLumen;
        values->SetValue(n, is_lumen ? 1.0F : 0.0F);
      }
    }
  }
  values->SetName("mask");
  image->GetPointData()->SetScalars(values);
  return image;
}

double volume_of(vtkPolyData* poly) {
  vtkNew<vtkMassProperties> mass;
  mass->SetInputData(poly);
  mass->Update();
  return mass->GetVolume();
}

struct ClipPlane {
  std::size_t axis = 0;
  bool is_high = false;
  double position = 0.0;  // x_axis in the scaled frame
  ImageFace face = ImageFace::kIMin;
};

std::vector<ClipPlane> clip_planes(const LabelVolume& labels, const LumenBox& box) {
  constexpr std::array<std::array<ImageFace, 2>, 3> kFaces{{{ImageFace::kIMin, ImageFace::kIMax},
                                                            {ImageFace::kJMin, ImageFace::kJMax},
                                                            {ImageFace::kKMin, ImageFace::kKMax}}};
  std::vector<ClipPlane> planes;
  for (std::size_t a = 0; a < 3; ++a) {
    const double spacing = labels.geometry.spacing_m[a];
    // The image ends half a voxel beyond the first and last voxel centres.
    if (box.leaves_low[a]) planes.push_back({a, false, -0.5 * spacing, kFaces[a][0]});
    if (box.leaves_high[a]) {
      planes.push_back(
          {a, true, (static_cast<double>(labels.geometry.size[a]) - 0.5) * spacing, kFaces[a][1]});
    }
  }
  return planes;
}

vtkSmartPointer<vtkPolyData> clip_and_cap(vtkPolyData* input,
                                          const std::vector<ClipPlane>& planes) {
  vtkNew<vtkPlaneCollection> collection;
  for (const auto& p : planes) {
    vtkNew<vtkPlane> plane;
    double origin[3] = {0.0, 0.0, 0.0}, normal[3] = {0.0, 0.0, 0.0};
    origin[p.axis] = p.position;
    normal[p.axis] = p.is_high ? -1.0 : 1.0;  // towards the image: the kept side
    plane->SetOrigin(origin);
    plane->SetNormal(normal);
    collection->AddItem(plane);
  }
  vtkNew<vtkClipClosedSurface> clip;
  clip->SetInputData(input);
  clip->SetClippingPlanes(collection);
  clip->GenerateFacesOn();
  clip->SetScalarModeToLabels();
  vtkNew<vtkTriangleFilter> triangles;
  triangles->SetInputConnection(clip->GetOutputPort());
  triangles->PassLinesOff();
  triangles->PassVertsOff();
  triangles->Update();
  vtkSmartPointer<vtkPolyData> output = triangles->GetOutput();
  return output;
}

ingest::dicom::Vector3 to_patient(const ingest::dicom::VolumeGeometry& g, const double x[3]) {
  ingest::dicom::Vector3 p = g.origin_m;
  for (std::size_t r = 0; r < 3; ++r)
    p[r] += x[0] * g.direction_i[r] + x[1] * g.direction_j[r] + x[2] * g.direction_k[r];
  return p;
}

// A cap triangle of the clipped polydata: its index in the surface and the plane it lies on.
struct CapTriangle {
  std::size_t triangle = 0;
  std::size_t plane = 0;  // index into the clip planes
};

std::size_t nearest_plane(vtkPolyData* poly, vtkIdList* ids, const std::vector<ClipPlane>& planes) {
  double centre[3] = {0.0, 0.0, 0.0};
  for (vtkIdType v = 0; v < 3; ++v) {
    double x[3];
    poly->GetPoint(ids->GetId(v), x);
    for (int a = 0; a < 3; ++a) centre[a] += x[a] / 3.0;
  }
  std::size_t nearest = 0;
  for (std::size_t n = 1; n < planes.size(); ++n) {
    if (std::fabs(centre[planes[n].axis] - planes[n].position) <
        std::fabs(centre[planes[nearest].axis] - planes[nearest].position)) {
      nearest = n;
    }
  }
  return nearest;
}

// Patient-frame points and triangles of the clipped polydata; returns its cap triangles (the
// cells vtkClipClosedSurface labelled as cut faces).
std::vector<CapTriangle> to_patient_frame(vtkPolyData* poly, const ingest::dicom::VolumeGeometry& g,
                                          const std::vector<ClipPlane>& planes,
                                          TriangleSurface& surface) {
  surface.points_m.resize(static_cast<std::size_t>(poly->GetNumberOfPoints()));
  for (vtkIdType p = 0; p < poly->GetNumberOfPoints(); ++p) {
    double x[3];
    poly->GetPoint(p, x);
    surface.points_m[static_cast<std::size_t>(p)] = to_patient(g, x);
  }
  // A left-handed direction matrix mirrors the surface: reverse the triangles to keep them
  // oriented as in the scaled frame.
  const bool is_mirrored =
      ingest::dicom::dot(ingest::dicom::cross(g.direction_i, g.direction_j), g.direction_k) < 0.0;
  vtkDataArray* cut = poly->GetCellData()->GetScalars();
  std::vector<CapTriangle> caps;
  vtkNew<vtkIdList> ids;
  for (vtkIdType c = 0; c < poly->GetNumberOfCells(); ++c) {
    poly->GetCellPoints(c, ids);
    if (ids->GetNumberOfIds() != 3) continue;
    std::array<std::uint32_t, 3> t{static_cast<std::uint32_t>(ids->GetId(0)),
                                   static_cast<std::uint32_t>(ids->GetId(1)),
                                   static_cast<std::uint32_t>(ids->GetId(2))};
    if (is_mirrored) std::swap(t[1], t[2]);
    if (cut != nullptr && cut->GetComponent(c, 0) > 0.5) {
      caps.push_back({surface.triangles.size(), nearest_plane(poly, ids, planes)});
    }
    surface.triangles.push_back(t);
  }
  return caps;
}

// Groups the cap triangles into caps (one plane, joined across shared edges), labels them with
// the inlet (largest cap on `inlet_face`) first, and measures them.
void label_caps(const std::vector<CapTriangle>& cap_triangles, const std::vector<ClipPlane>& planes,
                const ingest::dicom::VolumeGeometry& g, ImageFace inlet_face,
                const TriangleSurface& surface, SurfaceFaceLabels& labels) {
  labels.per_triangle.assign(surface.triangles.size(), kWallLabel);
  labels.caps.clear();
  std::vector<std::array<std::uint32_t, 3>> cap_only;
  for (const auto& cap : cap_triangles) cap_only.push_back(surface.triangles[cap.triangle]);
  detail::DisjointSets sets(cap_only.size());
  const auto edges = detail::sorted_half_edges(cap_only);
  detail::for_each_edge(edges, [&](std::size_t first, std::size_t last) {
    for (std::size_t n = first + 1; n < last; ++n) {
      if (cap_triangles[edges[n].triangle].plane == cap_triangles[edges[first].triangle].plane) {
        sets.unite(edges[first].triangle, edges[n].triangle);
      }
    }
  });
  std::map<std::size_t, std::vector<std::size_t>> groups;  // root -> indices into cap_triangles
  for (std::size_t n = 0; n < cap_only.size(); ++n) groups[sets.find(n)].push_back(n);
  for (const auto& [root, group] : groups) {
    CapInfo cap;
    const auto& plane = planes[cap_triangles[group.front()].plane];
    cap.label = static_cast<std::int32_t>(labels.caps.size() + 1);
    cap.image_face = std::string(segmentation::to_string(plane.face));
    const double outward = plane.is_high ? 1.0 : -1.0;
    const std::array<ingest::dicom::Vector3, 3> axes{g.direction_i, g.direction_j, g.direction_k};
    for (std::size_t r = 0; r < 3; ++r) cap.outward_normal[r] = outward * axes[plane.axis][r];
    for (const auto n : group) labels.per_triangle[cap_triangles[n].triangle] = cap.label;
    labels.caps.push_back(cap);
  }
  update_cap_geometry(surface, labels);
  // Relabel: the inlet first, the outlets after it in their present order.
  const std::string inlet_name(segmentation::to_string(inlet_face));
  std::ptrdiff_t inlet = -1;
  for (std::size_t c = 0; c < labels.caps.size(); ++c) {
    const auto& cap = labels.caps[c];
    if (cap.image_face == inlet_name &&
        (inlet < 0 || cap.area_m2 > labels.caps[static_cast<std::size_t>(inlet)].area_m2)) {
      inlet = static_cast<std::ptrdiff_t>(c);
    }
  }
  if (inlet < 0) return;
  const auto old_caps = labels.caps;
  std::vector<std::int32_t> relabel(old_caps.size() + 1, kWallLabel);
  labels.caps.clear();
  labels.caps.push_back(old_caps[static_cast<std::size_t>(inlet)]);
  labels.caps.back().role = CapRole::kInlet;
  for (std::size_t c = 0; c < old_caps.size(); ++c) {
    if (static_cast<std::ptrdiff_t>(c) != inlet) labels.caps.push_back(old_caps[c]);
  }
  for (std::size_t c = 0; c < labels.caps.size(); ++c) {
    relabel[static_cast<std::size_t>(labels.caps[c].label)] = static_cast<std::int32_t>(c + 1);
    labels.caps[c].label = static_cast<std::int32_t>(c + 1);
  }
  for (auto& label : labels.per_triangle) label = relabel[static_cast<std::size_t>(label)];
}

// Windowed-sinc smoothing and quadric decimation, as configured; records volumes and counts.
vtkSmartPointer<vtkPolyData> smooth_and_decimate(vtkSmartPointer<vtkPolyData> poly,
                                                 const SurfaceExtractionSettings& settings,
                                                 SurfaceExtractionReport& report,
                                                 StageClock& clock) {
  report.smoothed_volume_m3 = report.iso_volume_m3;
  if (settings.smoothing_iterations > 0) {
    vtkNew<vtkWindowedSincPolyDataFilter> smooth;
    smooth->SetInputData(poly);
    smooth->SetNumberOfIterations(static_cast<int>(settings.smoothing_iterations));
    smooth->SetPassBand(settings.smoothing_pass_band);
    smooth->NormalizeCoordinatesOn();  // the filter's stability assumes coordinates of order one
    smooth->BoundarySmoothingOff();
    smooth->FeatureEdgeSmoothingOff();
    smooth->NonManifoldSmoothingOn();
    smooth->Update();
    poly = smooth->GetOutput();
    report.smoothed_volume_m3 = volume_of(poly);
    clock.lap("smoothing");
  }
  if (settings.decimation_target_reduction > 0.0) {
    vtkNew<vtkQuadricDecimation> decimate;
    decimate->SetInputData(poly);
    decimate->SetTargetReduction(settings.decimation_target_reduction);
    decimate->VolumePreservationOn();
    decimate->Update();
    poly = decimate->GetOutput();
    clock.lap("decimation");
  }
  report.decimated_triangles = static_cast<std::size_t>(poly->GetNumberOfPolys());
  report.decimated_volume_m3 = volume_of(poly);
  return poly;
}

}  // namespace

void validate(const SurfaceExtractionSettings& settings) {
  if (!(settings.anti_alias_sigma_voxels >= 0.0 && settings.anti_alias_sigma_voxels <= 3.0)) {
    reject("anti_alias_sigma_voxels", fmt::format("{}", settings.anti_alias_sigma_voxels),
           "from 0 to 3 voxels");
  }
  if (settings.smoothing_iterations > 1000) {
    reject("smoothing_iterations", fmt::format("{}", settings.smoothing_iterations),
           "from 0 to 1000");
  }
  if (!(settings.smoothing_pass_band > 0.0 && settings.smoothing_pass_band <= 2.0)) {
    reject("smoothing_pass_band", fmt::format("{}", settings.smoothing_pass_band),
           "greater than 0 and at most 2 (normalised frequency)");
  }
  if (!(settings.decimation_target_reduction >= 0.0 &&
        settings.decimation_target_reduction < 1.0)) {
    reject("decimation_target_reduction", fmt::format("{}", settings.decimation_target_reduction),
           "from 0 to below 1 (the fraction of triangles removed)");
  }
  if (!(settings.check.intersection_tolerance_fraction >= 0.0 &&
        settings.check.intersection_tolerance_fraction < 0.1)) {
    reject("check.intersection_tolerance_fraction",
           fmt::format("{}", settings.check.intersection_tolerance_fraction),
           "from 0 to below 0.1 of the mean edge length");
  }
}

void update_cap_geometry(const TriangleSurface& surface, SurfaceFaceLabels& labels) {
  for (auto& cap : labels.caps) {
    cap.area_m2 = 0.0;
    cap.triangle_count = 0;
    cap.centroid_m = {0.0, 0.0, 0.0};
  }
  for (std::size_t t = 0; t < labels.per_triangle.size() && t < surface.triangles.size(); ++t) {
    const auto label = labels.per_triangle[t];
    if (label <= kWallLabel || static_cast<std::size_t>(label) > labels.caps.size()) continue;
    auto& cap = labels.caps[static_cast<std::size_t>(label - 1)];
    const auto& tri = surface.triangles[t];
    const auto& a = surface.points_m[tri[0]];
    const auto& b = surface.points_m[tri[1]];
    const auto& c = surface.points_m[tri[2]];
    const ingest::dicom::Vector3 ab{b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const ingest::dicom::Vector3 ac{c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    const auto n = ingest::dicom::cross(ab, ac);
    const double area = 0.5 * std::sqrt(ingest::dicom::dot(n, n));
    cap.area_m2 += area;
    ++cap.triangle_count;
    for (std::size_t r = 0; r < 3; ++r) cap.centroid_m[r] += area * (a[r] + b[r] + c[r]) / 3.0;
  }
  for (auto& cap : labels.caps) {
    if (cap.area_m2 > 0.0) {
      for (auto& x : cap.centroid_m) x /= cap.area_m2;
    }
  }
}

ExtractedSurface extract_surface(const LabelVolume& labels,
                                 const SurfaceExtractionSettings& settings) {
  validate(settings);
  if (labels.labels.size() != labels.geometry.voxel_count() || labels.labels.empty()) {
    throw InputError(ErrorCode::BadInput, "surface extraction: labels.labels",
                     fmt::format("{} labels", labels.labels.size()),
                     "one label per voxel of the grid");
  }
  ExtractedSurface out;
  auto& report = out.report;
  StageClock clock(report.timings);
  const LumenBox box = lumen_box(labels);
  vtkSmartPointer<vtkImageData> mask = working_mask(labels, box);
  clock.lap("mask");
  if (settings.anti_alias_sigma_voxels > 0.0) {
    vtkNew<vtkImageGaussianSmooth> blur;
    blur->SetInputData(mask);
    blur->SetDimensionality(3);
    blur->SetStandardDeviations(settings.anti_alias_sigma_voxels, settings.anti_alias_sigma_voxels,
                                settings.anti_alias_sigma_voxels);
    blur->SetRadiusFactors(3.0, 3.0, 3.0);
    blur->Update();
    mask = blur->GetOutput();
    clock.lap("anti_alias");
  }
  vtkNew<vtkFlyingEdges3D> iso;
  iso->SetInputData(mask);
  iso->SetValue(0, 0.5);
  iso->ComputeNormalsOff();
  iso->ComputeGradientsOff();
  iso->ComputeScalarsOff();
  iso->Update();
  vtkSmartPointer<vtkPolyData> poly = iso->GetOutput();
  report.iso_triangles = static_cast<std::size_t>(poly->GetNumberOfPolys());
  report.iso_volume_m3 = volume_of(poly);
  clock.lap("iso_surface");
  poly = smooth_and_decimate(poly, settings, report, clock);
  const auto planes =
      settings.cap_at_image_boundary ? clip_planes(labels, box) : std::vector<ClipPlane>{};
  for (const auto& p : planes) report.capped_faces.emplace_back(segmentation::to_string(p.face));
  if (!planes.empty()) {
    poly = clip_and_cap(poly, planes);
    clock.lap("clip_and_cap");
  }
  const auto cap_triangles = to_patient_frame(poly, labels.geometry, planes, out.surface);
  label_caps(cap_triangles, planes, labels.geometry, settings.inlet_face, out.surface, out.labels);
  report.check_before_repair = check_surface(out.surface, settings.check);
  clock.lap("check");
  if (settings.repair) {
    report.repair = repair_surface(out.surface, out.labels);
    update_cap_geometry(out.surface, out.labels);
    report.check = check_surface(out.surface, settings.check);
    clock.lap("repair_and_check");
  } else {
    report.check = report.check_before_repair;
  }
  report.final_triangles = out.surface.triangles.size();
  report.final_volume_m3 = enclosed_volume_m3(out.surface);
  return out;
}

}  // namespace ptwin::geometry::surface
