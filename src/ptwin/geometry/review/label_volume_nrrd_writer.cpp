// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/label_volume_nrrd_writer.hpp"

#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkNrrdImageIO.h>

#include <algorithm>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::review {

void write_label_volume_nrrd(const std::filesystem::path& path,
                             const segmentation::LabelVolume& labels, bool is_compressed) {
  using Image = itk::Image<std::uint8_t, 3>;
  const auto& g = labels.geometry;
  auto image = Image::New();
  Image::SizeType size;
  Image::SpacingType spacing;
  Image::PointType origin;
  Image::DirectionType direction;
  const std::array<ingest::dicom::Vector3, 3> axes{g.direction_i, g.direction_j, g.direction_k};
  for (unsigned a = 0; a < 3; ++a) {
    size[a] = g.size[a];
    spacing[a] = g.spacing_m[a] * 1e3;
    origin[a] = g.origin_m[a] * 1e3;
    for (unsigned row = 0; row < 3; ++row) direction(row, a) = axes[a][row];  // columns = axes
  }
  image->SetRegions(Image::RegionType(size));
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  std::copy(labels.labels.begin(), labels.labels.end(), image->GetBufferPointer());

  auto writer = itk::ImageFileWriter<Image>::New();
  writer->SetImageIO(itk::NrrdImageIO::New());
  writer->SetFileName(path.string());
  writer->SetInput(image);
  writer->SetUseCompression(is_compressed);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& error) {
    throw Error(ErrorCode::Io, "cannot write " + path.string() + ": " + error.GetDescription());
  }
}

}  // namespace ptwin::geometry::review
