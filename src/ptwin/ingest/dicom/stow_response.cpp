// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/stow_response.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_tags.hpp"

namespace ptwin::ingest::dicom {
namespace {

// The failure reasons PS3.4 names for storage (C.4.2.1.4 / Annex GG.4.3); others are shown as
// their number only.
std::string_view failure_name(long long reason) {
  if (reason >= 0xA700 && reason <= 0xA7FF) return "out of resources";
  if (reason >= 0xA900 && reason <= 0xA9FF) return "data set does not match SOP class";
  if (reason >= 0xC000 && reason <= 0xCFFF) return "cannot understand";
  switch (reason) {
    case 0x0110: return "processing failure";
    case 0x0122: return "SOP class not supported";
    case 0x0124: return "not authorized";
    case 0xA770: return "transfer syntax not supported";
    case 0xC122: return "referenced transfer syntax not supported";
    default: return "unknown reason";
  }
}

}  // namespace

StowResponse read_stow_response(const DicomJsonDataset& response) {
  StowResponse out;
  for (const auto& item : response.sequence(tags::kReferencedSopSequence, "ReferencedSOPSequence")) {
    StoredInstance stored;
    stored.sop_class_uid = item.required_string(tags::kReferencedSopClassUid, "ReferencedSOPClassUID");
    stored.sop_instance_uid =
        item.required_string(tags::kReferencedSopInstanceUid, "ReferencedSOPInstanceUID");
    stored.retrieve_url = item.string(tags::kRetrieveUrl);
    stored.warning_reason = item.integer(tags::kWarningReason, "WarningReason");
    out.stored.push_back(std::move(stored));
  }
  for (const auto& item : response.sequence(tags::kFailedSopSequence, "FailedSOPSequence")) {
    FailedInstance failed;
    failed.sop_class_uid = item.string(tags::kReferencedSopClassUid).value_or("(not given)");
    failed.sop_instance_uid =
        item.required_string(tags::kReferencedSopInstanceUid, "ReferencedSOPInstanceUID");
    const auto reason = item.integer(tags::kFailureReason, "FailureReason");
    if (!reason) {
      throw InputError(ErrorCode::MissingField, item.where() + ": FailureReason (0008,1197)",
                       "(absent)", "a failed instance states why it failed");
    }
    failed.failure_reason = *reason;
    out.failed.push_back(std::move(failed));
  }
  return out;
}

std::string describe_failures(const std::vector<FailedInstance>& failed) {
  std::string out;
  for (const auto& instance : failed) {
    if (!out.empty()) out.append("; ");
    out.append(fmt::format("SOP instance {} (class {}): failure reason 0x{:04X} ({})",
                           instance.sop_instance_uid, instance.sop_class_uid,
                           instance.failure_reason, failure_name(instance.failure_reason)));
  }
  return out;
}

}  // namespace ptwin::ingest::dicom
