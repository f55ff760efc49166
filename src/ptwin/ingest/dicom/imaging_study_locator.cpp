// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/imaging_study_locator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/qido_records.hpp"

namespace ptwin::ingest::dicom {
namespace {

constexpr std::string_view kDicomUidSystem = "urn:dicom:uid";
constexpr std::string_view kConnectionTypeSystem =
    "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
constexpr std::string_view kDicomwebConnectionTypes[] = {"dicom-wado-rs", "dicom-qido-rs",
                                                         "dicom-stow-rs"};

std::string shown(const nlohmann::json& value) { return printable_value(value.dump()); }

std::string study_uid_of(const nlohmann::json& study) {
  const auto identifiers = study.find("identifier");
  if (identifiers != study.end() && identifiers->is_array()) {
    for (std::size_t i = 0; i < identifiers->size(); ++i) {
      const auto& identifier = (*identifiers)[i];
      if (!identifier.is_object() || identifier.value("system", "") != kDicomUidSystem) continue;
      const auto value = identifier.value("value", "");
      const std::string field = fmt::format("ImagingStudy.identifier[{}].value", i);
      if (!value.starts_with("urn:oid:")) {
        throw InputError(ErrorCode::BadInput, field, printable_value(value),
                         "a DICOM UID written as urn:oid:<uid>");
      }
      auto uid = value.substr(8);
      require_uid(uid, field);
      return uid;
    }
  }
  throw InputError(ErrorCode::MissingField, "ImagingStudy.identifier", "(no urn:dicom:uid identifier)",
                   "the Study Instance UID as an identifier with system urn:dicom:uid and value "
                   "urn:oid:<uid>");
}

std::optional<nlohmann::json> find_endpoint(const nlohmann::json& study, const std::string& reference,
                                            const EndpointResolver& resolve) {
  if (reference.starts_with("#")) {
    const auto contained = study.find("contained");
    if (contained != study.end() && contained->is_array()) {
      for (const auto& resource : *contained) {
        if (resource.is_object() && resource.value("resourceType", "") == "Endpoint" &&
            resource.value("id", "") == reference.substr(1)) {
          return resource;
        }
      }
    }
    return std::nullopt;
  }
  if (resolve) return resolve(reference);
  return std::nullopt;
}

bool is_dicomweb(const nlohmann::json& endpoint) {
  const auto types = endpoint.find("connectionType");
  if (types == endpoint.end() || !types->is_array()) return false;
  for (const auto& concept_ : *types) {
    const auto codings = concept_.is_object() ? concept_.find("coding") : concept_.end();
    if (!concept_.is_object() || codings == concept_.end() || !codings->is_array()) continue;
    for (const auto& coding : *codings) {
      if (!coding.is_object() || coding.value("system", "") != kConnectionTypeSystem) continue;
      const auto code = coding.value("code", "");
      if (std::find(std::begin(kDicomwebConnectionTypes), std::end(kDicomwebConnectionTypes), code) !=
          std::end(kDicomwebConnectionTypes)) {
        return true;
      }
    }
  }
  return false;
}

// The DICOMweb base of the first endpoint in `owner.endpoint` that is a DICOMweb one, or "".
std::string dicomweb_base_of(const nlohmann::json& study, const nlohmann::json& owner,
                             const std::string& field, const EndpointResolver& resolve) {
  const auto references = owner.find("endpoint");
  if (references == owner.end()) return {};
  if (!references->is_array()) throw InputError(ErrorCode::BadInput, field, shown(*references), "an array");
  for (std::size_t i = 0; i < references->size(); ++i) {
    const auto& reference = (*references)[i];
    const std::string here = fmt::format("{}[{}].reference", field, i);
    if (!reference.is_object() || !reference.contains("reference") || !reference.at("reference").is_string()) {
      throw InputError(ErrorCode::BadInput, here, shown(reference), "a Reference to an Endpoint");
    }
    const auto target = reference.at("reference").get<std::string>();
    const auto endpoint = find_endpoint(study, target, resolve);
    if (!endpoint) {
      throw InputError(ErrorCode::NotFound, here, printable_value(target),
                       "an Endpoint contained in the ImagingStudy or known to the resolver");
    }
    if (!is_dicomweb(*endpoint)) continue;
    const auto address = endpoint->value("address", "");
    if (!address.starts_with("http://") && !address.starts_with("https://")) {
      throw InputError(ErrorCode::BadInput, fmt::format("Endpoint {}.address", target),
                       printable_value(address), "the DICOMweb root as an http(s) URL");
    }
    return address;
  }
  return {};
}

std::string modality_of(const nlohmann::json& series, const std::string& field) {
  const auto modality = series.find("modality");
  if (modality != series.end() && modality->is_object()) {
    const auto codings = modality->find("coding");
    if (codings != modality->end() && codings->is_array()) {
      for (const auto& coding : *codings) {
        if (coding.is_object() && coding.contains("code") && coding.at("code").is_string()) {
          return coding.at("code").get<std::string>();
        }
      }
    }
  }
  throw InputError(ErrorCode::MissingField, field + ".modality",
                   modality == series.end() ? "(absent)" : shown(*modality),
                   "a CodeableConcept with a DICOM modality code (e.g. CT)");
}

}  // namespace

ImagingStudyLocation locate_imaging_study(const nlohmann::json& imaging_study,
                                          const EndpointResolver& resolve) {
  if (!imaging_study.is_object() || imaging_study.value("resourceType", "") != "ImagingStudy") {
    throw InputError(ErrorCode::BadInput, "resourceType",
                     imaging_study.is_object() ? printable_value(imaging_study.value("resourceType", "(absent)"))
                                               : shown(imaging_study),
                     "an ImagingStudy");
  }
  ImagingStudyLocation location;
  location.study_uid = study_uid_of(imaging_study);
  location.dicomweb_base = dicomweb_base_of(imaging_study, imaging_study, "ImagingStudy.endpoint", resolve);
  const auto series = imaging_study.find("series");
  if (series == imaging_study.end()) return location;
  if (!series->is_array()) throw InputError(ErrorCode::BadInput, "ImagingStudy.series", shown(*series), "an array");
  for (std::size_t i = 0; i < series->size(); ++i) {
    const auto& item = (*series)[i];
    const std::string field = fmt::format("ImagingStudy.series[{}]", i);
    if (!item.is_object()) throw InputError(ErrorCode::BadInput, field, shown(item), "an object");
    SeriesLocation entry;
    entry.series_uid = item.value("uid", "");
    require_uid(entry.series_uid, field + ".uid");
    entry.modality = modality_of(item, field);
    if (item.contains("numberOfInstances")) {
      if (!item.at("numberOfInstances").is_number_unsigned()) {
        throw InputError(ErrorCode::BadInput, field + ".numberOfInstances",
                         shown(item.at("numberOfInstances")), "an unsignedInt");
      }
      entry.number_of_instances = item.at("numberOfInstances").get<long long>();
    }
    const auto body_site = item.find("bodySite");
    if (body_site != item.end() && body_site->is_object() && body_site->contains("concept")) {
      const auto& codings = body_site->at("concept").value("coding", nlohmann::json::array());
      if (codings.is_array() && !codings.empty() && codings[0].is_object()) {
        entry.body_site = codings[0].value("code", "");
      }
    }
    entry.dicomweb_base = dicomweb_base_of(imaging_study, item, field + ".endpoint", resolve);
    if (entry.dicomweb_base.empty()) entry.dicomweb_base = location.dicomweb_base;
    if (entry.dicomweb_base.empty()) {
      throw InputError(ErrorCode::MissingField, field + ".endpoint", "(none)",
                       "a DICOMweb Endpoint (connectionType dicom-wado-rs) on the series or the study");
    }
    location.series.push_back(std::move(entry));
  }
  return location;
}

NotifiedImagingStudies locate_notified_imaging_studies(
    const fhir::notifications::Notification& notification, const EndpointResolver& resolve) {
  NotifiedImagingStudies out;
  for (const auto& event : notification.events) {
    if (!event.focus) continue;
    const auto* entry = notification.entry(*event.focus);
    if (entry == nullptr || !entry->resource) {
      out.unresolved.push_back(*event.focus);
      continue;
    }
    if (entry->resource->value("resourceType", "") != "ImagingStudy") continue;
    out.located.push_back(locate_imaging_study(*entry->resource, resolve));
  }
  return out;
}

std::vector<SeriesLocation> select_series(const ImagingStudyLocation& location,
                                          const SeriesCriteria& criteria) {
  std::vector<SeriesLocation> selected;
  for (const auto& series : location.series) {
    const bool is_modality = std::find(criteria.modalities.begin(), criteria.modalities.end(),
                                       series.modality) != criteria.modalities.end();
    const bool is_large_enough =
        !series.number_of_instances || *series.number_of_instances >= criteria.min_instances;
    const bool is_site = !criteria.body_site || series.body_site == criteria.body_site;
    if (is_modality && is_large_enough && is_site) selected.push_back(series);
  }
  return selected;
}

std::vector<FetchedSeries> fetch_series(
    const ImagingStudyLocation& location, const SeriesCriteria& criteria,
    const std::function<DicomwebClient&(const std::string& base)>& client_for) {
  std::vector<FetchedSeries> fetched;
  for (auto& series : select_series(location, criteria)) {
    auto& client = client_for(series.dicomweb_base);
    auto files = client.retrieve_series(location.study_uid, series.series_uid);
    if (series.number_of_instances &&
        files.size() != static_cast<std::size_t>(*series.number_of_instances)) {
      throw DicomwebError("GET", client.base_url(), 200,
                          fmt::format("series {} returned {} instances; the ImagingStudy states {}",
                                      series.series_uid, files.size(), *series.number_of_instances));
    }
    fetched.push_back({std::move(series), std::move(files)});
  }
  return fetched;
}

}  // namespace ptwin::ingest::dicom
