# SPDX-License-Identifier: Apache-2.0
# Bulk Data $export (FHIR Bulk Data Access IG v2) in the FHIR facade: kick-off, status,
# manifest and files, with durable jobs run off the request threads.
list(APPEND server_sources
  fhir/bulk/bulk_exporter.cpp
  fhir/bulk/bulk_routes.cpp
  fhir/bulk/element_subset.cpp
  fhir/bulk/export_request.cpp
  fhir/bulk/ndjson_file_set.cpp
  fhir/bulk/patient_compartment.cpp)
