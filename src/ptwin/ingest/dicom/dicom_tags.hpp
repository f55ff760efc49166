// SPDX-License-Identifier: Apache-2.0
#pragma once
// The DICOM tags that the DICOMweb client and the series reader use (PS3.6 data dictionary).

#include "ptwin/ingest/dicom/dicom_json.hpp"

namespace ptwin::ingest::dicom::tags {

inline constexpr DicomTag kSopClassUid = 0x00080016;
inline constexpr DicomTag kSopInstanceUid = 0x00080018;
inline constexpr DicomTag kStudyDate = 0x00080020;
inline constexpr DicomTag kAccessionNumber = 0x00080050;
inline constexpr DicomTag kModalitiesInStudy = 0x00080061;
inline constexpr DicomTag kModality = 0x00080060;
inline constexpr DicomTag kStudyDescription = 0x00081030;
inline constexpr DicomTag kSeriesDescription = 0x0008103E;
inline constexpr DicomTag kReferencedSopClassUid = 0x00081150;
inline constexpr DicomTag kReferencedSopInstanceUid = 0x00081155;
inline constexpr DicomTag kRetrieveUrl = 0x00081190;
inline constexpr DicomTag kFailureReason = 0x00081197;
inline constexpr DicomTag kFailedSopSequence = 0x00081198;
inline constexpr DicomTag kReferencedSopSequence = 0x00081199;
inline constexpr DicomTag kWarningReason = 0x00081196;
inline constexpr DicomTag kPatientName = 0x00100010;
inline constexpr DicomTag kPatientId = 0x00100020;
inline constexpr DicomTag kStudyInstanceUid = 0x0020000D;
inline constexpr DicomTag kSeriesInstanceUid = 0x0020000E;
inline constexpr DicomTag kSeriesNumber = 0x00200011;
inline constexpr DicomTag kInstanceNumber = 0x00200013;
inline constexpr DicomTag kImagePositionPatient = 0x00200032;
inline constexpr DicomTag kImageOrientationPatient = 0x00200037;
inline constexpr DicomTag kNumberOfStudyRelatedSeries = 0x00201206;
inline constexpr DicomTag kNumberOfStudyRelatedInstances = 0x00201208;
inline constexpr DicomTag kNumberOfSeriesRelatedInstances = 0x00201209;
inline constexpr DicomTag kNumberOfFrames = 0x00280008;
inline constexpr DicomTag kRows = 0x00280010;
inline constexpr DicomTag kColumns = 0x00280011;
inline constexpr DicomTag kPixelSpacing = 0x00280030;
inline constexpr DicomTag kRescaleIntercept = 0x00281052;
inline constexpr DicomTag kRescaleSlope = 0x00281053;

}  // namespace ptwin::ingest::dicom::tags
