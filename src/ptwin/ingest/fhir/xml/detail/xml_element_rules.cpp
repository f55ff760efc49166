// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/xml/detail/xml_element_rules.hpp"

namespace ptwin::ingest::fhir::xml::detail {

bool is_attribute(const definitions::ElementRef& element) {
  if (element.element == nullptr) return false;
  const auto& base = element.element->base_path;
  return base == "Element.id" || base == "Extension.url";
}

ContentKind content_kind(const definitions::Definitions& definitions, std::string_view type_code) {
  if (type_code == "xhtml") return ContentKind::Xhtml;
  if (type_code == "Resource" || definitions.is_resource_type(type_code)) {
    return ContentKind::Resource;
  }
  if (definitions.is_primitive_type(type_code)) return ContentKind::Primitive;
  return ContentKind::Complex;
}

}  // namespace ptwin::ingest::fhir::xml::detail
