// SPDX-License-Identifier: Apache-2.0
#pragma once
// URLs of a FHIR RESTful API (R5 http.html): a base URL, [base]/[type]/[id], search query
// strings, and the origin check that keeps paging links on the server that was asked.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ptwin::ingest::fhir {

/// One search parameter as sent: name (with modifier, e.g. "code:text") and value (with its
/// prefix or system|code, e.g. "ge2024-01-01"). Repeating a name ANDs; commas in a value OR.
using SearchParameters = std::vector<std::pair<std::string, std::string>>;

/// A server base such as "https://ehr.example.org/fhir/R5". Throws InputError naming the value
/// when it is not an absolute http(s) URL, or carries a query or fragment.
class FhirBaseUrl {
 public:
  explicit FhirBaseUrl(std::string_view url);
  [[nodiscard]] const std::string& str() const { return url_; }
  /// scheme://host[:port], lower-cased scheme and host.
  [[nodiscard]] const std::string& origin() const { return origin_; }
  /// [base]/[segments...]; segments are percent-encoded.
  [[nodiscard]] std::string join(std::initializer_list<std::string_view> segments) const;
  /// True when `url` starts with this base (same origin and path prefix).
  [[nodiscard]] bool contains(std::string_view url) const;

 private:
  std::string url_;
  std::string origin_;
};

/// RFC 3986 percent-encoding of everything but unreserved characters.
[[nodiscard]] std::string percent_encode(std::string_view text);

/// "a=1&b=x|y" from the parameters, every name and value percent-encoded, except the
/// separators FHIR gives meaning to inside a value (',' OR, '|' system|code, '$' composites) and
/// ':' and '/' of URLs and references, which RFC 3986 allows in a query as they are.
[[nodiscard]] std::string query_string(const SearchParameters& parameters);

/// A resource type name as FHIR defines it ([A-Z][A-Za-z]+); throws InputError naming `field`.
void require_resource_type(std::string_view type, std::string_view field);
/// A logical id ([A-Za-z0-9\-\.]{1,64}); throws InputError naming `field`.
void require_logical_id(std::string_view id, std::string_view field);

}  // namespace ptwin::ingest::fhir
