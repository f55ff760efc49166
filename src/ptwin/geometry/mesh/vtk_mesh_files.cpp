// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/vtk_mesh_files.hpp"

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkErrorCode.h>
#include <vtkFieldData.h>
#include <vtkIdTypeArray.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkUnstructuredGrid.h>
#include <vtkXMLPolyDataWriter.h>
#include <vtkXMLUnstructuredGridWriter.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::mesh {
namespace {

vtkNew<vtkPoints> make_points(const TetraMesh& mesh) {
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  points->SetNumberOfPoints(static_cast<vtkIdType>(mesh.nodes_m.size()));
  for (std::size_t n = 0; n < mesh.nodes_m.size(); ++n) {
    points->SetPoint(static_cast<vtkIdType>(n), mesh.nodes_m[n].data());
  }
  return points;
}

template <std::size_t N>
vtkNew<vtkCellArray> make_cells(const std::vector<std::array<std::uint32_t, N>>& cells) {
  vtkNew<vtkCellArray> array;
  array->AllocateExact(static_cast<vtkIdType>(cells.size()),
                       static_cast<vtkIdType>(cells.size() * N));
  std::array<vtkIdType, N> ids{};
  for (const auto& cell : cells) {
    for (std::size_t v = 0; v < N; ++v) ids[v] = cell[v];
    array->InsertNextCell(static_cast<vtkIdType>(N), ids.data());
  }
  return array;
}

void add_double_array(vtkCellData* data, const char* name, const std::vector<TetQuality>& values,
                      double TetQuality::*field) {
  vtkNew<vtkDoubleArray> array;
  array->SetName(name);
  array->SetNumberOfValues(static_cast<vtkIdType>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    array->SetValue(static_cast<vtkIdType>(i), values[i].*field);
  }
  data->AddArray(array);
}

template <typename Writer>
void write_with(Writer& writer, const std::filesystem::path& path) {
  // Checked first: VTK would otherwise log its own error lines before failing.
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  if (!std::filesystem::is_directory(folder)) {
    throw Error(ErrorCode::Io, fmt::format("cannot write '{}': folder '{}' does not exist",
                                           path.string(), folder.string()));
  }
  writer->SetFileName(path.c_str());
  writer->SetDataModeToBinary();
  writer->SetCompressorTypeToZLib();
  // Write() can return 1 after a failed open in VTK 9.1: the error code is checked as well.
  if (writer->Write() != 1 || writer->GetErrorCode() != vtkErrorCode::NoError) {
    throw Error(ErrorCode::Io, fmt::format("VTK could not write '{}' (error code {})",
                                           path.string(), writer->GetErrorCode()));
  }
}

}  // namespace

void write_volume_vtu(const std::filesystem::path& path, const TetraMesh& mesh,
                      const MeshQualityReport& quality) {
  if (quality.per_tet.size() != mesh.tetrahedra.size()) {
    throw InputError(
        ErrorCode::BadInput, "write_volume_vtu: quality.per_tet",
        std::to_string(quality.per_tet.size()),
        fmt::format("must hold one entry per tetrahedron ({})", mesh.tetrahedra.size()));
  }
  vtkNew<vtkUnstructuredGrid> grid;
  grid->SetPoints(make_points(mesh));
  grid->SetCells(VTK_TETRA, make_cells(mesh.tetrahedra));
  vtkCellData* data = grid->GetCellData();
  add_double_array(data, "volume_m3", quality.per_tet, &TetQuality::volume_m3);
  add_double_array(data, "radius_ratio", quality.per_tet, &TetQuality::radius_ratio);
  add_double_array(data, "min_dihedral_deg", quality.per_tet, &TetQuality::min_dihedral_deg);
  add_double_array(data, "max_dihedral_deg", quality.per_tet, &TetQuality::max_dihedral_deg);
  add_double_array(data, "equiangle_skewness", quality.per_tet, &TetQuality::equiangle_skewness);
  add_double_array(data, "volume_skewness", quality.per_tet, &TetQuality::volume_skewness);
  vtkNew<vtkXMLUnstructuredGridWriter> writer;
  writer->SetInputData(grid);
  write_with(writer, path);
}

void write_boundary_vtp(const std::filesystem::path& path, const TetraMesh& mesh) {
  // Only the boundary's own nodes: the interior ones would make up most of the file.
  std::vector<std::uint32_t> boundary_index(mesh.nodes_m.size(), UINT32_MAX);
  TetraMesh surface;
  for (const auto& triangle : mesh.boundary_triangles) {
    std::array<std::uint32_t, 3> renumbered{};
    for (std::size_t v = 0; v < 3; ++v) {
      std::uint32_t& index = boundary_index.at(triangle[v]);
      if (index == UINT32_MAX) {
        index = static_cast<std::uint32_t>(surface.nodes_m.size());
        surface.nodes_m.push_back(mesh.nodes_m[triangle[v]]);
      }
      renumbered[v] = index;
    }
    surface.boundary_triangles.push_back(renumbered);
  }
  vtkNew<vtkPolyData> boundary;
  boundary->SetPoints(make_points(surface));
  boundary->SetPolys(make_cells(surface.boundary_triangles));
  vtkNew<vtkIntArray> patch_tag;
  vtkNew<vtkIntArray> surface_label;
  vtkNew<vtkIntArray> boundary_kind;
  patch_tag->SetName("patch_tag");
  surface_label->SetName("surface_label");
  boundary_kind->SetName("boundary_kind");
  for (const std::uint32_t patch_index : mesh.boundary_patch) {
    const BoundaryPatch& patch = mesh.patches.at(patch_index);
    patch_tag->InsertNextValue(patch.physical_tag);
    surface_label->InsertNextValue(patch.surface_label);
    boundary_kind->InsertNextValue(static_cast<int>(patch.kind));
  }
  boundary->GetCellData()->AddArray(patch_tag);
  boundary->GetCellData()->AddArray(surface_label);
  boundary->GetCellData()->AddArray(boundary_kind);
  vtkNew<vtkStringArray> names;
  names->SetName("patch_names");
  for (const BoundaryPatch& patch : mesh.patches) {
    names->InsertNextValue(fmt::format("{}={}", patch.physical_tag, patch.name));
  }
  boundary->GetFieldData()->AddArray(names);
  vtkNew<vtkXMLPolyDataWriter> writer;
  writer->SetInputData(boundary);
  write_with(writer, path);
}

}  // namespace ptwin::geometry::mesh
