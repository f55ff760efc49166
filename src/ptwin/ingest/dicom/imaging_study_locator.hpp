// SPDX-License-Identifier: Apache-2.0
#pragma once
// From a FHIR R5 ImagingStudy (read, searched, or carried by a subscription notification) to
// where its images are: the DICOM Study Instance UID and the DICOMweb base of each series, and
// the choice of the series in scope so that only those are fetched.
//
// The study UID is ImagingStudy.identifier with system "urn:dicom:uid" and value
// "urn:oid:<uid>" (R5 imagingstudy.html, Notes). The DICOMweb base is the address of an
// Endpoint whose connectionType is dicom-wado-rs (or dicom-qido-rs / dicom-stow-rs, which share
// the root) from http://terminology.hl7.org/CodeSystem/endpoint-connection-type; a series'
// own endpoint overrides the study's. Endpoints are found among the contained resources
// ("#id") or through a resolver for other references.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/dicomweb_client.hpp"
#include "ptwin/ingest/fhir/notifications/notification_reader.hpp"

namespace ptwin::ingest::dicom {

struct SeriesLocation {
  std::string series_uid;
  std::string modality;  // ImagingStudy.series.modality coding code (DCM), e.g. "CT"
  std::optional<long long> number_of_instances;
  std::string dicomweb_base;
  std::optional<std::string> body_site;  // series.bodySite concept code, when given
};

struct ImagingStudyLocation {
  std::string study_uid;
  std::string dicomweb_base;  // the study's endpoint ("" when only series carry endpoints)
  std::vector<SeriesLocation> series;
};

/// Resolves a non-contained Endpoint reference (e.g. "Endpoint/pacs-1") to the Endpoint
/// resource, or returns nullopt when it cannot.
using EndpointResolver = std::function<std::optional<nlohmann::json>(std::string_view reference)>;

/// Reads `imaging_study`; InputError names the field and value when the study UID or an
/// endpoint cannot be found, or a series has neither its own nor the study's endpoint.
[[nodiscard]] ImagingStudyLocation locate_imaging_study(const nlohmann::json& imaging_study,
                                                        const EndpointResolver& resolve = {});

/// The ImagingStudies that a subscription notification (already read and checked) carries as
/// the focus of its events, located. An event whose focus entry holds no resource (id-only or
/// empty payloads) is listed in `unresolved` so that the caller can read the study from the
/// EHR; a focus resource that is not an ImagingStudy is skipped (the topic decides what comes).
struct NotifiedImagingStudies {
  std::vector<ImagingStudyLocation> located;
  std::vector<std::string> unresolved;  // focus references without a resource
};
[[nodiscard]] NotifiedImagingStudies locate_notified_imaging_studies(
    const fhir::notifications::Notification& notification, const EndpointResolver& resolve = {});

/// Which series to fetch: modality codes (any of them), at least this many instances (when the
/// ImagingStudy states the count), and a body-site code when given.
struct SeriesCriteria {
  std::vector<std::string> modalities{"CT"};
  long long min_instances = 1;
  std::optional<std::string> body_site;
};

[[nodiscard]] std::vector<SeriesLocation> select_series(const ImagingStudyLocation& location,
                                                        const SeriesCriteria& criteria);

/// The DICOM files of each selected series, fetched with one WADO-RS request per series (and
/// nothing else). `client_for` gives the client for a DICOMweb base.
struct FetchedSeries {
  SeriesLocation location;
  std::vector<std::string> files;
};
[[nodiscard]] std::vector<FetchedSeries> fetch_series(
    const ImagingStudyLocation& location, const SeriesCriteria& criteria,
    const std::function<DicomwebClient&(const std::string& base)>& client_for);

}  // namespace ptwin::ingest::dicom
