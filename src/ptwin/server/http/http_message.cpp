// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/http/http_message.hpp"

#include <algorithm>
#include <cctype>

#include "ptwin/core/error.hpp"

namespace ptwin::server {

bool HeaderNameLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view HttpRequest::path() const {
  const std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
  const std::string_view t = target;
  const auto mark = t.find('?');
  return mark == std::string_view::npos ? std::string_view() : t.substr(mark + 1);
}

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

HttpResponse HttpResponse::with_body(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers["Content-Type"] = std::move(content_type);
  response.body = std::move(body);
  return response;
}

std::string percent_decode(std::string_view text, bool is_plus_space) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool has_two_digits = i + 2 < text.size();
      const int high = has_two_digits ? hex(text[i + 1]) : -1;
      const int low = has_two_digits ? hex(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        throw InputError(ErrorCode::BadInput, "request URL", printable_value(text),
                         "has a broken percent-escape (expected %XX with two hex digits)");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(is_plus_space && c == '+' ? ' ' : c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    out.emplace_back(percent_decode(part.substr(0, eq), true),
                     eq == std::string_view::npos ? std::string()
                                                  : percent_decode(part.substr(eq + 1), true));
  }
  return out;
}

}  // namespace ptwin::server
