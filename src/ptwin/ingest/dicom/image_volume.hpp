// SPDX-License-Identifier: Apache-2.0
#pragma once
// A 3D scalar image in patient coordinates: the canonical record that DICOM series reading hands
// to geometry (DESIGN.md). Voxel (i, j, k) is column i, row j, slice k; it lies at
//   origin + i * spacing[0] * direction_i + j * spacing[1] * direction_j + k * spacing[2] * direction_k
// in the DICOM patient frame (LPS), in metres. Values are in the series' rescaled unit: Hounsfield
// units for CT.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ptwin::ingest::dicom {

using Vector3 = std::array<double, 3>;

struct VolumeGeometry {
  std::array<std::size_t, 3> size{0, 0, 0};  // columns, rows, slices
  Vector3 spacing_m{0.0, 0.0, 0.0};          // along i, j, k
  Vector3 origin_m{0.0, 0.0, 0.0};           // centre of voxel (0, 0, 0)
  Vector3 direction_i{1.0, 0.0, 0.0};        // unit vectors, orthonormal
  Vector3 direction_j{0.0, 1.0, 0.0};
  Vector3 direction_k{0.0, 0.0, 1.0};

  [[nodiscard]] std::size_t voxel_count() const { return size[0] * size[1] * size[2]; }
  /// The patient-frame position (m) of voxel (i, j, k)'s centre.
  [[nodiscard]] Vector3 position_m(double i, double j, double k) const;
};

/// The DICOM identity of a volume: what it was read from, for provenance and for writing back.
struct VolumeIdentity {
  std::string patient_id;
  std::string study_uid;
  std::string series_uid;
  std::string frame_of_reference_uid;
  std::string modality;
};

struct ImageVolume {
  VolumeGeometry geometry;
  VolumeIdentity identity;
  std::string value_unit;    // "HU" for CT; "" when the series states none
  std::vector<float> values;  // i fastest, then j, then k

  [[nodiscard]] std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
    return i + geometry.size[0] * (j + geometry.size[1] * k);
  }
  [[nodiscard]] float at(std::size_t i, std::size_t j, std::size_t k) const { return values[index(i, j, k)]; }
  [[nodiscard]] float& at(std::size_t i, std::size_t j, std::size_t k) { return values[index(i, j, k)]; }
};

[[nodiscard]] Vector3 cross(const Vector3& a, const Vector3& b);
[[nodiscard]] double dot(const Vector3& a, const Vector3& b);

}  // namespace ptwin::ingest::dicom
