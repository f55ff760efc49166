// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/import_settings.hpp"

#include <algorithm>
#include <cctype>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::genomics {
namespace {

// FHIR R5 id: [A-Za-z0-9\-\.]{1,64}; the Observation ids add up to 24 characters
// ("-cyp2c19-clopidogrel", "-rs12248560"), so the patient id may have 40.
constexpr std::size_t kMaxPatientIdLength = 40;

bool is_fhir_id(const std::string& id) {
  return !id.empty() && id.size() <= kMaxPatientIdLength && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
  });
}

}  // namespace

void validate(const VcfImportSettings& settings) {
  if (!is_fhir_id(settings.patient_id)) {
    throw InputError(ErrorCode::BadInput, "genomics settings: patient_id",
                     printable_value(settings.patient_id),
                     "is not a FHIR id of 1-40 characters (A-Z a-z 0-9 - .)");
  }
  if (settings.min_genotype_quality && *settings.min_genotype_quality < 0) {
    throw InputError(ErrorCode::BadInput, "genomics settings: min_genotype_quality",
                     std::to_string(*settings.min_genotype_quality), "must not be negative");
  }
  if (settings.min_read_depth && *settings.min_read_depth < 0) {
    throw InputError(ErrorCode::BadInput, "genomics settings: min_read_depth",
                     std::to_string(*settings.min_read_depth), "must not be negative");
  }
  if (settings.progress_every_records < 1) {
    throw InputError(ErrorCode::BadInput, "genomics settings: progress_every_records",
                     std::to_string(settings.progress_every_records), "must be at least 1");
  }
  if (settings.sample && settings.sample->empty()) {
    throw InputError(ErrorCode::BadInput, "genomics settings: sample", "",
                     "must name a sample column when given");
  }
}

}  // namespace ptwin::ingest::genomics
