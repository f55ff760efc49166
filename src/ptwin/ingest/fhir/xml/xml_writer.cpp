// SPDX-License-Identifier: Apache-2.0
// JSON -> FHIR XML (fhir_xml.hpp), written with libxml2's text writer (it escapes), elements in
// the order of the definitions, as FHIR XML requires.

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include <memory>
#include <set>
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

[[noreturn]] void fail(std::string_view path, std::string_view value, std::string_view rule) {
  throw InputError(ErrorCode::BadInput, std::string(path), printable_value(value),
                   std::string(rule));
}

const xmlChar* as_xml(std::string_view text) { return reinterpret_cast<const xmlChar*>(text.data()); }

class Writer {
 public:
  Writer(const definitions::Definitions& definitions, xmlTextWriter* writer)
      : definitions_(definitions), writer_(writer) {}

  void resource(const json& object, const std::string& path, bool is_top) {
    if (!object.is_object() || !object.contains("resourceType") ||
        !object["resourceType"].is_string()) {
      fail(path.empty() ? "resource" : path, object.dump().substr(0, 64),
           "is not a FHIR resource (an object with a resourceType)");
    }
    const auto type = object["resourceType"].get<std::string>();
    const auto root = definitions::resolve_root(definitions_, type);
    if (!root || !definitions_.is_resource_type(type)) {
      fail(path.empty() ? "resourceType" : path + ".resourceType", type,
           "is not a FHIR R5 resource type");
    }
    const auto here = path.empty() ? type : path;
    check(xmlTextWriterStartElement(writer_, as_xml(type.c_str())), here);
    if (is_top) {
      check(xmlTextWriterWriteAttribute(writer_, as_xml("xmlns"),
                                        as_xml(std::string(kFhirNamespace).c_str())),
            here);
    }
    content(object, *root, here, true);
    check(xmlTextWriterEndElement(writer_), here);
  }

 private:
  static void check(int status, std::string_view path) {
    if (status < 0) throw Error(ErrorCode::Internal, fmt::format("{}: libxml2 could not write XML", path));
  }

  void content(const json& object, const ElementRef& element, const std::string& path,
               bool is_resource) {
    if (!object.is_object()) fail(path, object.dump().substr(0, 64), "must be a JSON object");
    std::set<std::string> written;
    if (is_resource) written.insert("resourceType");
    const auto children = definitions::children_of(definitions_, element);
    for (const auto& child : children) {
      if (!detail::is_attribute(child) || !object.contains(child.element->name)) continue;
      const auto& value = object[child.element->name];
      if (!value.is_string()) fail(path + "." + child.element->name, value.dump(), "must be a string");
      check(xmlTextWriterWriteAttribute(writer_, as_xml(child.element->name.c_str()),
                                        as_xml(value.get_ref<const std::string&>().c_str())),
            path);
      written.insert(child.element->name);
    }
    for (const auto& child : children) {
      if (detail::is_attribute(child)) continue;
      if (child.is_choice()) {
        for (const auto& type : child.element->types) {
          const auto name = definitions::choice_json_name(child.element->choice_stem(), type.code);
          auto narrowed = definitions::narrow_to_type(child, type.code);
          if (narrowed) element_values(object, name, *narrowed, path, written);
        }
      } else {
        element_values(object, child.element->name, child, path, written);
      }
    }
    for (const auto& [key, value] : object.items()) {
      if (!written.contains(key)) {
        fail(path + "." + key, key, "is not an element of this type; it cannot be written as XML");
      }
    }
  }

  void element_values(const json& object, const std::string& name, const ElementRef& child,
                      const std::string& path, std::set<std::string>& written) {
    const auto underscore = "_" + name;
    const bool has_value = object.contains(name);
    const bool has_extras = object.contains(underscore);
    if (!has_value && !has_extras) return;
    written.insert(name);
    written.insert(underscore);
    if (child.type_codes.size() != 1) fail(path + "." + name, name, "has no single type");
    const auto& type = child.type_codes.front();
    const json none;
    if (!child.is_collection) {
      one_value(has_value ? object[name] : none, has_extras ? object[underscore] : none, name, type,
                child, path + "." + name);
      return;
    }
    const auto& values = has_value ? object[name] : none;
    const auto& extras = has_extras ? object[underscore] : none;
    if ((has_value && !values.is_array()) || (has_extras && !extras.is_array())) {
      fail(path + "." + name, name, "repeats, so its JSON value must be an array");
    }
    const auto count = std::max(has_value ? values.size() : 0, has_extras ? extras.size() : 0);
    for (std::size_t i = 0; i < count; ++i) {
      one_value(has_value && i < values.size() ? values[i] : none,
                has_extras && i < extras.size() ? extras[i] : none, name, type, child,
                fmt::format("{}.{}[{}]", path, name, i));
    }
  }

