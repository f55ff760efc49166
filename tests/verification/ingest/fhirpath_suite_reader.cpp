// SPDX-License-Identifier: Apache-2.0
#include "fhirpath_suite_reader.hpp"
#include "ptwin/core/utf8.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>

namespace ptwin::ingest::fhir::fhirpath::testing {
namespace {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  std::vector<std::unique_ptr<XmlElement>> children;

  [[nodiscard]] std::string attribute(const std::string& key) const {
    const auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  }
};

std::string decode_entities(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos) {
      out.push_back(text[i]);
      continue;
    }
    const auto entity = text.substr(i + 1, end - i - 1);
    if (entity == "lt")
      out.push_back('<');
    else if (entity == "gt")
      out.push_back('>');
    else if (entity == "amp")
      out.push_back('&');
    else if (entity == "quot")
      out.push_back('"');
    else if (entity == "apos")
      out.push_back('\'');
    else if (!entity.empty() && entity.front() == '#') {
      const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      ptwin::utf8::append(out, static_cast<std::uint32_t>(std::stoul(
                           std::string(entity.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10)));
    } else {
      throw std::runtime_error("unknown XML entity &" + std::string(entity) + ";");
    }
    i = end;
  }
  return out;
}

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : text_(text) {}

  std::unique_ptr<XmlElement> document() {
    skip_misc();
    auto root = element();
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("XML at offset " + std::to_string(position_) + ": " + what);
  }

  bool starts(std::string_view token) const {
    return text_.substr(position_, token.size()) == token;
  }

  void skip_until(std::string_view end) {
    const auto found = text_.find(end, position_);
    if (found == std::string_view::npos) fail("missing " + std::string(end));
    position_ = found + end.size();
  }

  void skip_space() {
    while (position_ < text_.size() &&
           std::string_view(" \t\r\n").find(text_[position_]) != std::string_view::npos) {
      ++position_;
    }
  }

  // Declarations, comments and whitespace between elements.
  void skip_misc() {
    while (true) {
      skip_space();
      if (starts("<?")) {
        skip_until("?>");
      } else if (starts("<!--")) {
        skip_until("-->");
      } else {
        return;
      }
    }
  }

  std::string name() {
    const auto start = position_;
    while (position_ < text_.size() &&
           std::string_view(" \t\r\n/>=").find(text_[position_]) == std::string_view::npos) {
      ++position_;
    }
    return std::string(text_.substr(start, position_ - start));
  }

  std::unique_ptr<XmlElement> element() {
    if (!starts("<")) fail("expected an element");
    ++position_;
    auto node = std::make_unique<XmlElement>();
    node->name = name();
    while (true) {
      skip_space();
      if (starts("/>")) {
        position_ += 2;
        return node;
      }
      if (starts(">")) {
        ++position_;
        break;
      }
      const std::string key = name();
      skip_space();
      if (!starts("=")) fail("expected = after attribute " + key);
      ++position_;
      skip_space();
      const char quote = text_[position_++];
      const auto end = text_.find(quote, position_);
      if (end == std::string_view::npos) fail("unterminated attribute " + key);
      node->attributes[key] = decode_entities(text_.substr(position_, end - position_));
      position_ = end + 1;
    }
    while (true) {
      if (position_ >= text_.size()) fail("unterminated element " + node->name);
      if (starts("<!--")) {
        skip_until("-->");
      } else if (starts("<![CDATA[")) {
        const auto start = position_ + 9;
        skip_until("]]>");
        node->text += std::string(text_.substr(start, position_ - 3 - start));
      } else if (starts("</")) {
        skip_until(">");
        return node;
      } else if (starts("<")) {
        node->children.push_back(element());
      } else {
        const auto end = text_.find('<', position_);
        node->text += decode_entities(text_.substr(position_, end - position_));
        position_ = end;
      }
    }
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

std::vector<SuiteTest> read_suite(std::string_view xml) {
  const auto root = XmlReader(xml).document();
  std::vector<SuiteTest> tests;
  for (const auto& group : root->children) {
    if (group->name != "group") continue;
    for (const auto& test : group->children) {
      if (test->name != "test") continue;
      SuiteTest entry;
      entry.group = group->attribute("name");
      entry.name = test->attribute("name");
      entry.input_file = test->attribute("inputfile");
      entry.mode = test->attribute("mode");
      entry.predicate = test->attribute("predicate") == "true";
      entry.ordered = test->attribute("ordered") != "false";
      for (const auto& part : test->children) {
        if (part->name == "expression") {
          entry.expression = part->text;
          entry.invalid = part->attribute("invalid");
        } else if (part->name == "output") {
          entry.outputs.push_back(SuiteOutput{part->attribute("type"), part->text});
        }
      }
      tests.push_back(std::move(entry));
    }
  }
  return tests;
}

}  // namespace ptwin::ingest::fhir::fhirpath::testing
