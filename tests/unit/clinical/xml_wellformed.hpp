// SPDX-License-Identifier: Apache-2.0
#pragma once
// A small XML 1.0 well-formedness checker for tests: one root element, properly nested and
// matching tags, quoted and unique attributes, no stray '<' or '&', entity references limited to
// the five predefined ones and numeric character references. It does not resolve DTDs or
// namespaces; `<!DOCTYPE html>` is accepted before the root so HTML5 output can be checked.

#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::clinical::report::testing {

class XmlChecker {
 public:
  explicit XmlChecker(std::string_view text) : text_(text) {}

  /// Empty if `text` is well-formed; otherwise the first problem and its byte offset.
  std::optional<std::string> check() {
    skip_misc();
    if (starts_with("<!DOCTYPE")) {
      const auto end = text_.find('>', pos_);
      if (end == std::string_view::npos) return fail("unterminated DOCTYPE");
      pos_ = end + 1;
      skip_misc();
    }
    if (!starts_with("<")) return fail("expected the root element");
    if (auto error = element()) return error;
    skip_misc();
    if (pos_ != text_.size()) return fail("content after the root element");
    return std::nullopt;
  }

 private:
  std::optional<std::string> fail(std::string_view what) const {
    return std::string(what) + " at byte " + std::to_string(pos_);
  }
  bool starts_with(std::string_view prefix) const { return text_.substr(pos_).starts_with(prefix); }
  static bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':' ||
           c == '.';
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }
  /// Whitespace, comments and processing instructions between top-level constructs.
  void skip_misc() {
    for (;;) {
      skip_space();
      if (starts_with("<!--")) {
        const auto end = text_.find("-->", pos_ + 4);
        pos_ = end == std::string_view::npos ? text_.size() : end + 3;
      } else if (starts_with("<?")) {
        const auto end = text_.find("?>", pos_ + 2);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }
  std::string name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  std::optional<std::string> reference() {
    const auto end = text_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) return fail("'&' without ';'");
    const std::string_view entity = text_.substr(pos_ + 1, end - pos_ - 1);
    static const std::set<std::string_view> kPredefined{"amp", "lt", "gt", "quot", "apos"};
    bool is_valid = kPredefined.contains(entity);
    if (!is_valid && entity.size() > 1 && entity[0] == '#') {
      const bool is_hex = entity[1] == 'x';
      const std::string_view digits = entity.substr(is_hex ? 2 : 1);
      is_valid = !digits.empty();
      for (const char c : digits) {
        is_valid = is_valid && (is_hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                                       : std::isdigit(static_cast<unsigned char>(c)) != 0);
      }
    }
    if (!is_valid) return fail("unknown entity '&" + std::string(entity) + ";'");
    pos_ = end + 1;
    return std::nullopt;
  }
  std::optional<std::string> attributes(bool& is_empty_element) {
    std::set<std::string> seen;
    for (;;) {
      skip_space();
      if (starts_with("/>")) {
        pos_ += 2;
        is_empty_element = true;
        return std::nullopt;
      }
      if (starts_with(">")) {
        ++pos_;
        return std::nullopt;
      }
      const std::string attribute = name();
      if (attribute.empty()) return fail("expected an attribute name");
      if (!seen.insert(attribute).second) return fail("duplicate attribute '" + attribute + "'");
      skip_space();
      if (!starts_with("=")) return fail("attribute without '='");
      ++pos_;
      skip_space();
      if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) {
        return fail("unquoted attribute value");
      }
      const char quote = text_[pos_++];
      while (pos_ < text_.size() && text_[pos_] != quote) {
        if (text_[pos_] == '<') return fail("'<' in an attribute value");
        if (text_[pos_] == '&') {
          if (auto error = reference()) return error;
        } else {
          ++pos_;
        }
      }
      if (pos_ >= text_.size()) return fail("unterminated attribute value");
      ++pos_;
    }
  }
  std::optional<std::string> element() {
    std::vector<std::string> open;
    do {
      if (starts_with("<!--")) {
        const auto end = text_.find("-->", pos_ + 4);
        if (end == std::string_view::npos) return fail("unterminated comment");
        pos_ = end + 3;
      } else if (starts_with("<![CDATA[")) {
        const auto end = text_.find("]]>", pos_);
        if (end == std::string_view::npos) return fail("unterminated CDATA");
        pos_ = end + 3;
      } else if (starts_with("</")) {
        pos_ += 2;
        const std::string closing = name();
        if (open.empty() || open.back() != closing) {
          return fail("end tag '" + closing + "' does not match '" +
                      (open.empty() ? std::string() : open.back()) + "'");
        }
        open.pop_back();
        skip_space();
        if (!starts_with(">")) return fail("malformed end tag");
        ++pos_;
      } else if (starts_with("<")) {
        ++pos_;
        const std::string tag = name();
        if (tag.empty()) return fail("'<' not followed by a tag name");
        bool is_empty_element = false;
        if (auto error = attributes(is_empty_element)) return error;
        if (!is_empty_element) open.push_back(tag);
      } else if (starts_with("&")) {
        if (auto error = reference()) return error;
      } else if (pos_ >= text_.size()) {
        return fail("unclosed element '" + open.back() + "'");
      } else {
        ++pos_;
      }
    } while (!open.empty());
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

/// Empty if `text` is a well-formed XML document (optionally with an HTML5 DOCTYPE).
inline std::optional<std::string> xml_wellformedness_error(std::string_view text) {
  return XmlChecker(text).check();
}

}  // namespace ptwin::clinical::report::testing
