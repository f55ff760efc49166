// SPDX-License-Identifier: Apache-2.0
// The mesh files read back with VTK's own XML readers (.vtu, .vtp) and Gmsh's .msh written with
// its physical groups: counts, cell types, labels and quality arrays survive the round trip.
#include <stdlib.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <system_error>

#include <gtest/gtest.h>
#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkNew.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPolyDataReader.h>
#include <vtkXMLUnstructuredGridReader.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/tube_surfaces.hpp"
#include "ptwin/geometry/mesh/vtk_mesh_files.hpp"

namespace ptwin::geometry::mesh {
namespace {

namespace fs = std::filesystem;

class MeshFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = (fs::temp_directory_path() / "ptwin-mesh-files-XXXXXX").string();
    if (mkdtemp(name.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    }
    directory_ = name;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }
  fs::path directory_;
};

TetraMesh cylinder_mesh(const std::string& msh_path = {}) {
  TetraMeshSettings settings;
  settings.msh_path = msh_path;
  return mesh_volume(capped_cylinder_surface({.radius_m = 1e-3, .length_m = 5e-3, .segments = 24}),
                     settings);
}

TEST_F(MeshFilesTest, VtuKeepsTetrahedraAndQualityArrays) {
  const TetraMesh mesh = cylinder_mesh();
  const MeshQualityReport quality = assess_quality(mesh);
  const fs::path path = directory_ / "lumen.vtu";
  write_volume_vtu(path, mesh, quality);

  vtkNew<vtkXMLUnstructuredGridReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkUnstructuredGrid* grid = reader->GetOutput();
  ASSERT_EQ(grid->GetNumberOfPoints(), static_cast<vtkIdType>(mesh.nodes_m.size()));
  ASSERT_EQ(grid->GetNumberOfCells(), static_cast<vtkIdType>(mesh.tetrahedra.size()));
  EXPECT_EQ(grid->GetCellType(0), VTK_TETRA);
  EXPECT_EQ(grid->GetCellType(grid->GetNumberOfCells() - 1), VTK_TETRA);
  vtkDataArray* ratio = grid->GetCellData()->GetArray("radius_ratio");
  vtkDataArray* dihedral = grid->GetCellData()->GetArray("min_dihedral_deg");
  ASSERT_NE(ratio, nullptr);
  ASSERT_NE(dihedral, nullptr);
  for (const char* name :
       {"volume_m3", "max_dihedral_deg", "equiangle_skewness", "volume_skewness"}) {
    EXPECT_NE(grid->GetCellData()->GetArray(name), nullptr) << name;
  }
  for (vtkIdType c = 0; c < grid->GetNumberOfCells(); c += 97) {
    const auto index = static_cast<std::size_t>(c);
    EXPECT_EQ(ratio->GetTuple1(c), quality.per_tet[index].radius_ratio);
    EXPECT_EQ(dihedral->GetTuple1(c), quality.per_tet[index].min_dihedral_deg);
    vtkIdType count = 0;
    const vtkIdType* ids = nullptr;
    grid->GetCellPoints(c, count, ids);
    ASSERT_EQ(count, 4);
    for (std::size_t v = 0; v < 4; ++v) {
      EXPECT_EQ(ids[v], static_cast<vtkIdType>(mesh.tetrahedra[index][v]));
    }
  }
}

TEST_F(MeshFilesTest, VtpKeepsBoundaryTrianglesAndLabels) {
  const TetraMesh mesh = cylinder_mesh();
  const fs::path path = directory_ / "boundary.vtp";
  write_boundary_vtp(path, mesh);

  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkPolyData* boundary = reader->GetOutput();
  ASSERT_EQ(boundary->GetNumberOfPolys(), static_cast<vtkIdType>(mesh.boundary_triangles.size()));
  std::set<std::uint32_t> boundary_nodes;
  for (const auto& triangle : mesh.boundary_triangles) {
    boundary_nodes.insert(triangle.begin(), triangle.end());
  }
  EXPECT_EQ(boundary->GetNumberOfPoints(), static_cast<vtkIdType>(boundary_nodes.size()));
  // Same triangles in the same order: compare the coordinates of the first one's corners.
  vtkIdType count = 0;
  const vtkIdType* ids = nullptr;
  boundary->GetCellPoints(0, count, ids);
  ASSERT_EQ(count, 3);
  for (std::size_t v = 0; v < 3; ++v) {
    std::array<double, 3> point{};
    boundary->GetPoint(ids[v], point.data());
    EXPECT_EQ(point, mesh.nodes_m[mesh.boundary_triangles[0][v]]);
  }
  vtkDataArray* tags = boundary->GetCellData()->GetArray("patch_tag");
  vtkDataArray* labels = boundary->GetCellData()->GetArray("surface_label");
  vtkDataArray* kinds = boundary->GetCellData()->GetArray("boundary_kind");
  ASSERT_NE(tags, nullptr);
  ASSERT_NE(labels, nullptr);
  ASSERT_NE(kinds, nullptr);
  std::map<int, std::size_t> per_tag;
  for (vtkIdType c = 0; c < boundary->GetNumberOfCells(); ++c) {
    const BoundaryPatch& patch = mesh.patches[mesh.boundary_patch[static_cast<std::size_t>(c)]];
    EXPECT_EQ(static_cast<int>(tags->GetTuple1(c)), patch.physical_tag);
    EXPECT_EQ(static_cast<int>(labels->GetTuple1(c)), patch.surface_label);
    EXPECT_EQ(static_cast<int>(kinds->GetTuple1(c)), static_cast<int>(patch.kind));
    ++per_tag[static_cast<int>(tags->GetTuple1(c))];
  }
  // Cylinder: wall (1), inlet (2), outlet_1 (3); caps of 24 segments: 6 + 18 + 30 + ... triangles.
  ASSERT_EQ(per_tag.size(), 3U);
  EXPECT_EQ(per_tag.at(kInletPhysicalTag), per_tag.at(kInletPhysicalTag + 1));
  auto* names =
      vtkStringArray::SafeDownCast(boundary->GetFieldData()->GetAbstractArray("patch_names"));
  ASSERT_NE(names, nullptr);
  ASSERT_EQ(names->GetNumberOfValues(), 3);
  EXPECT_EQ(names->GetValue(0), "1=wall");
  EXPECT_EQ(names->GetValue(1), "2=inlet");
  EXPECT_EQ(names->GetValue(2), "3=outlet_1");
}

TEST_F(MeshFilesTest, MshNamesThePhysicalGroups) {
  const fs::path path = directory_ / "lumen.msh";
  (void)cylinder_mesh(path.string());
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  for (const char* group : {"2 1 \"wall\"", "2 2 \"inlet\"", "2 3 \"outlet_1\"", "3 1 \"lumen\""}) {
    EXPECT_NE(text.str().find(group), std::string::npos) << group;
  }
}

TEST_F(MeshFilesTest, QualityOfAnotherMeshIsRefused) {
  const TetraMesh mesh = cylinder_mesh();
  MeshQualityReport quality = assess_quality(mesh);
  quality.per_tet.pop_back();
  try {
    write_volume_vtu(directory_ / "lumen.vtu", mesh, quality);
    ADD_FAILURE() << "written";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("quality.per_tet"), std::string::npos);
  }
}

TEST_F(MeshFilesTest, UnwritablePathIsAnIoErrorNamingIt) {
  const TetraMesh mesh = cylinder_mesh();
  const fs::path path = directory_ / "missing-folder" / "boundary.vtp";
  try {
    write_boundary_vtp(path, mesh);
    ADD_FAILURE() << "written";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::Io);
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::geometry::mesh
