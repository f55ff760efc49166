// SPDX-License-Identifier: Apache-2.0
#pragma once
// htmlChecks() (FHIR R5 §"FHIRPath functions"): whether a narrative div keeps to the rules of
// FHIR R5 §2.1.28.0 Narrative (txt-1, txt-2): an XHTML <div> root, only the basic formatting
// elements of HTML 4 (chapters 7-11 and 15), anchors, images and style attributes; no scripts,
// forms, event handlers or javascript: links; and some non-whitespace content.
//
// This is a structural check on the markup, not an XML parser: it checks that tags are
// balanced and allowed, and reads attribute names and values.

#include <string_view>

namespace ptwin::ingest::fhir::fhirpath::detail {

[[nodiscard]] bool is_safe_narrative(std::string_view xhtml);

}  // namespace ptwin::ingest::fhir::fhirpath::detail
