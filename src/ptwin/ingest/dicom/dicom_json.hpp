// SPDX-License-Identifier: Apache-2.0
#pragma once
// The DICOM JSON Model (DICOM PS3.18 Annex F.2): the body of QIDO-RS answers, WADO-RS metadata
// and STOW-RS responses. A dataset is an object keyed by the tag as eight upper-case hex digits
// ("0020000D"); each attribute is {"vr": "UI", "Value": [...]} or carries "BulkDataURI" /
// "InlineBinary" instead of "Value".
//
// Parsing checks the structure once (tags, VRs, the JSON type each VR's values take, PN values
// as objects, sequences of datasets, nesting depth) and throws InputError naming the source, the
// dataset index, the tag and the offending value. Accessors afterwards may rely on that shape.
// One leniency, stated: DS and IS values are numbers in F.2.3, but some servers send them as
// decimal strings; a string that reads wholly as a number is accepted for those two VRs.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::dicom {

/// A DICOM tag as group << 16 | element.
using DicomTag = std::uint32_t;

/// "0020000D" for 0x0020000D.
[[nodiscard]] std::string tag_key(DicomTag tag);

/// One dataset of the DICOM JSON Model, checked on construction.
class DicomJsonDataset {
 public:
  /// Checks `object` against F.2; `where` names it in errors (e.g. "qido studies[3]").
  DicomJsonDataset(nlohmann::json object, std::string where);

  [[nodiscard]] const std::string& where() const { return where_; }
  [[nodiscard]] const nlohmann::json& json() const { return object_; }
  [[nodiscard]] bool has(DicomTag tag) const;
  /// The attribute's VR, or nullopt when absent.
  [[nodiscard]] std::optional<std::string> vr(DicomTag tag) const;

  /// The first value as text (PN: its Alphabetic group; numbers as written), or nullopt when the
  /// attribute is absent or has no value.
  [[nodiscard]] std::optional<std::string> string(DicomTag tag) const;
  /// As string(), but an absent or empty attribute throws InputError (missing-field) naming
  /// `keyword` and the tag.
  [[nodiscard]] std::string required_string(DicomTag tag, std::string_view keyword) const;
  /// Every value as text (a multi-valued attribute such as ModalitiesInStudy).
  [[nodiscard]] std::vector<std::string> strings(DicomTag tag) const;
  /// The first value as a number, or nullopt when absent or empty; a value that is not a
  /// number throws InputError naming `keyword`.
  [[nodiscard]] std::optional<double> number(DicomTag tag, std::string_view keyword) const;
  /// The first value as an integer; a fraction or a value out of range throws as number().
  [[nodiscard]] std::optional<long long> integer(DicomTag tag, std::string_view keyword) const;
  /// The items of a sequence (empty when absent); a non-SQ attribute throws.
  [[nodiscard]] std::vector<DicomJsonDataset> sequence(DicomTag tag, std::string_view keyword) const;

 private:
  nlohmann::json object_;
  std::string where_;
};

/// A JSON array of datasets (a QIDO-RS answer or WADO-RS metadata). Not JSON, not an array, or
/// an element that is not a valid dataset throws InputError naming `source` and the index.
[[nodiscard]] std::vector<DicomJsonDataset> parse_dicom_json_array(std::string_view body,
                                                                   std::string_view source);

/// One dataset: an object, or an array holding exactly one (STOW-RS responses come both ways).
[[nodiscard]] DicomJsonDataset parse_dicom_json_dataset(std::string_view body,
                                                        std::string_view source);

}  // namespace ptwin::ingest::dicom
