// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/multipart_related.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::dicom {
namespace {

constexpr std::size_t kMaxBoundary = 70;      // RFC 2046 §5.1.1
constexpr std::size_t kMaxHeaderBytes = 8192;  // one part's header block
constexpr std::string_view kCrlf = "\r\n";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9110 token characters.
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// RFC 2046 bchars.
bool is_boundary_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

[[noreturn]] void fail(std::string_view source, std::string where, std::string_view value,
                       std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", source, where),
                   printable_value(value), std::move(rule));
}

// Reads `name=value` or `name="quoted value"` starting at `text`; returns the rest.
std::string_view read_parameter(std::string_view text, MediaType& media, std::string_view source) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) fail(source, "Content-Type parameter", text, "name=value");
  const auto name = trim(text.substr(0, equals));
  if (!is_token(name)) fail(source, "Content-Type parameter name", name, "a token (RFC 9110)");
  text.remove_prefix(equals + 1);
  text = trim(text);
  std::string value;
  if (!text.empty() && text.front() == '"') {
    std::size_t i = 1;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value.push_back(text[i]);
    }
    if (i >= text.size()) fail(source, "Content-Type parameter " + std::string(name), text,
                                "a quoted string ends with '\"'");
    text.remove_prefix(i + 1);
    text = trim(text);
  } else {
    const auto end = std::min(text.find(';'), text.size());
    const auto token = trim(text.substr(0, end));
    if (!is_token(token)) fail(source, "Content-Type parameter " + std::string(name), token,
                               "a token or a quoted string");
    value = std::string(token);
    text.remove_prefix(end);
  }
  if (!text.empty() && text.front() != ';') {
    fail(source, "Content-Type parameter " + std::string(name), text, "parameters are separated by ';'");
  }
  const auto key = lower(name);
  if (media.parameters.contains(key)) fail(source, "Content-Type parameter", name, "given once");
  media.parameters.emplace(key, std::move(value));
  return text;
}

// Header lines "name: value" up to the empty line; returns the offset after it.
std::size_t read_headers(std::string_view body, std::size_t at, MultipartPart& part,
                         std::string_view source, std::size_t index) {
  const auto where = [&](std::size_t offset) { return fmt::format("part {} at byte {}", index, offset); };
  const auto end = body.find("\r\n\r\n", at);
  // A part with no headers starts with the empty line itself.
  if (body.substr(at, 2) == kCrlf) return at + 2;
  if (end == std::string_view::npos || end - at > kMaxHeaderBytes) {
    fail(source, where(at), body.substr(at, 64),
         fmt::format("a part's headers end with an empty line within {} bytes", kMaxHeaderBytes));
  }
  std::size_t line_start = at;
  while (line_start < end + 2) {
    const auto line_end = body.find(kCrlf, line_start);
    const auto line = body.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      fail(source, where(line_start), line, "a header line is 'name: value'");
    }
    const auto value = trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; })) {
      fail(source, where(line_start), line, "a header value holds no control characters");
    }
    part.headers[lower(line.substr(0, colon))] = std::string(value);
    line_start = line_end + 2;
  }
  return end + 4;
}

}  // namespace

const std::string* MediaType::parameter(const std::string& name) const {
  const auto found = parameters.find(name);
  return found == parameters.end() ? nullptr : &found->second;
}

MediaType parse_media_type(std::string_view content_type, std::string_view source) {
  MediaType media;
  const auto semicolon = std::min(content_type.find(';'), content_type.size());
  const auto type = trim(content_type.substr(0, semicolon));
  const auto slash = type.find('/');
  if (slash == std::string_view::npos || !is_token(type.substr(0, slash)) ||
      !is_token(type.substr(slash + 1))) {
    fail(source, "Content-Type", content_type, "type/subtype (RFC 9110 §8.3.1)");
  }
  media.type = lower(type);
  auto rest = content_type.substr(semicolon);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // ';'
    rest = trim(rest);
    if (rest.empty()) break;  // a trailing ';' is common and harmless
    rest = read_parameter(rest, media, source);
  }
  return media;
}

