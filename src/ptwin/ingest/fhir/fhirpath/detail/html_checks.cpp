// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/detail/html_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

// HTML 4.01 chapters 7-11 and 15 elements, plus a and img (FHIR R5 Narrative, txt-1).
constexpr std::array<std::string_view, 50> kAllowedElements{
    "a",     "abbr",  "acronym", "address",  "b",   "big", "blockquote", "br",    "caption",
    "cite",  "code",  "col",     "colgroup", "dd",  "del", "dfn",        "div",   "dl",
    "dt",    "em",    "h1",      "h2",       "h3",  "h4",  "h5",         "h6",    "hr",
    "i",     "img",   "ins",     "kbd",      "li",  "ol",  "p",          "pre",   "q",
    "samp",  "small", "span",    "strong",   "sub", "sup", "table",      "tbody", "td",
    "tfoot", "th",    "thead",   "tr",       "ul"};
constexpr std::array<std::string_view, 4> kMoreAllowedElements{"tt", "var", "s", "u"};
constexpr std::array<std::string_view, 4> kVoidElements{"br", "hr", "img", "col"};

bool is_allowed(std::string_view name) {
  return std::find(kAllowedElements.begin(), kAllowedElements.end(), name) !=
             kAllowedElements.end() ||
         std::find(kMoreAllowedElements.begin(), kMoreAllowedElements.end(), name) !=
             kMoreAllowedElements.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

class Checker {
 public:
  explicit Checker(std::string_view text) : text_(text) {}

  bool run() {
    skip_space();
    if (text_.substr(position_, 4) != "<div") return false;
    while (position_ < text_.size()) {
      if (text_[position_] == '<') {
        if (!tag()) return false;
      } else {
        if (!std::isspace(static_cast<unsigned char>(text_[position_]))) {
          if (open_.empty()) return false;  // text after the root element
          has_content_ = true;
        }
        ++position_;
      }
    }
    return open_.empty() && closed_root_ && has_content_;
  }

 private:
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_])))
      ++position_;
  }

  bool tag() {
    if (text_.substr(position_, 4) == "<!--") {
      const auto end = text_.find("-->", position_ + 4);
      if (end == std::string_view::npos) return false;
      position_ = end + 3;
      return true;
    }
    if (closed_root_) return false;  // a second root element
    const bool closing = text_.substr(position_, 2) == "</";
    position_ += closing ? 2 : 1;
    const auto name_start = position_;
    while (position_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[position_])) != 0)) {
      ++position_;
    }
    const std::string name = lower(text_.substr(name_start, position_ - name_start));
    if (!is_allowed(name)) return false;
    if (closing) {
      skip_space();
      if (position_ >= text_.size() || text_[position_] != '>' || open_.empty() ||
          open_.back() != name) {
        return false;
      }
      ++position_;
      open_.pop_back();
      if (open_.empty()) closed_root_ = true;
      return true;
    }
    bool self_closing = false;
    if (!attributes(name, self_closing)) return false;
    if (name == "img") has_content_ = true;
    if (open_.empty() && (name != "div" || !has_xhtml_namespace_)) return false;
    const bool is_void =
        std::find(kVoidElements.begin(), kVoidElements.end(), name) != kVoidElements.end();
    if (!self_closing && !is_void) open_.push_back(name);
    if (self_closing && open_.empty()) closed_root_ = true;
    return true;
  }

  bool attributes(const std::string& element, bool& self_closing) {
    while (true) {
      skip_space();
      if (position_ >= text_.size()) return false;
      if (text_[position_] == '>') {
        ++position_;
        return true;
      }
      if (text_.substr(position_, 2) == "/>") {
        position_ += 2;
        self_closing = true;
        return true;
      }
      const auto name_start = position_;
      while (position_ < text_.size() && text_[position_] != '=' && text_[position_] != '>' &&
             !std::isspace(static_cast<unsigned char>(text_[position_])) &&
             text_[position_] != '/') {
        ++position_;
      }
      const std::string name = lower(text_.substr(name_start, position_ - name_start));
      if (name.empty() || name.rfind("on", 0) == 0) return false;  // event handlers
      std::string value;
      skip_space();
      if (position_ < text_.size() && text_[position_] == '=') {
        ++position_;
        skip_space();
        if (position_ >= text_.size() || (text_[position_] != '"' && text_[position_] != '\''))
          return false;
        const char quote = text_[position_++];
        const auto end = text_.find(quote, position_);
        if (end == std::string_view::npos) return false;
        value = lower(text_.substr(position_, end - position_));
        position_ = end + 1;
      }
      const auto scheme_start = value.find_first_not_of(" \t\r\n");
      if ((name == "href" || name == "src") && scheme_start != std::string::npos &&
          value.compare(scheme_start, 11, "javascript:") == 0) {
        return false;
      }
      if (element == "div" && open_.empty() && name == "xmlns") {
        has_xhtml_namespace_ = value == "http://www.w3.org/1999/xhtml";
      }
    }
  }

  std::string_view text_;
  std::size_t position_ = 0;
  std::vector<std::string> open_;
  bool closed_root_ = false;
  bool has_content_ = false;
  bool has_xhtml_namespace_ = false;
};

}  // namespace

bool is_safe_narrative(std::string_view xhtml) { return Checker(xhtml).run(); }

}  // namespace ptwin::ingest::fhir::fhirpath::detail
