// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/measurement_report_writer.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmsr/cmr/cid100.h>
#include <dcmtk/dcmsr/cmr/cid5000.h>
#include <dcmtk/dcmsr/cmr/cid7021.h>
#include <dcmtk/dcmsr/cmr/cid7181.h>
#include <dcmtk/dcmsr/cmr/cid7464.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <fmt/format.h>

#include <memory>

#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/ct_series_writer.hpp"

namespace ptwin::clinical::dicom {
namespace {

using Group = CMR_TID1411_in_TID1500;
using Value = Group::MeasurementValue;

void check(const OFCondition& status, const std::string& what) {
  if (status.bad())
    throw Error(ErrorCode::Internal, fmt::format("SR writer: {}: {}", what, status.text()));
}

DSRCodedEntryValue coded(const CodedConcept& code) {
  return DSRCodedEntryValue(code.value.c_str(), code.scheme.c_str(), code.meaning.c_str());
}

// DS: at most 16 characters (PS3.5 Table 6.2-1); 9 significant digits fit with sign and exponent.
std::string ds(double value) { return fmt::format("{:.9g}", value); }

Value value_in(double number, const CodedConcept& unit) {
  return Value(ds(number).c_str(),
               CID7181_AbstractMultiDimensionalImageModelComponentUnits(coded(unit)));
}

void add_diameter(Group& group, double value_mm, const CodedConcept& derivation) {
  check(group.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements(coded(codes::kDiameter)),
                             value_in(value_mm, codes::kUnitMillimetre)),
        "Diameter");
  check(group.getMeasurement().setDerivation(
            CID7464_GeneralRegionOfInterestMeasurementModifiers(coded(derivation))),
        "Derivation");
}

void add_group(TID1500_MeasurementReport& report, const VesselSegmentMeasurement& m,
               const WrittenInstance& seg, const std::string& source_series_uid) {
  check(report.addVolumetricROIMeasurements(), "measurement group");
  Group& group = report.getVolumetricROIMeasurements();
  check(group.setTrackingIdentifier(m.name.c_str()), "Tracking Identifier");
  check(group.setTrackingUniqueIdentifier(ingest::dicom::new_dicom_uid().c_str()),
        "Tracking Unique Identifier");
  check(group.setFinding(coded(codes::kFindingBloodVessel)), "Finding");
  DSRImageReferenceValue segment(seg.sop_class_uid.c_str(), seg.sop_instance_uid.c_str());
  segment.getSegmentList().addItem(1);  // the lumen
  check(group.setReferencedSegment(segment), "Referenced Segment");
  check(group.setSourceSeriesForSegmentation(source_series_uid.c_str()),
        "Source series for segmentation");
  if (m.finding_site) check(group.addFindingSite(coded(*m.finding_site)), "Finding Site");

  add_diameter(group, m.mean_diameter.in(units::mm), codes::kDerivationMean);
  add_diameter(group, m.minimal_diameter.in(units::mm), codes::kDerivationMinimum);
  check(group.addMeasurement(
            CID7469_GenericIntensityAndSizeMeasurements(coded(codes::kDiameterStenosis)),
            value_in(m.stenosis_diameter_reduction.in(units::percent), codes::kUnitPercent)),
        "Diameter stenosis");
  check(group.getMeasurement().setMeasurementMethod(
            CID6147_ResponseCriteria(coded(codes::kDiameterBasedMethod))),
        "Measurement Method");
  if (const auto& drop = m.predicted_pressure_drop) {
    check(group.addMeasurement(
              CID7469_GenericIntensityAndSizeMeasurements(coded(codes::kGradientPressureAverage)),
              value_in(drop->mean_drop.in(units::mmHg), codes::kUnitMmHg)),
          "Gradient pressure");
    check(group.getMeasurement().setAlgorithmIdentification(drop->model.name.c_str(),
                                                            drop->model.version.c_str()),
          "Algorithm Identification");
    if (drop->peak_drop) {
      check(group.addMeasurement(
                CID7469_GenericIntensityAndSizeMeasurements(coded(codes::kGradientPressurePeak)),
                value_in(drop->peak_drop->in(units::mmHg), codes::kUnitMmHg)),
            "Gradient pressure, peak");
      check(group.getMeasurement().setAlgorithmIdentification(drop->model.name.c_str(),
                                                              drop->model.version.c_str()),
            "Algorithm Identification");
    }
  }
}

// Patient and study of the source, so the SR lands in the same study.
void copy_patient_and_study(DcmItem& source, DSRDocument& document) {
  const auto text = [&](const DcmTagKey& tag) {
    return OFString(detail::text_of(source, tag).c_str());
  };
  check(document.setPatientName(text(DCM_PatientName), OFFalse), "PatientName");
  check(document.setPatientID(text(DCM_PatientID), OFFalse), "PatientID");
  check(document.setPatientBirthDate(text(DCM_PatientBirthDate), OFFalse), "PatientBirthDate");
  check(document.setPatientSex(text(DCM_PatientSex), OFFalse), "PatientSex");
  check(document.setStudyDate(text(DCM_StudyDate), OFFalse), "StudyDate");
  check(document.setStudyTime(text(DCM_StudyTime), OFFalse), "StudyTime");
  check(document.setStudyID(text(DCM_StudyID), OFFalse), "StudyID");
  check(document.setAccessionNumber(text(DCM_AccessionNumber), OFFalse), "AccessionNumber");
  check(document.setReferringPhysicianName(text(DCM_ReferringPhysicianName), OFFalse),
        "ReferringPhysicianName");
  const auto description = text(DCM_StudyDescription);
  if (!description.empty())
    check(document.setStudyDescription(description, OFFalse), "StudyDescription");
  check(document.createNewSeriesInStudy(text(DCM_StudyInstanceUID)), "StudyInstanceUID");
}

using Sources = std::vector<std::unique_ptr<DcmFileFormat>>;

// The source files parsed, all of one series, in the SEG's study.
Sources parse_sources(const std::vector<ingest::dicom::DicomBuffer>& source_files,
                      const WrittenInstance& seg) {
  if (source_files.empty()) {
    throw InputError(ErrorCode::MissingField, "SR writer: source_files", "(none)",
                     "the measured series");
  }
  Sources sources;
  for (const auto& file : source_files) {
    sources.push_back(detail::parse_part10(file.bytes, file.name));
  }
  DcmDataset& first = *sources.front()->getDataset();
  const std::string study_uid = detail::text_of(first, DCM_StudyInstanceUID);
  const std::string series_uid = detail::text_of(first, DCM_SeriesInstanceUID);
  for (std::size_t n = 0; n < sources.size(); ++n) {
    const auto other = detail::text_of(*sources[n]->getDataset(), DCM_SeriesInstanceUID);
    if (other != series_uid) {
      throw InputError(ErrorCode::BadInput, source_files[n].name + ": SeriesInstanceUID", other,
                       fmt::format("the series of the first source file, {}", series_uid));
    }
  }
  if (seg.study_uid != study_uid) {
    throw InputError(ErrorCode::BadInput, "SR writer: seg.study_uid", seg.study_uid,
                     fmt::format("the source series' study {}", study_uid));
  }
  return sources;
}

// TID 1500: title, language, device observer, procedure, image library, one group per segment.
void fill_report(TID1500_MeasurementReport& report, Sources& sources,
                 const std::vector<VesselSegmentMeasurement>& measurements,
                 const WrittenInstance& seg, const MeasurementReportWriteOptions& options) {
  check(report.setLanguage(CID5000_Languages(CID5000_Languages::English)), "Language of Content");
  const std::string observer_uid = options.device_observer_uid.empty()
                                       ? ingest::dicom::new_dicom_uid()
                                       : options.device_observer_uid;
  check(report.getObservationContext().addDeviceObserver(observer_uid.c_str(), "ptwin", "ptwin",
                                                         options.software_version.c_str()),
        "Device Observer");
  check(report.addProcedureReported(CMR_CID100::CTUnspecifiedBodyRegion), "Procedure reported");
  check(report.getImageLibrary().createNewImageLibrary(), "Image Library");
  check(report.getImageLibrary().addImageGroup(), "Image Library Group");
  for (auto& source : sources) {
    check(report.getImageLibrary().addImageEntry(*source->getDataset(),
                                                 TID1600_ImageLibrary::withoutDescriptors),
          "Image Library Entry");
  }
  const auto series_uid = detail::text_of(*sources.front()->getDataset(), DCM_SeriesInstanceUID);
  for (const auto& m : measurements) add_group(report, m, seg, series_uid);
}

// The document around the tree: patient and study of the source, equipment, series, the
// declared local coding scheme, and the evidence (source images and the SEG).
void fill_document(DSRDocument& document, Sources& sources, const WrittenInstance& seg,
                   const MeasurementReportWriteOptions& options) {
  check(document.setSpecificCharacterSet("ISO_IR 100"), "SpecificCharacterSet");
  copy_patient_and_study(*sources.front()->getDataset(), document);
  check(document.setManufacturer("ptwin"), "Manufacturer");
  check(document.setManufacturerModelName("ptwin"), "ManufacturerModelName");
  check(document.setSoftwareVersions(options.software_version.c_str()), "SoftwareVersions");
  check(document.setSeriesDescription(options.series_description.c_str()), "SeriesDescription");
  check(document.setSeriesNumber(fmt::format("{}", options.series_number).c_str()), "SeriesNumber");
  check(document.setInstanceNumber("1"), "InstanceNumber");
  check(document.getCodingSchemeIdentification().addItem(
            std::string(codes::kLocalScheme).c_str(), "",
            std::string(codes::kLocalSchemeName).c_str(), "ptwin"),
        "CodingSchemeIdentificationSequence");
  auto& evidence = document.getCurrentRequestedProcedureEvidence();
  for (auto& source : sources) {
    check(evidence.addItem(*source->getDataset()), "evidence (source image)");
  }
  check(evidence.addItem(seg.study_uid.c_str(), seg.series_uid.c_str(), seg.sop_class_uid.c_str(),
                         seg.sop_instance_uid.c_str()),
        "evidence (SEG)");
}

}  // namespace

