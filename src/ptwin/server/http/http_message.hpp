// SPDX-License-Identifier: Apache-2.0
#pragma once
// HTTP requests and responses as plain values, so that handlers (the FHIR facade, the
// dashboard API) and their tests need no networking library.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ptwin::server {

/// Header names compare case-insensitively (RFC 9110 section 5.1).
struct HeaderNameLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using HttpHeaders = std::map<std::string, std::string, HeaderNameLess>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  HttpHeaders headers;
  std::string body;
  std::string remote_address;

  /// The target before '?', percent-decoded segment by segment is left to the router.
  [[nodiscard]] std::string_view path() const;
  /// The raw query after '?', or "".
  [[nodiscard]] std::string_view query() const;
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;

  [[nodiscard]] static HttpResponse with_body(int status, std::string content_type,
                                              std::string body);
};

/// name=value pairs of a query string, percent-decoded ('+' is a space, as browsers send
/// forms), in order; a name without '=' has an empty value. Throws InputError naming the
/// query for a broken escape (%G1, a truncated %4).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

/// Percent-decodes one path segment or query component; throws InputError on a bad escape.
[[nodiscard]] std::string percent_decode(std::string_view text, bool is_plus_space);

}  // namespace ptwin::server
