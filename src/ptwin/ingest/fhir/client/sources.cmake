# SPDX-License-Identifier: Apache-2.0
# FHIR REST client (libcurl).
list(APPEND ingest_sources fhir/client/fhir_client.cpp fhir/client/fhir_url.cpp)
list(APPEND ingest_private_libs CURL::libcurl)
