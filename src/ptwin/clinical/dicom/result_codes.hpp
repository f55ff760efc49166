// SPDX-License-Identifier: Apache-2.0
#pragma once
// The codes that ptwin's DICOM SEG and SR carry, in one table (docs/dicom.md#writing-seg-and-sr
// lists them with their context groups). Standard codes come from DICOM PS3.16 (2026a) as
// cited; where PS3.16 has no concept for a quantity, a local code in the scheme kLocalScheme is
// used, and that scheme is declared in the SR's Coding Scheme Identification Sequence.

#include <string_view>

#include "ptwin/clinical/dicom/coded_concept.hpp"

namespace ptwin::clinical::dicom::codes {

/// Local coding scheme ("99" prefix: private, PS3.16 Section 8.2) for concepts PS3.16 lacks.
inline constexpr std::string_view kLocalScheme = "99PTWIN";
inline constexpr std::string_view kLocalSchemeName = "ptwin local codes";

// --- Segmentation (PS3.3 C.8.20.4, Segment Sequence) ---
/// CID 7150 Segmentation Property Category.
inline const CodedConcept kCategoryTissue{"85756007", "SCT", "Tissue"};
/// CID 7166 Common Tissue Segmentation Types, included in CID 7151 through CID 7191.
inline const CodedConcept kTypeBloodVessel{"59820001", "SCT", "Blood vessel"};
/// CID 7203 Image Derivation: Derivation Code of the Derivation Image Functional Group.
inline const CodedConcept kDerivationSegmentation{"113076", "DCM", "Segmentation"};
/// CID 7202 Source Image Purpose of Reference.
inline const CodedConcept kPurposeSourceForProcessing{
    "121322", "DCM", "Source image for image processing operation"};
/// CID 7162 Surface Processing Algorithm Families: Algorithm Family Code of the Segmentation
/// Algorithm Identification Sequence (thresholds and region growing, or trained networks).
inline const CodedConcept kAlgorithmFamilyHistogramAnalysis{"123105", "DCM", "Histogram Analysis"};
inline const CodedConcept kAlgorithmFamilyArtificialIntelligence{"123110", "DCM",
                                                                 "Artificial Intelligence"};

// --- Measurement report (TID 1500 / TID 1411 / TID 1419) ---
/// CID 7470 Linear Measurements (included in CID 7469, TID 1411's measurement group): the
/// lumen diameter, qualified by a Derivation modifier (mean or minimum over the segment).
inline const CodedConcept kDiameter{"81827009", "SCT", "Diameter"};
/// No PS3.16 concept names the percent diameter reduction of a stenosis as a quantity; the
/// method is standard (CID 3804 Stenosis Measurement Method, kDiameterBasedMethod).
// Code Value is SH: at most 16 characters (PS3.3 8.1).
inline const CodedConcept kDiameterStenosis{"diam-stenosis", std::string(kLocalScheme),
                                            "Diameter stenosis"};
/// CID 3804 Stenosis Measurement Method.
inline const CodedConcept kDiameterBasedMethod{"122651", "DCM", "Diameter Based Method"};
/// CID 3617 (Blood Velocity / Pressure Measurements in cardiac catheterisation): the mean
/// pressure gradient; here the cycle-averaged drop along the segment predicted by a model.
inline const CodedConcept kGradientPressureAverage{"122197", "DCM", "Gradient pressure, average"};
/// CID 3617: the peak pressure gradient; here the largest drop over the cycle.
inline const CodedConcept kGradientPressurePeak{"122198", "DCM", "Gradient pressure, peak"};
/// TID 1411 Row 3b Finding: what the measured region is.
inline const CodedConcept kFindingBloodVessel = kTypeBloodVessel;
/// CID 7464 General Region of Interest Measurement Modifiers (Derivation).
inline const CodedConcept kDerivationMean{"373098007", "SCT", "Mean"};
inline const CodedConcept kDerivationMinimum{"255605001", "SCT", "Minimum"};
/// CID 7181 Abstract Multi-dimensional Image Model Component Units (UCUM).
inline const CodedConcept kUnitMillimetre{"mm", "UCUM", "millimeter"};
inline const CodedConcept kUnitPercent{"%", "UCUM", "Percent"};
inline const CodedConcept kUnitMmHg{"mm[Hg]", "UCUM", "mmHg"};

}  // namespace ptwin::clinical::dicom::codes
