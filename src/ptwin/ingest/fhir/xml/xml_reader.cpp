// SPDX-License-Identifier: Apache-2.0
// FHIR XML -> JSON (fhir_xml.hpp). The document is parsed whole by libxml2 without network
// access and without entity substitution; a DOCTYPE is refused, so that no entity can expand.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/xml/detail/xml_element_rules.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"

namespace ptwin::ingest::fhir::xml {
namespace {

using definitions::ElementRef;
using detail::ContentKind;
using nlohmann::json;

struct DocumentDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct BufferDeleter {
  void operator()(xmlBuffer* buffer) const { xmlBufferFree(buffer); }
};

std::string_view text_of(const xmlChar* text) {
  return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text));
}

std::string_view name_of(const xmlNode* node) { return text_of(node->name); }

std::string_view namespace_of(const xmlNode* node) {
  return node->ns == nullptr ? std::string_view() : text_of(node->ns->href);
}

[[noreturn]] void fail(std::string_view path, std::string_view value, std::string_view rule) {
  throw InputError(ErrorCode::BadInput, std::string(path), printable_value(value),
                   std::string(rule));
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string xhtml(const xmlNode* node) {
  std::unique_ptr<xmlBuffer, BufferDeleter> buffer(xmlBufferCreate());
  xmlNodeDump(buffer.get(), node->doc, const_cast<xmlNode*>(node), 0, 0);
  std::string markup(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.get())));
  // A namespace declared on an ancestor is not repeated by xmlNodeDump; the JSON div must
  // carry it (FHIR JSON: the div's xmlns is required).
  if (markup.find("xmlns=") == std::string::npos) {
    markup.insert(4, fmt::format(" xmlns=\"{}\"", kXhtmlNamespace));
  }
  return markup;
}

std::unique_ptr<xmlDoc, DocumentDeleter> parse_document(std::string_view xml,
                                                        std::string_view what) {
  if (xml.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    fail(what, fmt::format("{} bytes", xml.size()), "is too large for an XML document");
  }
  // NONET: no fetching; no NOENT: entities are not substituted; NOERROR/NOWARNING: errors are
  // taken from the context below instead of printed. UTF-8, the only encoding of FHIR XML, also
  // makes xmlNodeDump write characters rather than character references.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> context(xmlNewParserCtxt(),
                                                                        &xmlFreeParserCtxt);
  if (!context) throw Error(ErrorCode::Internal, "libxml2 could not allocate a parser");
  std::unique_ptr<xmlDoc, DocumentDeleter> document(xmlCtxtReadMemory(
      context.get(), xml.data(), static_cast<int>(xml.size()), nullptr, "UTF-8", options));
  if (!document) {
    const xmlError* error = xmlCtxtGetLastError(context.get());
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    fail(what, error != nullptr ? fmt::format("line {}", error->line) : "",
         fmt::format("is not well-formed XML: {}", message));
  }
  if (document->intSubset != nullptr || document->extSubset != nullptr) {
    fail(what, "DOCTYPE",
         "FHIR XML has no document type declaration; it is refused so that no entity can expand");
  }
  if (xmlDocGetRootElement(document.get()) == nullptr) {
    fail(what, "", "the document has no root element");
  }
  return document;
}

class Reader {
 public:
  explicit Reader(const definitions::Definitions& definitions) : definitions_(definitions) {}

  json resource(const xmlNode* node, const std::string& path) {
    const auto type = name_of(node);
    if (namespace_of(node) != kFhirNamespace) {
      fail(path.empty() ? std::string(type) : path, namespace_of(node),
           fmt::format("the resource element must be in the FHIR namespace {}", kFhirNamespace));
    }
    if (!definitions_.is_resource_type(type)) {
      fail(path.empty() ? "resource" : path, type, "is not a FHIR R5 resource type");
    }
    const auto root = definitions::resolve_root(definitions_, type);
    if (!root) fail(path, type, "has no StructureDefinition in the package");
    json object = json::object();
    object["resourceType"] = std::string(type);
    complex_content(node, *root, path.empty() ? std::string(type) : path, object);
    return object;
  }

