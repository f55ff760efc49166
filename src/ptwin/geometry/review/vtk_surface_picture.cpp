// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/vtk_surface_picture.hpp"

#include <X11/Xlib.h>
#include <vtkActor.h>
#include <vtkAutoInit.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/detail/surface_picture_inputs.hpp"

// The OpenGL2 backend registers the render window and mapper factories.
VTK_MODULE_INIT(vtkRenderingOpenGL2);

namespace ptwin::geometry::review {
namespace {

vtkNew<vtkPolyData> coloured_poly_data(const surface::TriangleSurface& surface,
                                       const surface::SurfaceFaceLabels& labels,
                                       const SurfacePictureSettings& settings) {
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  points->SetNumberOfPoints(static_cast<vtkIdType>(surface.points_m.size()));
  for (std::size_t i = 0; i < surface.points_m.size(); ++i) {
    const auto& p = surface.points_m[i];
    points->SetPoint(static_cast<vtkIdType>(i), p[0], p[1], p[2]);
  }
  vtkNew<vtkCellArray> triangles;
  vtkNew<vtkUnsignedCharArray> colours;
  colours->SetNumberOfComponents(3);
  colours->SetName("colour");
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& tri = surface.triangles[t];
    const vtkIdType ids[3] = {static_cast<vtkIdType>(tri[0]), static_cast<vtkIdType>(tri[1]),
                              static_cast<vtkIdType>(tri[2])};
    triangles->InsertNextCell(3, ids);
    const Rgb c = detail::role_colour(labels, t, settings);
    colours->InsertNextTuple3(c[0], c[1], c[2]);
  }
  vtkNew<vtkPolyData> poly;
  poly->SetPoints(points);
  poly->SetPolys(triangles);
  poly->GetCellData()->SetScalars(colours);
  return poly;
}

}  // namespace

std::optional<std::string> vtk_rendering_unavailable() {
  const char* display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0') {
    return std::string("DISPLAY is not set (VTK 9.1 as Debian builds it renders through an X "
                       "server)");
  }
  Display* connection = XOpenDisplay(nullptr);
  if (connection == nullptr) {
    return "the X server at DISPLAY=" + std::string(display) + " does not answer";
  }
  XCloseDisplay(connection);
  return std::nullopt;
}

SurfacePicture vtk_surface_picture(const surface::TriangleSurface& surface,
                                   const surface::SurfaceFaceLabels& labels,
                                   const SurfacePictureSettings& settings) {
  detail::check_picture_input(surface, labels);
  if (const auto why = vtk_rendering_unavailable()) {
    const char* display = std::getenv("DISPLAY");
    throw InputError(ErrorCode::BadInput, "VTK surface rendering: DISPLAY",
                     display != nullptr && *display != '\0' ? display : "(not set)",
                     "an X server that answers (" + *why +
                         "); on a headless machine run under Xvfb (xvfb-run ptwin ...), or "
                         "choose the built-in renderer (--surface-renderer builtin)");
  }
  double lo[3] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                  std::numeric_limits<double>::max()};
  double hi[3] = {-lo[0], -lo[1], -lo[2]};
  for (const auto& p : surface.points_m) {
    for (int k = 0; k < 3; ++k) {
      lo[k] = std::min(lo[k], p[static_cast<std::size_t>(k)]);
      hi[k] = std::max(hi[k], p[static_cast<std::size_t>(k)]);
    }
  }
  const auto width = static_cast<double>(settings.width_px);
  const auto height = static_cast<double>(settings.height_px);
  const double usable = 1.0 - 2.0 * settings.margin_fraction;
  // The built-in picture's framing: px per metre from the x and z extents.
  const double scale = std::min(usable * width / std::max(hi[0] - lo[0], 1e-12),
                                usable * height / std::max(hi[2] - lo[2], 1e-12));

  const auto poly = coloured_poly_data(surface, labels, settings);
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputData(poly);
  mapper->SetScalarModeToUseCellData();
  mapper->SetColorModeToDirectScalars();
  vtkNew<vtkActor> actor;
  actor->SetMapper(mapper);
  actor->GetProperty()->SetAmbient(0.25);
  actor->GetProperty()->SetDiffuse(0.75);
  actor->GetProperty()->SetSpecular(0.0);
  actor->GetProperty()->SetInterpolationToFlat();

  vtkNew<vtkRenderer> renderer;
  renderer->AddActor(actor);
  renderer->SetBackground(settings.background[0] / 255.0, settings.background[1] / 255.0,
                          settings.background[2] / 255.0);
  renderer->SetTwoSidedLighting(true);
  vtkCamera* camera = renderer->GetActiveCamera();
  camera->ParallelProjectionOn();
  // Anterior view: the eye in front of the patient (-y in LPS) looking posterior, superior up.
  const double centre[3] = {0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1]), 0.5 * (lo[2] + hi[2])};
  const double depth = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], 1e-6});
  camera->SetFocalPoint(centre);
  camera->SetPosition(centre[0], centre[1] - 4.0 * depth, centre[2]);
  camera->SetViewUp(0.0, 0.0, 1.0);
  camera->SetParallelScale(0.5 * height / scale);  // half the picture's height, in metres
  renderer->ResetCameraClippingRange();

  vtkNew<vtkRenderWindow> window;
  window->SetOffScreenRendering(1);
  window->SetMultiSamples(0);  // exact label colours at the silhouette
  window->AddRenderer(renderer);
  window->SetSize(static_cast<int>(settings.width_px), static_cast<int>(settings.height_px));
  window->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  vtkImageData* image = grab->GetOutput();

  SurfacePicture picture;
  picture.image = RgbImage(settings.width_px, settings.height_px, settings.background);
  for (std::size_t y = 0; y < settings.height_px; ++y) {
    // VTK's rows go bottom to top.
    const int row = static_cast<int>(settings.height_px - 1 - y);
    for (std::size_t x = 0; x < settings.width_px; ++x) {
      const auto* px = static_cast<const unsigned char*>(image->GetScalarPointer(static_cast<int>(x), row, 0));
      const Rgb colour{px[0], px[1], px[2]};
      picture.image.set(x, y, colour);
      if (colour != settings.background) ++picture.covered_pixels;
    }
  }
  return picture;
}

}  // namespace ptwin::geometry::review
