// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/measurement_report_reader.hpp"

#include <dcmtk/config/osconfig.h>  // must come first
#include <dcmtk/dcmdata/dctk.h>
#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "ptwin/clinical/dicom/detail/dcmtk_io.hpp"
#include "ptwin/clinical/dicom/result_codes.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

// Concept names of TID 1500 / 1411 / 1419 / 1001 / 4019 items (PS3.16 Annex D, DCM and SCT).
const CodedConcept kImagingMeasurements{"126010", "DCM", "Imaging Measurements"};
const CodedConcept kMeasurementGroup{"125007", "DCM", "Measurement Group"};
const CodedConcept kTrackingIdentifier{"112039", "DCM", "Tracking Identifier"};
const CodedConcept kTrackingUid{"112040", "DCM", "Tracking Unique Identifier"};
const CodedConcept kReferencedSegment{"121191", "DCM", "Referenced Segment"};
const CodedConcept kSourceSeries{"121232", "DCM", "Source series for segmentation"};
const CodedConcept kFindingSite{"363698007", "SCT", "Finding Site"};
const CodedConcept kDerivation{"121401", "DCM", "Derivation"};
const CodedConcept kMeasurementMethod{"370129005", "SCT", "Measurement Method"};
const CodedConcept kAlgorithmName{"111001", "DCM", "Algorithm Name"};
const CodedConcept kAlgorithmVersion{"111003", "DCM", "Algorithm Version"};
const CodedConcept kDeviceObserverUid{"121012", "DCM", "Device Observer UID"};
const CodedConcept kDeviceObserverName{"121013", "DCM", "Device Observer Name"};
const CodedConcept kDeviceObserverModelName{"121015", "DCM", "Device Observer Model Name"};

[[noreturn]] void refuse(const std::string& where, const std::string& value,
                         const std::string& rule) {
  throw InputError(ErrorCode::BadInput, where, value, rule);
}

bool same_code(const CodedConcept& a, const CodedConcept& b) {
  return a.value == b.value && a.scheme == b.scheme;
}

CodedConcept code_in(DcmItem& item, const DcmTagKey& sequence) {
  DcmItem* code = nullptr;
  if (item.findAndGetSequenceItem(sequence, code, 0).bad() || code == nullptr) return {};
  return {detail::text_of(*code, DCM_CodeValue), detail::text_of(*code, DCM_CodingSchemeDesignator),
          detail::text_of(*code, DCM_CodeMeaning)};
}

CodedConcept concept_name(DcmItem& item) { return code_in(item, DCM_ConceptNameCodeSequence); }

std::vector<DcmItem*> children(DcmItem& item) {
  std::vector<DcmItem*> items;
  DcmSequenceOfItems* sequence = nullptr;
  if (item.findAndGetSequence(DCM_ContentSequence, sequence).good() && sequence != nullptr) {
    for (unsigned long n = 0; n < sequence->card(); ++n) items.push_back(sequence->getItem(n));
  }
  return items;
}

// A NUM item: its value in the unit its code names, converted to SI by the caller.
struct Numeric {
  CodedConcept concept_code;
  double value = 0.0;
  CodedConcept unit;
  CodedConcept derivation;
  CodedConcept method;
  ModelIdentity algorithm;
};

Numeric numeric(DcmItem& item, const std::string& where) {
  Numeric number;
  number.concept_code = concept_name(item);
  DcmItem* measured = nullptr;
  if (item.findAndGetSequenceItem(DCM_MeasuredValueSequence, measured, 0).bad() ||
      measured == nullptr) {
    refuse(where + ": MeasuredValueSequence", "(absent)", "a measured value");
  }
  const auto text = detail::text_of(*measured, DCM_NumericValue);
  const auto first = text.find_first_not_of(' ');
  const char* begin = text.data() + (first == std::string::npos ? text.size() : first);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), number.value);
  if (error != std::errc() || (end != text.data() + text.size() && *end != ' ')) {
    refuse(where + ": NumericValue", text, "a decimal number (DS)");
  }
  number.unit = code_in(*measured, DCM_MeasurementUnitsCodeSequence);
  for (DcmItem* modifier : children(item)) {
    const auto name = concept_name(*modifier);
    if (same_code(name, kDerivation))
      number.derivation = code_in(*modifier, DCM_ConceptCodeSequence);
    if (same_code(name, kMeasurementMethod))
      number.method = code_in(*modifier, DCM_ConceptCodeSequence);
    if (same_code(name, kAlgorithmName))
      number.algorithm.name = detail::text_of(*modifier, DCM_TextValue);
    if (same_code(name, kAlgorithmVersion))
      number.algorithm.version = detail::text_of(*modifier, DCM_TextValue);
  }
  return number;
}

