// SPDX-License-Identifier: Apache-2.0
#pragma once
// Typed records of QIDO-RS answers (PS3.18 10.6): one per study, series or instance, read from
// DICOM JSON datasets. The UIDs a record is keyed by are required (InputError naming the
// dataset when absent or not a UID); the descriptive attributes are optional, as QIDO-RS
// returns only what the server holds and was asked for.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/dicom_json.hpp"

namespace ptwin::ingest::dicom {

struct StudyRecord {
  std::string study_uid;
  std::optional<std::string> patient_id;
  std::optional<std::string> study_date;  // DA, as sent (YYYYMMDD)
  std::optional<std::string> accession_number;
  std::optional<std::string> description;
  std::vector<std::string> modalities;  // ModalitiesInStudy
  std::optional<long long> number_of_series;
  std::optional<long long> number_of_instances;
  std::optional<std::string> retrieve_url;
};

struct SeriesRecord {
  std::string study_uid;
  std::string series_uid;
  std::string modality;
  std::optional<long long> series_number;
  std::optional<std::string> description;
  std::optional<long long> number_of_instances;
  std::optional<std::string> retrieve_url;
};

struct InstanceRecord {
  std::string study_uid;
  std::string series_uid;
  std::string sop_instance_uid;
  std::string sop_class_uid;
  std::optional<long long> instance_number;
  std::optional<long long> rows;
  std::optional<long long> columns;
  std::optional<long long> number_of_frames;
  std::optional<std::string> retrieve_url;
};

/// A DICOM UID (PS3.5 9.1): 1..64 characters of digits and dots, components without leading
/// zeros. Anything else throws InputError naming `field`.
void require_uid(std::string_view uid, std::string_view field);

[[nodiscard]] StudyRecord to_study_record(const DicomJsonDataset& dataset);
/// `study_uid` fills the study when the server leaves it out of a series-level answer.
[[nodiscard]] SeriesRecord to_series_record(const DicomJsonDataset& dataset,
                                            std::string_view study_uid);
[[nodiscard]] InstanceRecord to_instance_record(const DicomJsonDataset& dataset,
                                                std::string_view study_uid,
                                                std::string_view series_uid);

}  // namespace ptwin::ingest::dicom