 private:
  // The attributes and child elements of `node` into `object`, the content of `element`.
  void complex_content(const xmlNode* node, const ElementRef& element, const std::string& path,
                       json& object) {
    for (const xmlAttr* attribute = node->properties; attribute != nullptr;
         attribute = attribute->next) {
      const auto name = name_of(reinterpret_cast<const xmlNode*>(attribute));
      const auto child = definitions::resolve_child(definitions_, element, name);
      xmlChar* value = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attribute));
      const std::string text(text_of(value));
      xmlFree(value);
      if (attribute->ns != nullptr || !child || !detail::is_attribute(*child)) {
        fail(fmt::format("{}@{}", path, name), text,
             "is not an attribute this element has in FHIR XML");
      }
      object[std::string(name)] = text;
    }
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      switch (child->type) {
        case XML_ELEMENT_NODE: element_child(child, element, path, object); break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (!is_blank(text_of(child->content))) {
            fail(path, text_of(child->content),
                 "is text inside an element; FHIR XML puts values in value attributes");
          }
          break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE: break;
        default: fail(path, "", "holds an XML node of a kind FHIR XML does not use (an entity?)");
      }
    }
  }

  void element_child(const xmlNode* node, const ElementRef& parent, const std::string& path,
                     json& object) {
    const std::string name(name_of(node));
    if (namespace_of(node) != kFhirNamespace) {
      if (name != "div") {
        fail(fmt::format("{}.{}", path, name), namespace_of(node),
             "is not in the FHIR namespace");
      }
    }
    const auto child = definitions::resolve_child(definitions_, parent, name);
    if (!child || detail::is_attribute(*child)) {
      fail(fmt::format("{}.{}", path, name), name, "is not an element of this type");
    }
    if (child->type_codes.size() != 1) {
      fail(fmt::format("{}.{}", path, name), name,
           "is a choice element: FHIR XML names it with its type (e.g. valueQuantity)");
    }
    const auto& type = child->type_codes.front();
    const auto kind = detail::content_kind(definitions_, type);
    const auto index = child->is_collection && object.contains(name) ? object[name].size() : 0;
    const auto child_path =
        child->is_collection ? fmt::format("{}.{}[{}]", path, name, index) : fmt::format("{}.{}", path, name);
    if (kind == ContentKind::Xhtml && namespace_of(node) != kXhtmlNamespace) {
      fail(child_path, namespace_of(node), fmt::format("must be in the XHTML namespace {}", kXhtmlNamespace));
    }
    if (kind == ContentKind::Primitive) {
      primitive(node, *child, type, name, child_path, object);
      return;
    }
    json value;
    switch (kind) {
      case ContentKind::Xhtml: value = xhtml(node); break;
      case ContentKind::Resource: value = wrapped_resource(node, child_path); break;
      default:
        value = json::object();
        complex_content(node, *child, child_path, value);
        break;
    }
    place(object, name, std::move(value), child->is_collection, child_path);
  }

  void place(json& object, const std::string& name, json value, bool is_collection,
             const std::string& path) {
    if (is_collection) {
      object[name].push_back(std::move(value));
      return;
    }
    if (object.contains(name)) fail(path, name, "appears twice but may appear at most once");
    object[name] = std::move(value);
  }

  // value attribute -> "name"; id attribute and extension children -> "_name", aligned with
  // null in arrays when only one of the two is there.
  void primitive(const xmlNode* node, const ElementRef& element, std::string_view type,
                 const std::string& name, const std::string& path, json& object) {
    json value;  // null when absent
    json extras = json::object();
    for (const xmlAttr* attribute = node->properties; attribute != nullptr;
         attribute = attribute->next) {
      const auto attribute_name = name_of(reinterpret_cast<const xmlNode*>(attribute));
      xmlChar* raw = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(attribute));
      const std::string text(text_of(raw));
      xmlFree(raw);
      if (attribute->ns == nullptr && attribute_name == "value") {
        value = typed_value(text, type, path);
      } else if (attribute->ns == nullptr && attribute_name == "id") {
        extras["id"] = text;
      } else {
        fail(fmt::format("{}@{}", path, attribute_name), text,
             "is not an attribute of a FHIR primitive (value, id)");
      }
    }
    // Extensions of the primitive: its type's definition holds them.
    const auto type_root = definitions::resolve_root(definitions_, type);
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_ELEMENT_NODE) {
        if (name_of(child) != "extension" || !type_root) {
          fail(fmt::format("{}.{}", path, name_of(child)), name_of(child),
               "is not allowed in a primitive element (only extension)");
        }
        element_child(child, *type_root, path, extras);
      } else if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) &&
                 !is_blank(text_of(child->content))) {
        fail(path, text_of(child->content),
             "is text inside a primitive element; its value goes in the value attribute");
      }
    }
    if (value.is_null() && extras.empty()) {
      fail(path, "", "has neither a value attribute nor an id or extension");
    }
    const auto underscore = "_" + name;
    if (!element.is_collection) {
      if (object.contains(name) || object.contains(underscore)) {
        fail(path, name, "appears twice but may appear at most once");
      }
      if (!value.is_null()) object[name] = std::move(value);
      if (!extras.empty()) object[underscore] = std::move(extras);
      return;
    }
    // Keep "name" and "_name" the same length once either exists.
    const auto length = std::max(object.contains(name) ? object[name].size() : 0,
                                 object.contains(underscore) ? object[underscore].size() : 0);
    const auto pad = [&](const std::string& key) {
      if (!object.contains(key)) object[key] = json::array();
      while (object[key].size() < length) object[key].push_back(nullptr);
    };
    if (!value.is_null() || object.contains(name)) pad(name);
    if (!extras.empty() || object.contains(underscore)) pad(underscore);
    if (!value.is_null() || object.contains(name)) object[name].push_back(value);
    if (!extras.empty() || object.contains(underscore)) {
      object[underscore].push_back(extras.empty() ? json() : std::move(extras));
    }
  }

  static json typed_value(const std::string& text, std::string_view type, const std::string& path) {
    if (type == "boolean") {
      if (text == "true") return true;
      if (text == "false") return false;
      fail(path, text, "must be true or false");
    }
    if (type == "integer" || type == "positiveInt" || type == "unsignedInt") {
      std::int64_t number = 0;
      const auto* end = text.data() + text.size();
      const auto [at, error] = std::from_chars(text.data(), end, number);
      if (error != std::errc() || at != end || text.empty()) fail(path, text, "must be an integer");
      return number;
    }
    if (type == "decimal") {
      // JSON's number grammar is the decimal's lexical form (both forbid leading '+', '.5').
      json number = json::parse(text, nullptr, false);
      if (!number.is_number()) fail(path, text, "must be a decimal number");
      return number;
    }
    return text;  // strings, dates, codes, uris, integer64 (a string in R5 JSON)
  }

  json wrapped_resource(const xmlNode* node, const std::string& path) {
    const xmlNode* inner = nullptr;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_ELEMENT_NODE) {
        if (inner != nullptr) fail(path, name_of(child), "holds more than one resource");
        inner = child;
      } else if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) &&
                 !is_blank(text_of(child->content))) {
        fail(path, text_of(child->content), "is text where a resource element belongs");
      }
    }
    if (inner == nullptr) fail(path, "", "holds no resource element");
    if (node->properties != nullptr) fail(path, name_of(node), "a resource wrapper has no attributes");
    return resource(inner, path);
  }

  const definitions::Definitions& definitions_;
};

}  // namespace

json read_fhir_xml(std::string_view xml, const definitions::Definitions& definitions) {
  const auto document = parse_document(xml, "resource");
  Reader reader(definitions);
  return reader.resource(xmlDocGetRootElement(document.get()), "");
}

std::string canonical_xhtml(std::string_view markup) {
  const auto document = parse_document(markup, "div");
  return xhtml(xmlDocGetRootElement(document.get()));
}

}  // namespace ptwin::ingest::fhir::xml
