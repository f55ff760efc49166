# SPDX-License-Identifier: Apache-2.0
# DICOMweb client (libcurl) and DICOM series reading/writing (DCMTK: dcmdata with the JPEG,
# JPEG-LS and RLE codecs). DCMTK headers stay inside dicom_series_reader.cpp and
# ct_series_writer.cpp.
find_package(DCMTK CONFIG REQUIRED)
list(APPEND ingest_sources
  dicom/dicom_json.cpp dicom/qido_records.cpp dicom/multipart_related.cpp dicom/stow_response.cpp
  dicom/dicomweb_client.cpp dicom/image_volume.cpp dicom/dicom_series_reader.cpp
  dicom/ct_series_writer.cpp dicom/imaging_study_locator.cpp dicom/series_screening.cpp)
list(APPEND ingest_private_libs CURL::libcurl DCMTK::dcmdata DCMTK::dcmjpeg DCMTK::dcmjpls
     DCMTK::dcmimgle)
