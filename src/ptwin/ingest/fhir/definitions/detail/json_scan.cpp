// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/detail/json_scan.hpp"

#include <cstddef>

namespace ptwin::ingest::fhir::definitions::detail {
namespace {

constexpr std::size_t kNotFound = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() && is_space(text[at])) ++at;
  return at;
}

// `at` is on the opening quote; returns the index just past the closing quote.
std::size_t skip_string(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kNotFound;
}

// Skips one value of any kind; returns the index just past it.
std::size_t skip_value(std::string_view text, std::size_t at) {
  if (at >= text.size()) return kNotFound;
  if (text[at] == '"') return skip_string(text, at);
  if (text[at] != '{' && text[at] != '[') {
    while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
           !is_space(text[at])) {
      ++at;
    }
    return at;
  }
  std::size_t depth = 0;
  for (std::size_t i = at; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = skip_string(text, i);
      if (i == kNotFound) return kNotFound;
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return kNotFound;
}

std::optional<std::string> unescape_simple(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (++i >= raw.size()) return std::nullopt;
    if (raw[i] != '"' && raw[i] != '\\' && raw[i] != '/') return std::nullopt;
    out += raw[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> top_level_string_member(std::string_view text, std::string_view key) {
  std::size_t at = skip_space(text, 0);
  if (at >= text.size() || text[at] != '{') return std::nullopt;
  at = skip_space(text, at + 1);
  while (at < text.size() && text[at] == '"') {
    const std::size_t key_end = skip_string(text, at);
    if (key_end == kNotFound) return std::nullopt;
    const std::string_view member = text.substr(at + 1, key_end - at - 2);
    at = skip_space(text, key_end);
    if (at >= text.size() || text[at] != ':') return std::nullopt;
    at = skip_space(text, at + 1);
    if (member == key) {
      if (at >= text.size() || text[at] != '"') return std::nullopt;
      const std::size_t value_end = skip_string(text, at);
      if (value_end == kNotFound) return std::nullopt;
      return unescape_simple(text.substr(at + 1, value_end - at - 2));
    }
    at = skip_value(text, at);
    if (at == kNotFound) return std::nullopt;
    at = skip_space(text, at);
    if (at >= text.size() || text[at] != ',') return std::nullopt;
    at = skip_space(text, at + 1);
  }
  return std::nullopt;
}

}  // namespace ptwin::ingest::fhir::definitions::detail
