# SPDX-License-Identifier: Apache-2.0
# Genomics feed (docs/genomics.md): VCF/BCF through htslib (Debian's libhts-dev), the PGx
# catalogue, diplotype/phenotype calls and FHIR R5 genomics Observations.
# GLOBAL: the tests write BGZF/BCF files with htslib and link the same target.
pkg_check_modules(HTSLIB REQUIRED IMPORTED_TARGET GLOBAL htslib)
list(APPEND ingest_sources
  genomics/reference_build.cpp
  genomics/pgx_catalogue.cpp
  genomics/phenotype_table.cpp
  genomics/gene_call.cpp
  genomics/import_settings.cpp
  genomics/genomics_observations.cpp
  genomics/detail/vcf_file.cpp
  genomics/vcf_importer.cpp)
list(APPEND ingest_public_libs ptwin::store)
list(APPEND ingest_private_libs PkgConfig::HTSLIB)
