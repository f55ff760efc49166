// SPDX-License-Identifier: Apache-2.0
#pragma once
// The resources of the FHIR store throughput benchmarks: vital-sign Observations shaped like
// the R5 vital-signs examples (category vital-signs, a LOINC code, subject, effectiveDateTime,
// a UCUM valueQuantity; the blood pressure panel carries systolic and diastolic components),
// each with the index rows that the facade would hand to the store: the rows selected by the
// official R5 SearchParameter expressions (ptwin::ingest::fhir::indexing::IndexExtractor).
// Each resource is validated (as the facade would) and indexed once, before any timing; the
// timed code is store code only.

#include <cstddef>
#include <vector>

#include "ptwin/store/fhir/index_rows.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::bench {

struct VitalSignWorkload {
  /// Observations of 20 patients, 5 kinds of vital sign each (heart rate, respiratory rate,
  /// oxygen saturation, body temperature, blood pressure panel), cycled through by the
  /// benchmarks; every create gets a new server id, so repeating a body is not a duplicate.
  std::vector<store::fhir::NewResource> resources;
  /// Mean index rows per resource (all kinds together).
  double index_rows_per_resource = 0.0;
};

/// The workload, built on the first call (reads the R5 core package named by the
/// PTWIN_FHIR_PACKAGE_DIR of the build, or the environment variable of that name when set).
/// Throws the definitions' InputError when the package is missing (install it with
/// scripts/install_fhir_packages.sh), and InputError naming the Observation and element when a
/// generated resource does not validate. Not thread-safe on the first call; benchmarks run on
/// one thread.
[[nodiscard]] const VitalSignWorkload& vital_sign_workload();

/// Rows of every kind in `rows`.
[[nodiscard]] std::size_t row_count(const store::fhir::IndexRows& rows);

}  // namespace ptwin::bench
