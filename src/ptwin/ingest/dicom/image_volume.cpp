// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::ingest::dicom {

Vector3 VolumeGeometry::position_m(double i, double j, double k) const {
  Vector3 p = origin_m;
  for (int axis = 0; axis < 3; ++axis) {
    p[axis] += i * spacing_m[0] * direction_i[axis] + j * spacing_m[1] * direction_j[axis] +
               k * spacing_m[2] * direction_k[axis];
  }
  return p;
}

Vector3 cross(const Vector3& a, const Vector3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

double dot(const Vector3& a, const Vector3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

}  // namespace ptwin::ingest::dicom
