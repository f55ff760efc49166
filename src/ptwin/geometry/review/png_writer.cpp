// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/png_writer.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>

#include <cstring>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::review {

void write_png(const std::filesystem::path& path, const RgbImage& image) {
  if (image.width == 0 || image.height == 0) {
    throw InputError(ErrorCode::BadInput, "png: " + path.string(), "0 pixels", "a picture with pixels");
  }
  if (!path.parent_path().empty() && !std::filesystem::is_directory(path.parent_path())) {
    throw Error(ErrorCode::Io, "cannot write " + path.string() + ": the folder does not exist");
  }
  vtkNew<vtkImageData> data;
  data->SetDimensions(static_cast<int>(image.width), static_cast<int>(image.height), 1);
  data->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
  auto* out = static_cast<unsigned char*>(data->GetScalarPointer());
  const std::size_t row_bytes = 3 * image.width;
  // VTK's row 0 is the bottom of the picture.
  for (std::size_t y = 0; y < image.height; ++y) {
    std::memcpy(out + (image.height - 1 - y) * row_bytes, image.pixels.data() + y * row_bytes, row_bytes);
  }
  vtkNew<vtkPNGWriter> writer;
  writer->SetFileName(path.c_str());
  writer->SetInputData(data);
  writer->Write();
  if (writer->GetErrorCode() != 0 || !std::filesystem::exists(path)) {
    throw Error(ErrorCode::Io, "cannot write " + path.string() + " (vtkPNGWriter error " +
                                   std::to_string(writer->GetErrorCode()) + ")");
  }
}

}  // namespace ptwin::geometry::review