WrittenInstance write_measurement_report(
    const std::vector<VesselSegmentMeasurement>& measurements,
    const std::vector<ingest::dicom::DicomBuffer>& source_files, const WrittenInstance& seg,
    const MeasurementReportWriteOptions& options) {
  if (measurements.empty()) {
    throw InputError(ErrorCode::MissingField, "SR writer: measurements", "(none)",
                     "at least one vessel segment");
  }
  check_vessel_measurements(measurements);
  if (options.software_version.empty()) {
    throw InputError(ErrorCode::MissingField, "SR writer: options.software_version", "(empty)",
                     "ptwin's version: the device observer names it");
  }
  auto sources = parse_sources(source_files, seg);
  TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
  fill_report(report, sources, measurements, seg, options);
  DSRDocument document(DSRTypes::DT_EnhancedSR);
  check(document.setTreeFromRootTemplate(report, OFTrue), "document tree (TID 1500)");
  fill_document(document, sources, seg, options);

  DcmFileFormat file;
  DcmDataset& dataset = *file.getDataset();
  check(document.write(dataset), "encoding the SR");
  if (!options.series_uid.empty()) {
    detail::put_text(dataset, DCM_SeriesInstanceUID, options.series_uid);
  }
  if (!options.sop_instance_uid.empty()) {
    detail::put_text(dataset, DCM_SOPInstanceUID, options.sop_instance_uid);
  }
  WrittenInstance written;
  written.bytes = detail::to_part10(file);
  written.sop_class_uid = detail::text_of(dataset, DCM_SOPClassUID);
  written.sop_instance_uid = detail::text_of(dataset, DCM_SOPInstanceUID);
  written.series_uid = detail::text_of(dataset, DCM_SeriesInstanceUID);
  written.study_uid = detail::text_of(dataset, DCM_StudyInstanceUID);
  return written;
}

}  // namespace ptwin::clinical::dicom
