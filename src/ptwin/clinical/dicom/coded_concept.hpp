// SPDX-License-Identifier: Apache-2.0
#pragma once
// A coded concept as DICOM writes it (PS3.3 Table 8.8-1, Code Sequence Macro): Code Value,
// Coding Scheme Designator and Code Meaning, all three required.

#include <string>

namespace ptwin::clinical::dicom {

struct CodedConcept {
  std::string value;    // (0008,0100), or a SNOMED CT concept id
  std::string scheme;   // (0008,0102): "SCT", "DCM", "LN", "UCUM" or a declared local scheme
  std::string meaning;  // (0008,0104)

  friend bool operator==(const CodedConcept&, const CodedConcept&) = default;
};

}  // namespace ptwin::clinical::dicom
