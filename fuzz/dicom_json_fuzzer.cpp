// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the DICOM JSON Model reader (PS3.18 F.2) and what reads its datasets: QIDO-RS
// records (study, series, instance) and the STOW-RS response. InputError is the expected way to
// refuse input. Findings besides crashes, sanitizer reports and other exceptions (an
// nlohmann::json type_error from a shape the check let through, for one):
//   - an accepted dataset whose attributes cannot all be read with the accessors;
//   - a record whose key UIDs are empty;
//   - the same bytes read as an array and as one dataset disagreeing about the first element.
// Seeds: tests/data/bad_inputs/dicom_json/*.json (docs/dicom.md#fuzzing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_json.hpp"
#include "ptwin/ingest/dicom/qido_records.hpp"
#include "ptwin/ingest/dicom/stow_response.hpp"

namespace {

using ptwin::ingest::dicom::DicomJsonDataset;

// Every accessor on every attribute: either a value or an InputError, nothing else.
void read_everything(const DicomJsonDataset& dataset) {
  for (const auto& [key, attribute] : dataset.json().items()) {
    const auto tag = static_cast<ptwin::ingest::dicom::DicomTag>(std::stoul(key, nullptr, 16));
    if (!dataset.has(tag) || !dataset.vr(tag)) std::abort();
    (void)dataset.strings(tag);
    (void)dataset.string(tag);
    try {
      (void)dataset.integer(tag, "fuzz");
    } catch (const ptwin::InputError&) {
    }
    try {
      for (const auto& item : dataset.sequence(tag, "fuzz")) read_everything(item);
    } catch (const ptwin::InputError&) {
    }
  }
}

template <typename Call>
void refused_or_done(Call&& call) {
  try {
    call();
  } catch (const ptwin::InputError& error) {
    if (std::string_view(error.what()).empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  refused_or_done([&] {
    const auto datasets = ptwin::ingest::dicom::parse_dicom_json_array(body, "fuzz");
    for (const auto& dataset : datasets) {
      read_everything(dataset);
      refused_or_done([&] {
        if (ptwin::ingest::dicom::to_study_record(dataset).study_uid.empty()) std::abort();
      });
      refused_or_done([&] {
        const auto series = ptwin::ingest::dicom::to_series_record(dataset, "");
        if (series.series_uid.empty() || series.study_uid.empty() || series.modality.empty()) std::abort();
      });
      refused_or_done([&] {
        const auto instance = ptwin::ingest::dicom::to_instance_record(dataset, "1.2", "1.2.3");
        if (instance.sop_instance_uid.empty() || instance.sop_class_uid.empty()) std::abort();
      });
      refused_or_done([&] { (void)ptwin::ingest::dicom::read_stow_response(dataset); });
    }
    if (datasets.size() == 1) {
      const auto single = ptwin::ingest::dicom::parse_dicom_json_dataset(body, "fuzz");
      if (single.json() != datasets[0].json()) std::abort();
    }
  });
  return 0;
}