void require_unit(const Numeric& number, const CodedConcept& unit, const std::string& where) {
  if (!same_code(number.unit, unit)) {
    refuse(where + ": MeasurementUnitsCodeSequence", number.unit.value,
           fmt::format("UCUM '{}'", unit.value));
  }
}

// One measurement into the segment's fields; a concept this reader does not know is refused.
void take_measurement(const Numeric& number, VesselSegmentMeasurement& m, std::vector<bool>& seen,
                      const std::string& where) {
  if (same_code(number.concept_code, codes::kDiameter) &&
      same_code(number.derivation, codes::kDerivationMean)) {
    require_unit(number, codes::kUnitMillimetre, where);
    m.mean_diameter = number.value * units::mm;
    seen[0] = true;
  } else if (same_code(number.concept_code, codes::kDiameter) &&
             same_code(number.derivation, codes::kDerivationMinimum)) {
    require_unit(number, codes::kUnitMillimetre, where);
    m.minimal_diameter = number.value * units::mm;
    seen[1] = true;
  } else if (same_code(number.concept_code, codes::kDiameterStenosis)) {
    require_unit(number, codes::kUnitPercent, where);
    m.stenosis_diameter_reduction = number.value * units::percent;
    seen[2] = true;
  } else if (same_code(number.concept_code, codes::kGradientPressureAverage)) {
    require_unit(number, codes::kUnitMmHg, where);
    m.predicted_pressure_drop = PredictedPressureDrop{number.value * units::mmHg, number.algorithm, std::nullopt};
  } else if (same_code(number.concept_code, codes::kGradientPressurePeak)) {
    require_unit(number, codes::kUnitMmHg, where);
    if (!m.predicted_pressure_drop || m.predicted_pressure_drop->model != number.algorithm) {
      refuse(where + ": Gradient pressure, peak", fmt::format("{} mmHg", number.value),
             "after the average gradient of the same model (Algorithm Name and Version), as ptwin "
             "writes them");
    }
    m.predicted_pressure_drop->peak_drop = number.value * units::mmHg;
  } else {
    refuse(where + ": ConceptNameCodeSequence",
           fmt::format("({}, {}, \"{}\") derivation {}", number.concept_code.value,
                       number.concept_code.scheme, number.concept_code.meaning,
                       number.derivation.value),
           "a measurement ptwin writes (docs/dicom.md#writing-seg-and-sr)");
  }
}

