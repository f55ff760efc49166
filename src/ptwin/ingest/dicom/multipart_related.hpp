// SPDX-License-Identifier: Apache-2.0
#pragma once
// multipart/related bodies (RFC 2387 over the RFC 2046 §5.1 multipart syntax), as WADO-RS
// answers and STOW-RS requests carry them (PS3.18 8.6.1.2): the boundary comes from the
// Content-Type header's parameters, each part has its own headers (Content-Type at least for
// WADO-RS) and an opaque body.
//
// The reader is strict where a lenient reading could cut a DICOM file short or splice two:
// delimiters are CRLF "--" boundary, the body must end with the close delimiter, every part has
// a header block ended by an empty line, and header lines are "name: value" in ASCII. Errors
// are InputError naming the source, the part index and the byte offset.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::dicom {

/// A media type as in a Content-Type header: type/subtype lower-cased, parameter names
/// lower-cased, values unquoted (RFC 9110 §8.3.1).
struct MediaType {
  std::string type;  // "multipart/related"
  std::map<std::string, std::string> parameters;
  [[nodiscard]] const std::string* parameter(const std::string& name) const;
};

/// Parses a Content-Type value; a malformed one throws InputError naming `source`.
[[nodiscard]] MediaType parse_media_type(std::string_view content_type, std::string_view source);

/// One part of a multipart body: its headers (names lower-cased) and a view of its body bytes
/// inside the parsed buffer (valid as long as that buffer is).
struct MultipartPart {
  std::map<std::string, std::string> headers;
  std::string_view body;
  [[nodiscard]] std::string content_type() const;  // "" when the part has none
};

/// The parts of `body` delimited by the boundary of `content_type`, which must be a
/// multipart/* media type with a valid boundary (1..70 characters, RFC 2046 bchars).
[[nodiscard]] std::vector<MultipartPart> parse_multipart(std::string_view body,
                                                         std::string_view content_type,
                                                         std::string_view source);

/// A multipart/related body of `parts`, each with Content-Type `part_type`, and the
/// Content-Type header value to send it with (type="<part_type>"; boundary=...). The boundary
/// is chosen not to occur in any part.
struct MultipartBody {
  std::string content_type;
  std::string body;
};
[[nodiscard]] MultipartBody build_multipart_related(const std::vector<std::string_view>& parts,
                                                    std::string_view part_type);

}  // namespace ptwin::ingest::dicom
