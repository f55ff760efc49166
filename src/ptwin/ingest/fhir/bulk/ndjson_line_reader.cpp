// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"

#include <cstring>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

constexpr std::size_t kChunkBytes = 256U * 1024U;

}  // namespace

NdjsonLineReader::NdjsonLineReader(std::istream& input, std::size_t max_line_bytes)
    : input_(input), max_line_bytes_(max_line_bytes), buffer_(kChunkBytes) {
  if (max_line_bytes == 0) {
    throw InputError(ErrorCode::BadInput, "ndjson reader: max_line_bytes", "0", "must be >= 1");
  }
}

bool NdjsonLineReader::refill() {
  if (is_eof_) return false;
  input_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const auto count = static_cast<std::size_t>(input_.gcount());
  if (input_.bad()) throw Error(ErrorCode::Io, "ndjson reader: the input stream failed");
  if (count < buffer_.size()) is_eof_ = true;
  begin_ = 0;
  end_ = count;
  return count > 0;
}

std::optional<NdjsonLine> NdjsonLineReader::next() {
  line_.clear();
  NdjsonLine line;
  line.offset = consumed_;
  bool has_bytes = false;  // anything seen for this line, a lone LF included
  bool is_terminated = false;
  while (!is_terminated) {
    if (begin_ == end_ && !refill()) break;
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const void* newline = std::memchr(start, '\n', available);
    const std::size_t take =
        newline == nullptr ? available : static_cast<std::size_t>(static_cast<const char*>(newline) - start);
    if (line_.size() < max_line_bytes_) {
      line_.append(start, std::min(take, max_line_bytes_ - line_.size()));
    }
    line.length += take;
    has_bytes = true;
    begin_ += take;
    consumed_ += take;
    if (newline != nullptr) {
      ++begin_;
      ++consumed_;
      is_terminated = true;
    }
  }
  if (!has_bytes) return std::nullopt;
  // CRLF: the CR belongs to the terminator (only visible when the line was kept whole).
  if (line.length <= max_line_bytes_ && !line_.empty() && line_.back() == '\r') {
    line_.pop_back();
    --line.length;
  }
  line.number = ++line_number_;
  line.is_too_long = line.length > max_line_bytes_;
  line.bytes = line_;
  return line;
}

}  // namespace ptwin::ingest::fhir::bulk
