// SPDX-License-Identifier: Apache-2.0
#pragma once
// A DICOM instance that ptwin wrote: its Part 10 bytes and the UIDs that find it again.

#include <string>

namespace ptwin::clinical::dicom {

struct WrittenInstance {
  std::string bytes;  // Part 10: preamble, meta header, Explicit VR Little Endian dataset
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string series_uid;
  std::string study_uid;
};

}  // namespace ptwin::clinical::dicom
