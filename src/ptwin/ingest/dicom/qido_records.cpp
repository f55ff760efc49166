// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/qido_records.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_tags.hpp"

namespace ptwin::ingest::dicom {
namespace {

std::string uid_of(const DicomJsonDataset& dataset, DicomTag tag, std::string_view keyword) {
  auto uid = dataset.required_string(tag, keyword);
  require_uid(uid, fmt::format("{}: {}", dataset.where(), keyword));
  return uid;
}

// The UID the dataset states, or the one the query was scoped to; both present must agree.
std::string scoped_uid(const DicomJsonDataset& dataset, DicomTag tag, std::string_view keyword,
                       std::string_view scope) {
  if (!dataset.string(tag)) {
    if (scope.empty()) return uid_of(dataset, tag, keyword);
    return std::string(scope);
  }
  auto uid = uid_of(dataset, tag, keyword);
  if (!scope.empty() && uid != scope) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", dataset.where(), keyword), uid,
                     fmt::format("the query was for {} {}", keyword, scope));
  }
  return uid;
}

}  // namespace

void require_uid(std::string_view uid, std::string_view field) {
  const auto fail = [&](std::string_view rule) {
    throw InputError(ErrorCode::BadInput, std::string(field), printable_value(uid),
                     fmt::format("a DICOM UID (PS3.5 9.1) {}", rule));
  };
  if (uid.empty() || uid.size() > 64) fail("has 1 to 64 characters");
  if (!std::all_of(uid.begin(), uid.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    fail("holds only digits and dots");
  }
  std::size_t start = 0;
  while (start <= uid.size()) {
    const auto dot = std::min(uid.find('.', start), uid.size());
    const auto component = uid.substr(start, dot - start);
    if (component.empty()) fail("has no empty component");
    if (component.size() > 1 && component.front() == '0') fail("has no component with a leading zero");
    start = dot + 1;
  }
}

StudyRecord to_study_record(const DicomJsonDataset& dataset) {
  StudyRecord record;
  record.study_uid = uid_of(dataset, tags::kStudyInstanceUid, "StudyInstanceUID");
  record.patient_id = dataset.string(tags::kPatientId);
  record.study_date = dataset.string(tags::kStudyDate);
  record.accession_number = dataset.string(tags::kAccessionNumber);
  record.description = dataset.string(tags::kStudyDescription);
  record.modalities = dataset.strings(tags::kModalitiesInStudy);
  record.number_of_series = dataset.integer(tags::kNumberOfStudyRelatedSeries,
                                            "NumberOfStudyRelatedSeries");
  record.number_of_instances = dataset.integer(tags::kNumberOfStudyRelatedInstances,
                                               "NumberOfStudyRelatedInstances");
  record.retrieve_url = dataset.string(tags::kRetrieveUrl);
  return record;
}

SeriesRecord to_series_record(const DicomJsonDataset& dataset, std::string_view study_uid) {
  SeriesRecord record;
  record.study_uid = scoped_uid(dataset, tags::kStudyInstanceUid, "StudyInstanceUID", study_uid);
  record.series_uid = uid_of(dataset, tags::kSeriesInstanceUid, "SeriesInstanceUID");
  record.modality = dataset.required_string(tags::kModality, "Modality");
  record.series_number = dataset.integer(tags::kSeriesNumber, "SeriesNumber");
  record.description = dataset.string(tags::kSeriesDescription);
  record.number_of_instances = dataset.integer(tags::kNumberOfSeriesRelatedInstances,
                                               "NumberOfSeriesRelatedInstances");
  record.retrieve_url = dataset.string(tags::kRetrieveUrl);
  return record;
}

InstanceRecord to_instance_record(const DicomJsonDataset& dataset, std::string_view study_uid,
                                  std::string_view series_uid) {
  InstanceRecord record;
  record.study_uid = scoped_uid(dataset, tags::kStudyInstanceUid, "StudyInstanceUID", study_uid);
  record.series_uid =
      scoped_uid(dataset, tags::kSeriesInstanceUid, "SeriesInstanceUID", series_uid);
  record.sop_instance_uid = uid_of(dataset, tags::kSopInstanceUid, "SOPInstanceUID");
  record.sop_class_uid = uid_of(dataset, tags::kSopClassUid, "SOPClassUID");
  record.instance_number = dataset.integer(tags::kInstanceNumber, "InstanceNumber");
  record.rows = dataset.integer(tags::kRows, "Rows");
  record.columns = dataset.integer(tags::kColumns, "Columns");
  record.number_of_frames = dataset.integer(tags::kNumberOfFrames, "NumberOfFrames");
  record.retrieve_url = dataset.string(tags::kRetrieveUrl);
  return record;
}

}  // namespace ptwin::ingest::dicom
