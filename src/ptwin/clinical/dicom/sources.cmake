# SPDX-License-Identifier: Apache-2.0
# DICOM SEG and SR of the imaging results, written and read back with DCMTK (dcmseg, dcmfg,
# dcmiod, dcmsr with its TID 1500 classes in cmr), and stored with STOW-RS (docs/dicom.md).
# DCMTK headers stay inside the .cpp files of this area.
find_package(DCMTK CONFIG REQUIRED)
list(APPEND clinical_sources
  dicom/detail/dcmtk_io.cpp
  dicom/detail/source_slices.cpp
  dicom/segmentation_writer.cpp
  dicom/segmentation_reader.cpp
  dicom/vessel_measurements.cpp
  dicom/measurement_report_writer.cpp
  dicom/measurement_report_reader.cpp
  dicom/pacs_results.cpp)
list(APPEND clinical_private_libs DCMTK::dcmseg DCMTK::dcmfg DCMTK::dcmiod DCMTK::dcmsr DCMTK::cmr
     DCMTK::dcmdata)
