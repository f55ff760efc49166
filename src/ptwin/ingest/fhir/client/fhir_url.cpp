// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/client/fhir_url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir {
namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string encode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || keep.find(ch) != std::string_view::npos) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4U]);
      out.push_back(kHex[c & 0x0FU]);
    }
  }
  return out;
}

}  // namespace

FhirBaseUrl::FhirBaseUrl(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto scheme = scheme_end == std::string_view::npos ? std::string()
                                                           : to_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    throw InputError(ErrorCode::BadInput, "fhir.base_url", printable_value(url),
                     "must be an absolute http:// or https:// URL");
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    throw InputError(ErrorCode::BadInput, "fhir.base_url", printable_value(url),
                     "must not carry a query or fragment");
  }
  const auto host_start = scheme_end + 3;
  const auto path_start = url.find('/', host_start);
  const auto authority = url.substr(host_start, path_start == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : path_start - host_start);
  if (authority.empty() || authority.find_first_of(" @") != std::string_view::npos) {
    throw InputError(ErrorCode::BadInput, "fhir.base_url", printable_value(url),
                     "needs a host (and no user information)");
  }
  origin_ = scheme + "://" + to_lower(authority);
  auto path = path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url_ = origin_ + std::string(path);
}

std::string FhirBaseUrl::join(std::initializer_list<std::string_view> segments) const {
  std::string out = url_;
  for (const auto segment : segments) {
    out.push_back('/');
    out += encode(segment, "$");  // "$everything" and "_history" stay readable
  }
  return out;
}

bool FhirBaseUrl::contains(std::string_view url) const {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const auto path_start = url.find('/', scheme_end + 3);
  const auto origin = to_lower(url.substr(0, path_start));
  if (origin != origin_) return false;
  const auto path = path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  const std::string_view base_path = std::string_view(url_).substr(origin_.size());
  return path.starts_with(base_path) &&
         (path.size() == base_path.size() || path[base_path.size()] == '/' ||
          path[base_path.size()] == '?');
}

std::string percent_encode(std::string_view text) { return encode(text, ""); }

std::string query_string(const SearchParameters& parameters) {
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out.push_back('&');
    out += encode(name, ":.");
    out.push_back('=');
    out += encode(value, ",|:$/");
  }
  return out;
}

void require_resource_type(std::string_view type, std::string_view field) {
  const bool is_valid = type.size() >= 2 && type.size() <= 64 &&
                        std::isupper(static_cast<unsigned char>(type[0])) != 0 &&
                        std::all_of(type.begin(), type.end(), [](char c) {
                          return std::isalpha(static_cast<unsigned char>(c)) != 0;
                        });
  if (!is_valid) {
    throw InputError(ErrorCode::BadInput, std::string(field), printable_value(type),
                     "is not a FHIR resource type name (letters, starting upper case)");
  }
}

void require_logical_id(std::string_view id, std::string_view field) {
  const bool is_valid = !id.empty() && id.size() <= 64 &&
                        std::all_of(id.begin(), id.end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ||
                                 c == '.';
                        });
  if (!is_valid) {
    throw InputError(ErrorCode::BadInput, std::string(field), printable_value(id),
                     "is not a FHIR logical id (1-64 of A-Z a-z 0-9 - .)");
  }
}

}  // namespace ptwin::ingest::fhir