ReportedVesselSegment read_group(DcmItem& group, const std::string& where) {
  ReportedVesselSegment segment;
  auto& m = segment.measurement;
  std::vector<bool> seen(3, false);
  std::size_t n = 0;
  for (DcmItem* item : children(group)) {
    const std::string item_where = fmt::format("{} item {}", where, ++n);
    const auto name = concept_name(*item);
    const auto type = detail::text_of(*item, DCM_ValueType);
    if (same_code(name, kTrackingIdentifier))
      m.name = detail::text_of(*item, DCM_TextValue);
    else if (same_code(name, kTrackingUid))
      segment.tracking_uid = detail::text_of(*item, DCM_UID);
    else if (same_code(name, kSourceSeries))
      segment.source_series_uid = detail::text_of(*item, DCM_UID);
    else if (same_code(name, kFindingSite))
      m.finding_site = code_in(*item, DCM_ConceptCodeSequence);
    else if (same_code(name, kReferencedSegment)) {
      DcmItem* reference = nullptr;
      if (item->findAndGetSequenceItem(DCM_ReferencedSOPSequence, reference, 0).good() &&
          reference != nullptr) {
        segment.segmentation_sop_instance_uid =
            detail::text_of(*reference, DCM_ReferencedSOPInstanceUID);
        Uint16 number = 0;
        reference->findAndGetUint16(DCM_ReferencedSegmentNumber, number);
        segment.segment_number = number;
      }
    } else if (type == "NUM") {
      take_measurement(numeric(*item, item_where), m, seen, item_where);
    }
  }
  if (m.name.empty())
    throw InputError(ErrorCode::MissingField, where + ": Tracking Identifier", "(absent)",
                     "present");
  const char* const fields[] = {"Diameter (Mean)", "Diameter (Minimum)", "Diameter stenosis"};
  for (std::size_t f = 0; f < seen.size(); ++f) {
    if (!seen[f])
      throw InputError(ErrorCode::MissingField,
                       fmt::format("{} ('{}'): {}", where, m.name, fields[f]), "(absent)",
                       "present");
  }
  return segment;
}

}  // namespace

MeasurementReportContents read_measurement_report(std::string_view bytes, const std::string& name) {
  auto file = detail::parse_part10(bytes, name);
  DcmDataset& dataset = *file->getDataset();
  MeasurementReportContents contents;
  contents.sop_class_uid = detail::text_of(dataset, DCM_SOPClassUID);
  if (detail::text_of(dataset, DCM_Modality) != "SR" ||
      detail::text_of(dataset, DCM_ValueType) != "CONTAINER") {
    refuse(name + ": Modality / ValueType", detail::text_of(dataset, DCM_Modality),
           "an SR document (SR, CONTAINER)");
  }
  contents.sop_instance_uid = detail::text_of(dataset, DCM_SOPInstanceUID);
  contents.series_uid = detail::text_of(dataset, DCM_SeriesInstanceUID);
  contents.study_uid = detail::text_of(dataset, DCM_StudyInstanceUID);
  contents.document_title = concept_name(dataset).meaning;

  DcmSequenceOfItems* evidence = nullptr;
  if (dataset.findAndGetSequence(DCM_CurrentRequestedProcedureEvidenceSequence, evidence, OFTrue)
          .good() &&
      evidence) {
    for (unsigned long s = 0; s < evidence->card(); ++s) {
      DcmSequenceOfItems* series = nullptr;
      if (evidence->getItem(s)->findAndGetSequence(DCM_ReferencedSeriesSequence, series).bad() ||
          !series)
        continue;
      for (unsigned long r = 0; r < series->card(); ++r) {
        DcmSequenceOfItems* instances = nullptr;
        if (series->getItem(r)->findAndGetSequence(DCM_ReferencedSOPSequence, instances).bad() ||
            !instances)
          continue;
        for (unsigned long i = 0; i < instances->card(); ++i) {
          contents.evidence_sop_instance_uids.push_back(
              detail::text_of(*instances->getItem(i), DCM_ReferencedSOPInstanceUID));
        }
      }
    }
  }
  for (DcmItem* item : children(dataset)) {
    const auto concept_code = concept_name(*item);
    if (same_code(concept_code, kDeviceObserverUid))
      contents.device_observer_uid = detail::text_of(*item, DCM_UID);
    if (same_code(concept_code, kDeviceObserverName))
      contents.device_observer_name = detail::text_of(*item, DCM_TextValue);
    if (same_code(concept_code, kDeviceObserverModelName)) {
      contents.device_observer_model_name = detail::text_of(*item, DCM_TextValue);
    }
    if (!same_code(concept_code, kImagingMeasurements)) continue;
    std::size_t group_number = 0;
    for (DcmItem* group : children(*item)) {
      if (!same_code(concept_name(*group), kMeasurementGroup)) continue;
      contents.segments.push_back(
          read_group(*group, fmt::format("{}: Measurement Group {}", name, ++group_number)));
    }
  }
  return contents;
}

}  // namespace ptwin::clinical::dicom
