// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the FHIR XML reader and writer share: which elements are XML attributes, and the kind
// of content an element's type gives it.

#include <string_view>

#include "ptwin/ingest/fhir/definitions/element_type.hpp"

namespace ptwin::ingest::fhir::xml::detail {

enum class ContentKind {
  Primitive,  // value attribute (+ id attribute and extension children)
  Xhtml,      // the xhtml div, kept as markup
  Resource,   // a wrapper element holding one resource element
  Complex,    // child elements
};

/// Element.id and Extension.url are written as attributes of their parent element.
[[nodiscard]] bool is_attribute(const definitions::ElementRef& element);

/// The kind of content of an element holding one type (`type_code`).
[[nodiscard]] ContentKind content_kind(const definitions::Definitions& definitions,
                                       std::string_view type_code);

}  // namespace ptwin::ingest::fhir::xml::detail
