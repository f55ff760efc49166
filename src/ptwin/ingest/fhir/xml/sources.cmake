# SPDX-License-Identifier: Apache-2.0
# FHIR R5 XML to and from JSON, walking the StructureDefinitions (libxml2; docs/fhir.md#xml).
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
list(APPEND ingest_sources
  fhir/xml/detail/xml_element_rules.cpp
  fhir/xml/xml_reader.cpp
  fhir/xml/xml_writer.cpp)
list(APPEND ingest_private_libs PkgConfig::LIBXML2)
