// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/surface/vtp_writer.hpp"

#include <fmt/format.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkXMLPolyDataWriter.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::surface {

void write_vtp(const std::filesystem::path& path, const TriangleSurface& surface,
               const SurfaceFaceLabels& labels) {
  if (!labels.per_triangle.empty() && labels.per_triangle.size() != surface.triangles.size()) {
    throw InputError(ErrorCode::BadInput, "write_vtp: labels.per_triangle",
                     fmt::format("{} labels", labels.per_triangle.size()),
                     fmt::format("one label per triangle ({})", surface.triangles.size()));
  }
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder)) {
    throw Error(ErrorCode::Io,
                fmt::format("write_vtp: folder '{}' does not exist", folder.string()));
  }
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  points->SetNumberOfPoints(static_cast<vtkIdType>(surface.points_m.size()));
  for (std::size_t p = 0; p < surface.points_m.size(); ++p) {
    points->SetPoint(static_cast<vtkIdType>(p), surface.points_m[p].data());
  }
  vtkNew<vtkCellArray> cells;
  for (const auto& t : surface.triangles) {
    const vtkIdType ids[3] = {t[0], t[1], t[2]};
    cells->InsertNextCell(3, ids);
  }
  vtkNew<vtkPolyData> poly;
  poly->SetPoints(points);
  poly->SetPolys(cells);
  if (!labels.per_triangle.empty()) {
    vtkNew<vtkIntArray> face_label;
    face_label->SetName("face_label");
    face_label->SetNumberOfValues(static_cast<vtkIdType>(labels.per_triangle.size()));
    for (std::size_t t = 0; t < labels.per_triangle.size(); ++t) {
      face_label->SetValue(static_cast<vtkIdType>(t), labels.per_triangle[t]);
    }
    poly->GetCellData()->AddArray(face_label);
  }
  vtkNew<vtkXMLPolyDataWriter> writer;
  writer->SetFileName(path.string().c_str());
  writer->SetInputData(poly);
  writer->SetDataModeToAppended();
  writer->SetCompressorTypeToZLib();
  if (writer->Write() != 1 || writer->GetErrorCode() != 0) {
    throw Error(ErrorCode::Io, fmt::format("write_vtp: cannot write '{}'", path.string()));
  }
}

}  // namespace ptwin::geometry::surface
