// SPDX-License-Identifier: Apache-2.0
#pragma once
// How one value selected by a SearchParameter expression becomes index rows, by the
// parameter's type (R5 search.html#ptypes, "the element types each parameter type indexes"):
//   string    string-like primitives; HumanName (family, given, prefix, suffix, text);
//             Address (line, city, district, state, postalCode, country, text)
//   token     code/string/id/uri/boolean primitives; Coding; CodeableConcept (each coding and
//             its text); CodeableReference.concept; Identifier; ContactPoint (value)
//   date      date, dateTime, instant (the range their precision covers); Period; Timing
//             (events and repeat.boundsPeriod)
//   number    integer family and decimal (decimal keeps its implicit range)
//   quantity  Quantity and its profiles (Age, Duration, ...); Money (currency as the code)
//   reference Reference (local "Type/id[/_history/v]" or absolute URL); canonical and uri
//   uri       uri, url, canonical, oid, uuid
// Values of other types add nothing: the official expressions sometimes select elements the
// parameter type cannot index (a Reference's identifier, a Range), and the specification leaves
// those unindexed.

#include <string>

#include "ptwin/ingest/fhir/fhirpath/value.hpp"
#include "ptwin/store/fhir/index_rows.hpp"

namespace ptwin::ingest::fhir::indexing {

/// The FHIR search parameter types that have index rows.
enum class IndexedType { String, Token, Date, Number, Quantity, Reference, Uri };

/// Appends the rows of `item` for parameter `param` of type `type` to `rows`. Throws
/// InputError (BadInput) naming the parameter when a value has a broken lexical form (a date
/// the store cannot read), which validation should have caught first.
void append_rows(const fhirpath::Item& item, const std::string& param, IndexedType type,
                 store::fhir::IndexRows& rows);

}  // namespace ptwin::ingest::fhir::indexing