std::string MultipartPart::content_type() const {
  const auto found = headers.find("content-type");
  return found == headers.end() ? std::string() : found->second;
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view content_type,
                                           std::string_view source) {
  const auto media = parse_media_type(content_type, source);
  if (!media.type.starts_with("multipart/")) {
    fail(source, "Content-Type", content_type, "a multipart/* media type");
  }
  const auto* boundary = media.parameter("boundary");
  if (boundary == nullptr) fail(source, "Content-Type", content_type, "has a boundary parameter");
  if (boundary->empty() || boundary->size() > kMaxBoundary ||
      !std::all_of(boundary->begin(), boundary->end(), is_boundary_char) ||
      boundary->back() == ' ') {
    fail(source, "Content-Type boundary", *boundary,
         "1 to 70 characters of RFC 2046 bchars, not ending in a space");
  }
  const std::string dash_boundary = "--" + *boundary;
  const std::string delimiter = "\r\n" + dash_boundary;

  // The first delimiter may open the body (no preamble) or follow a preamble and a CRLF.
  std::size_t at = 0;
  if (body.substr(0, dash_boundary.size()) == dash_boundary) {
    at = dash_boundary.size();
  } else {
    const auto first = body.find(delimiter);
    if (first == std::string_view::npos) {
      fail(source, "body", body.substr(0, 64), fmt::format("holds the boundary '{}'", *boundary));
    }
    at = first + delimiter.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    // After a boundary: "--" closes, else optional transport padding then CRLF opens a part.
    if (body.substr(at, 2) == "--") return parts;  // the epilogue is ignored (RFC 2046)
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (body.substr(at, 2) != kCrlf) {
      fail(source, fmt::format("part {} at byte {}", parts.size(), at), body.substr(at, 16),
           at >= body.size() ? "the body ends with the close delimiter '--boundary--'"
                             : "a boundary line ends with CRLF");
    }
    at += 2;
    MultipartPart part;
    at = read_headers(body, at, part, source, parts.size());
    const auto next = body.find(delimiter, at);
    if (next == std::string_view::npos) {
      fail(source, fmt::format("part {} at byte {}", parts.size(), at),
           fmt::format("{} bytes", body.size() - at),
           "the body ends with the close delimiter '--boundary--' (truncated?)");
    }
    part.body = body.substr(at, next - at);
    parts.push_back(std::move(part));
    at = next + delimiter.size();
  }
}

MultipartBody build_multipart_related(const std::vector<std::string_view>& parts,
                                      std::string_view part_type) {
  static std::atomic<unsigned long long> counter{0};
  const auto stamp = static_cast<unsigned long long>(
      std::chrono::steady_clock::now().time_since_epoch().count());
  std::string boundary;
  for (int attempt = 0;; ++attempt) {
    boundary = fmt::format("ptwin-{:x}-{:x}-{}", stamp, counter.fetch_add(1), attempt);
    const std::string needle = "--" + boundary;
    if (std::none_of(parts.begin(), parts.end(),
                     [&](std::string_view part) { return part.find(needle) != std::string_view::npos; })) {
      break;
    }
  }
  MultipartBody out;
  out.content_type =
      fmt::format("multipart/related; type=\"{}\"; boundary={}", part_type, boundary);
  std::size_t total = 0;
  for (const auto part : parts) total += part.size() + boundary.size() + part_type.size() + 40;
  out.body.reserve(total + boundary.size() + 8);
  for (const auto part : parts) {
    out.body.append("--").append(boundary).append("\r\nContent-Type: ").append(part_type);
    out.body.append("\r\n\r\n").append(part).append("\r\n");
  }
  out.body.append("--").append(boundary).append("--\r\n");
  return out;
}

}  // namespace ptwin::ingest::dicom
