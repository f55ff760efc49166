# SPDX-License-Identifier: Apache-2.0
# FHIR R5 writers of the twin's clinical outputs (docs/clinical.md#fhir-outputs).
list(APPEND clinical_sources
  fhir/quantities.cpp
  fhir/model_provenance.cpp
  fhir/risk_assessment_writer.cpp
  fhir/estimate_observation_writer.cpp
  fhir/detected_issue_writer.cpp)
list(APPEND clinical_sources
  fhir/output_schedule.cpp
  fhir/twin_output_stage.cpp
  fhir/output_spool.cpp
  fhir/ehr_poster.cpp)
