// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: multipart/related reading (WADO-RS answers) and writing (STOW-RS requests).
// The input's first line is the Content-Type header value, the rest the body. InputError is the
// expected way to refuse input. Findings besides crashes, sanitizer reports and other
// exceptions:
//   - a part body that is not a piece of the input, or parts out of order or overlapping;
//   - parts that, written again with build_multipart_related and read back, change.
// Seeds: tests/data/bad_inputs/multipart/*.mime (docs/dicom.md#fuzzing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/multipart_related.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const auto content_type = input.substr(0, newline);
  const auto body = input.substr(newline + 1);
  try {
    const auto parts = ptwin::ingest::dicom::parse_multipart(body, content_type, "fuzz");
    const char* previous_end = body.data();
    std::vector<std::string_view> bodies;
    for (const auto& part : parts) {
      if (part.body.data() < previous_end || part.body.data() + part.body.size() > body.data() + body.size()) {
        std::abort();
      }
      previous_end = part.body.data() + part.body.size();
      bodies.push_back(part.body);
    }
    const auto rebuilt = ptwin::ingest::dicom::build_multipart_related(bodies, "application/dicom");
    const auto again = ptwin::ingest::dicom::parse_multipart(rebuilt.body, rebuilt.content_type, "rebuilt");
    if (again.size() != parts.size()) std::abort();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (again[i].body != parts[i].body) std::abort();
    }
  } catch (const ptwin::InputError& error) {
    if (std::string_view(error.what()).empty()) std::abort();
  }
  return 0;
}
