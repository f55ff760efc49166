# SPDX-License-Identifier: Apache-2.0
# DICOM: the DICOM JSON model and QIDO-RS records, multipart/related, the STOW-RS response, the
# ImagingStudy locator, CT series writing and reading (DCMTK, linked here to break files the way
# real ones break), and the bad-input corpus of tests/data/bad_inputs/dicomweb.
find_package(DCMTK CONFIG REQUIRED)
ptwin_add_test(ingest_dicom_unit_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/dicom_json_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/dicom_multipart_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/dicom_bad_inputs_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/imaging_study_locator_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/dicom_series_reader_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/series_screening_test.cpp
  LIBS ptwin::ingest DCMTK::dcmdata nlohmann_json::nlohmann_json)
