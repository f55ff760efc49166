// SPDX-License-Identifier: Apache-2.0
// The surface picture drawn by VTK's OpenGL renderer offscreen (geometry/review/
// vtk_surface_picture.hpp) against the built-in rasteriser's picture of the same surface: same
// framing and view, so the two silhouettes must coincide to within the edge pixels, and the
// caps must show in their role's colour where the built-in picture shows them. Needs an X
// server (scripts/with_xvfb.sh sets DISPLAY).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/surface_picture.hpp"
#include "ptwin/geometry/review/vtk_surface_picture.hpp"

namespace {

namespace review = ptwin::geometry::review;
namespace srf = ptwin::geometry::surface;

// An axis-aligned box of 20 x 10 x 40 mm (x, y, z) with outward triangles, its front face
// (y = 0, towards the eye) labelled as the inlet cap, and beside it a 5 mm cube at x 30..35 mm,
// z 0..5 mm labelled as an outlet: patient left (+x), so to the right and at the bottom of the
// picture (a mirrored or upside-down view would put it elsewhere).
struct LabelledBox {
  srf::TriangleSurface surface;
  srf::SurfaceFaceLabels labels;
};

void add_box(srf::TriangleSurface& surface, std::array<double, 3> lo, std::array<double, 3> hi) {
  const auto first = static_cast<std::uint32_t>(surface.points_m.size());
  for (int c = 0; c < 8; ++c) {
    surface.points_m.push_back({(c & 1) ? hi[0] : lo[0], (c & 2) ? hi[1] : lo[1], (c & 4) ? hi[2] : lo[2]});
  }
  const std::array<std::array<std::uint32_t, 4>, 6> faces{{{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4},
                                                          {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}}};
  for (const auto& f : faces) {
    surface.triangles.push_back({first + f[0], first + f[1], first + f[2]});
    surface.triangles.push_back({first + f[0], first + f[2], first + f[3]});
  }
}

LabelledBox labelled_box() {
  LabelledBox box;
  add_box(box.surface, {0.0, 0.0, 0.0}, {0.02, 0.01, 0.04});
  add_box(box.surface, {0.03, 0.0, 0.0}, {0.035, 0.005, 0.005});
  box.labels.per_triangle.assign(box.surface.triangles.size(), srf::kWallLabel);
  box.labels.per_triangle[4] = box.labels.per_triangle[5] = 1;  // y = 0: the front face
  for (std::size_t t = 12; t < 24; ++t) box.labels.per_triangle[t] = 2;  // the cube
  box.labels.caps.resize(2);
  box.labels.caps[0].label = 1;
  box.labels.caps[0].role = srf::CapRole::kInlet;
  box.labels.caps[1].label = 2;
  box.labels.caps[1].role = srf::CapRole::kOutlet;
  return box;
}

class VtkSurfacePicture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto why = review::vtk_rendering_unavailable()) {
      if (std::getenv("CI") != nullptr) {
        FAIL() << "VTK cannot render under CI (" << *why << "): run under scripts/with_xvfb.sh";
      }
      GTEST_SKIP() << "VTK cannot render here (" << *why << "): run under scripts/with_xvfb.sh";
    }
  }
};

bool is_bluish(review::Rgb c) { return c[2] > c[0] + 40 && c[2] > c[1] + 20; }
bool is_greenish(review::Rgb c) { return c[1] > c[0] + 40 && c[1] > c[2] + 40; }

TEST_F(VtkSurfacePicture, MatchesTheBuiltInPictureOfTheSameSurface) {
  const auto box = labelled_box();
  const review::SurfacePictureSettings settings;
  const auto vtk = review::vtk_surface_picture(box.surface, box.labels, settings);
  const auto builtin = review::surface_picture(box.surface, box.labels, settings);
  ASSERT_EQ(vtk.image.width, settings.width_px);
  ASSERT_EQ(vtk.image.height, settings.height_px);
  // Silhouettes: pixels that differ in coverage only along the edges (the rectangle is about
  // 460 x 230 px; its perimeter is about 1 400 px).
  std::size_t only_one = 0, both = 0, inlet_agree = 0, inlet_builtin = 0, outlet_agree = 0,
              outlet_builtin = 0;
  for (std::size_t y = 0; y < settings.height_px; ++y) {
    for (std::size_t x = 0; x < settings.width_px; ++x) {
      const bool in_vtk = vtk.image.get(x, y) != settings.background;
      const bool in_builtin = builtin.image.get(x, y) != settings.background;
      if (in_vtk && in_builtin) ++both;
      if (in_vtk != in_builtin) ++only_one;
      if (builtin.image.get(x, y) == settings.inlet) {
        ++inlet_builtin;
        if (is_bluish(vtk.image.get(x, y))) ++inlet_agree;
      }
      if (builtin.image.get(x, y) == settings.outlet) {
        ++outlet_builtin;
        if (is_greenish(vtk.image.get(x, y))) ++outlet_agree;
      }
    }
  }
  EXPECT_GT(both, 80'000U);
  EXPECT_LT(only_one, 2'000U) << "silhouettes differ beyond their edges";
  EXPECT_NEAR(static_cast<double>(vtk.covered_pixels), static_cast<double>(builtin.covered_pixels),
              2'000.0);
  // The front face is the inlet cap: blue in both pictures (shading may differ slightly).
  ASSERT_GT(inlet_builtin, 50'000U);
  EXPECT_GT(static_cast<double>(inlet_agree), 0.98 * static_cast<double>(inlet_builtin));
  // The cube (outlet, green) at patient left and bottom: lower right in both pictures.
  ASSERT_GT(outlet_builtin, 1'000U);
  EXPECT_GT(static_cast<double>(outlet_agree), 0.9 * static_cast<double>(outlet_builtin));
  EXPECT_TRUE(is_greenish(vtk.image.get(settings.width_px - 60, settings.height_px - 40)));
  EXPECT_EQ(vtk.image.get(5, 5), settings.background);
}

TEST_F(VtkSurfacePicture, RefusesWhatTheBuiltInPictureRefuses) {
  EXPECT_THROW((void)review::vtk_surface_picture({}, {}), ptwin::InputError);
  auto box = labelled_box();
  box.labels.per_triangle.pop_back();
  EXPECT_THROW((void)review::vtk_surface_picture(box.surface, box.labels), ptwin::InputError);
}

TEST(VtkSurfacePictureWithoutDisplay, SaysWhatToDoInsteadOfAborting) {
  const char* display = std::getenv("DISPLAY");
  const std::string saved = display != nullptr ? display : "";
  ::setenv("DISPLAY", "", 1);
  const auto box = labelled_box();
  try {
    (void)review::vtk_surface_picture(box.surface, box.labels);
    ADD_FAILURE() << "rendered without a display";
  } catch (const ptwin::InputError& error) {
    EXPECT_EQ(error.where(), "VTK surface rendering: DISPLAY");
    EXPECT_NE(std::string(error.what()).find("xvfb-run"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("--surface-renderer builtin"), std::string::npos);
  }
  if (display != nullptr) ::setenv("DISPLAY", saved.c_str(), 1);
  else ::unsetenv("DISPLAY");
}

}  // namespace
