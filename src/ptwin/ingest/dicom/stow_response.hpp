// SPDX-License-Identifier: Apache-2.0
#pragma once
// The STOW-RS response (PS3.18 10.5.3, Table 10.5.3-1): a DICOM JSON dataset with a
// ReferencedSOPSequence (0008,1199) of stored instances and a FailedSOPSequence (0008,1198) of
// instances the server refused, each with its FailureReason (0008,1197).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/dicom_json.hpp"

namespace ptwin::ingest::dicom {

/// One instance as the STOW-RS response lists it.
struct StoredInstance {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::optional<std::string> retrieve_url;
  std::optional<long long> warning_reason;  // (0008,1196), when the server stored with a warning
};


/// One refused instance.
struct FailedInstance {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  long long failure_reason = 0;  // (0008,1197), PS3.4 Annex GG.4 / C.4.2.1.4
};

struct StowResponse {
  std::vector<StoredInstance> stored;
  std::vector<FailedInstance> failed;
};

/// Reads the response dataset; items without their UIDs throw InputError naming the item.
[[nodiscard]] StowResponse read_stow_response(const DicomJsonDataset& response);

/// "SOP instance 1.2.3 (class 1.2.840.10008.5.1.4.1.1.2): failure reason 0xA700 (out of
/// resources)"; one line per instance, joined by "; ".
[[nodiscard]] std::string describe_failures(const std::vector<FailedInstance>& failed);

}  // namespace ptwin::ingest::dicom
