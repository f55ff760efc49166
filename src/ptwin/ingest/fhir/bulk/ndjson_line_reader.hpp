// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads newline-delimited JSON (application/fhir+ndjson, Bulk Data IG v2 "File Format") one
// line at a time from a stream of any size in constant memory: a line longer than the limit is
// not held whole; its first `max_line_bytes` bytes are kept (for the quarantine) and the rest is
// counted and skipped. Lines end with LF; a CR before the LF is dropped (CRLF files); the last
// line needs no LF. The reader does not look inside a line: parsing is the caller's.
//
//   std::ifstream file(path, std::ios::binary);
//   NdjsonLineReader reader(file, 16 << 20);
//   while (const auto line = reader.next()) { ... line->bytes ... }

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir::bulk {

struct NdjsonLine {
  std::int64_t number = 0;        // 1-based line number in the stream
  std::uint64_t offset = 0;       // byte offset of the line's first byte
  std::uint64_t length = 0;       // the line's full length in bytes, without LF (or CRLF)
  std::string_view bytes{};       // the line, or its first max_line_bytes when is_too_long
  bool is_too_long = false;       // length > max_line_bytes
};

class NdjsonLineReader {
 public:
  /// `input` must outlive the reader. `max_line_bytes` >= 1; throws InputError otherwise.
  NdjsonLineReader(std::istream& input, std::size_t max_line_bytes);

  /// The next line, or nullopt at the end of the stream. `bytes` stays valid until the next
  /// call. Throws Error(Io) when the stream fails other than at its end.
  [[nodiscard]] std::optional<NdjsonLine> next();

  /// Bytes consumed so far (line terminators included), for progress.
  [[nodiscard]] std::uint64_t bytes_read() const { return consumed_; }

 private:
  bool refill();

  std::istream& input_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread part of buffer_: [begin_, end_)
  std::size_t end_ = 0;
  bool is_eof_ = false;
  std::string line_;
  std::int64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
};

}  // namespace ptwin::ingest::fhir::bulk
