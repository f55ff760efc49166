// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the NDJSON line reader of Bulk Data import (docs/bulk_data.md#import). The
// first input byte picks the line limit (1..256), the rest is the stream. The reader must
// account for every byte: each line's offset is where the previous one ended, its length and
// terminator add up to the stream's size, a kept line is never longer than the limit, a line
// over the limit keeps exactly the limit's bytes, and a kept line never holds an LF. Any
// exception, crash or sanitizer report is a finding. Seeds: tests/data/bad_inputs/ndjson
// (the first byte of a seed then acts as the limit).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t limit = static_cast<std::size_t>(data[0]) + 1;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::istringstream input(text);
  ptwin::ingest::fhir::bulk::NdjsonLineReader reader(input, limit);
  std::uint64_t expected_offset = 0;
  std::int64_t expected_number = 1;
  while (const auto line = reader.next()) {
    if (line->number != expected_number++ || line->offset != expected_offset) std::abort();
    if (line->bytes.size() > limit) std::abort();
    if (line->is_too_long != (line->length > limit)) std::abort();
    if (line->is_too_long && line->bytes.size() != limit) std::abort();
    if (!line->is_too_long && line->bytes.size() != line->length) std::abort();
    if (line->bytes.find('\n') != std::string_view::npos) std::abort();
    // The terminator: LF, CR LF (the CR dropped from a kept line), or none at the very end.
    std::uint64_t end = line->offset + line->length;
    if (end < text.size() && text[end] == '\r' && !line->is_too_long) ++end;
    if (end < text.size()) {
      if (text[end] != '\n') std::abort();
      ++end;
    }
    if (reader.bytes_read() != end) std::abort();
    expected_offset = end;
  }
  if (expected_offset != text.size()) std::abort();
  return 0;
}
