// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIR R5 XML (https://hl7.org/fhir/R5/xml.html) to and from ptwin's JSON form, with libxml2.
// XML says little about types: whether an element repeats, whether a value is a number or a
// string, which element is a resource. The StructureDefinitions say it, so both directions walk
// the definitions (definitions/element_type.hpp) beside the document:
//   <birthDate id="b1" value="1970-01-01"><extension url="..">..</extension></birthDate>
//     <-> "birthDate": "1970-01-01", "_birthDate": {"id": "b1", "extension": [..]}
//   repeating elements <-> arrays (primitive arrays aligned with null), <div xmlns=xhtml> <->
//   the div's text, <resource><Patient>..</Patient></resource> <-> the Patient object.
// The JSON produced is then validated like any JSON resource; the reader checks only what it
// needs to map names and types, and refuses what it cannot map (unknown element or attribute,
// text content, a DOCTYPE) with an InputError naming the element path.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"

namespace ptwin::ingest::fhir::xml {

inline constexpr std::string_view kFhirNamespace = "http://hl7.org/fhir";
inline constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

/// The resource in `xml` as FHIR JSON. Throws InputError (BadInput) naming the path
/// ("Patient.name[0].given[1]") and the value: not well-formed XML (with libxml2's line and
/// message), a root that is not a resource in the FHIR namespace, an element or attribute the
/// definitions do not have, a repeated element whose max is 1, a value that is not of its type
/// (boolean, integer, decimal).
[[nodiscard]] nlohmann::json read_fhir_xml(std::string_view xml,
                                           const definitions::Definitions& definitions);

/// The resource as FHIR XML, elements in the order of the definitions. Throws InputError
/// naming the path of a property the definitions do not have, or of a value of the wrong JSON
/// type (write validated resources).
[[nodiscard]] std::string write_fhir_xml(const nlohmann::json& resource,
                                         const definitions::Definitions& definitions);

/// A narrative div as read_fhir_xml gives it: the markup parsed and serialised again by
/// libxml2, so that escapes are normalised (`&quot;` in text becomes `"`). Two divs are the
/// same XHTML when their canonical forms are equal. Throws InputError when the markup is not
/// well-formed.
[[nodiscard]] std::string canonical_xhtml(std::string_view markup);

}  // namespace ptwin::ingest::fhir::xml