  void one_value(const json& value, const json& extras, const std::string& name,
                 const std::string& type, const ElementRef& child, const std::string& path) {
    const auto kind = detail::content_kind(definitions_, type);
    if (kind == ContentKind::Primitive) {
      primitive(value, extras, name, type, path);
      return;
    }
    if (!extras.is_null()) fail("_" + path, name, "only primitive elements have a '_' companion");
    switch (kind) {
      case ContentKind::Xhtml: xhtml(value, path); return;
      case ContentKind::Resource:
        check(xmlTextWriterStartElement(writer_, as_xml(name.c_str())), path);
        resource(value, path, false);
        check(xmlTextWriterEndElement(writer_), path);
        return;
      default:
        check(xmlTextWriterStartElement(writer_, as_xml(name.c_str())), path);
        content(value, child, path, false);
        check(xmlTextWriterEndElement(writer_), path);
    }
  }

  void primitive(const json& value, const json& extras, const std::string& name,
                 const std::string& type, const std::string& path) {
    if (value.is_null() && extras.is_null()) return;
    check(xmlTextWriterStartElement(writer_, as_xml(name.c_str())), path);
    if (!extras.is_null()) {
      if (!extras.is_object()) fail(path, extras.dump().substr(0, 64), "its '_' companion must be an object");
      if (extras.contains("id")) {
        if (!extras["id"].is_string()) fail(path + ".id", extras["id"].dump(), "must be a string");
        check(xmlTextWriterWriteAttribute(writer_, as_xml("id"),
                                          as_xml(extras["id"].get_ref<const std::string&>().c_str())),
              path);
      }
    }
    if (!value.is_null()) {
      std::string text;
      if (value.is_string()) {
        text = value.get<std::string>();
      } else if (value.is_boolean() || value.is_number()) {
        text = value.dump();
      } else {
        fail(path, value.dump().substr(0, 64), "a primitive value must be a string, number or boolean");
      }
      check(xmlTextWriterWriteAttribute(writer_, as_xml("value"), as_xml(text.c_str())), path);
    }
    if (!extras.is_null()) {
      const auto type_root = definitions::resolve_root(definitions_, type);
      for (const auto& [key, item] : extras.items()) {
        if (key == "id") continue;
        if (key != "extension" || !type_root) {
          fail(path + "." + key, key, "a primitive's '_' companion holds only id and extension");
        }
      }
      if (extras.contains("extension") && type_root) {
        const auto extension = definitions::resolve_child(definitions_, *type_root, "extension");
        std::set<std::string> ignored;
        element_values(extras, "extension", *extension, path, ignored);
      }
    }
    check(xmlTextWriterEndElement(writer_), path);
  }

  void xhtml(const json& value, const std::string& path) {
    if (!value.is_string()) fail(path, value.dump().substr(0, 64), "the narrative div must be a string");
    const auto& markup = value.get_ref<const std::string&>();
    // Written raw, so it must be well-formed on its own.
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> parsed(
        xmlReadMemory(markup.data(), static_cast<int>(markup.size()), nullptr, nullptr,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
        &xmlFreeDoc);
    if (!parsed || parsed->intSubset != nullptr) {
      fail(path, markup.substr(0, 64), "is not well-formed XHTML");
    }
    check(xmlTextWriterWriteRaw(writer_, as_xml(markup.c_str())), path);
  }

  const definitions::Definitions& definitions_;
  xmlTextWriter* writer_;
};

}  // namespace

std::string write_fhir_xml(const json& resource, const definitions::Definitions& definitions) {
  std::unique_ptr<xmlBuffer, decltype(&xmlBufferFree)> buffer(xmlBufferCreate(), &xmlBufferFree);
  if (!buffer) throw Error(ErrorCode::Internal, "libxml2 could not allocate a buffer");
  std::unique_ptr<xmlTextWriter, decltype(&xmlFreeTextWriter)> writer(
      xmlNewTextWriterMemory(buffer.get(), 0), &xmlFreeTextWriter);
  if (!writer) throw Error(ErrorCode::Internal, "libxml2 could not create a writer");
  if (xmlTextWriterStartDocument(writer.get(), nullptr, "UTF-8", nullptr) < 0) {
    throw Error(ErrorCode::Internal, "libxml2 could not start the document");
  }
  Writer(definitions, writer.get()).resource(resource, "", true);
  if (xmlTextWriterEndDocument(writer.get()) < 0) {
    throw Error(ErrorCode::Internal, "libxml2 could not end the document");
  }
  writer.reset();  // flushes into the buffer
  return {reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
          static_cast<std::size_t>(xmlBufferLength(buffer.get()))};
}

}  // namespace ptwin::ingest::fhir::xml
