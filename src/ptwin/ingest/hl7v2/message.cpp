// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/message.hpp"

#include <functional>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/escapes.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// MSH-18, counted as HL7 counts MSH fields: the tokens after splitting at the field separator
// are "MSH", MSH-2, MSH-3, ..., so MSH-n is token n - 1.
constexpr std::size_t kCharsetField = 18;

[[noreturn]] void refuse(std::string where, std::string_view value, std::string rule,
                         ConditionCode condition = ConditionCode::DataTypeError) {
  throw Hl7v2Error(ErrorCode::BadInput, condition, std::move(where), printable_bytes(value),
                   std::move(rule));
}

// The n-th (1-based) piece of `text` split at `separator`; "" when there are fewer pieces.
std::string_view nth_piece(std::string_view text, char separator, std::size_t n) {
  std::size_t begin = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto next = text.find(separator, begin);
    if (next == std::string_view::npos) return {};
    begin = next + 1;
  }
  const auto end = text.find(separator, begin);
  return text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
}

std::size_t piece_count(std::string_view text, char separator) {
  if (text.empty()) return 0;
  std::size_t count = 1;
  for (const char c : text) count += c == separator ? 1U : 0U;
  return count;
}

// The segments of a message as received: split at CR, LF or CRLF; blank lines dropped.
std::vector<std::string_view> split_segments(std::string_view bytes) {
  std::vector<std::string_view> segments;
  std::size_t begin = 0;
  while (begin <= bytes.size()) {
    auto end = bytes.find_first_of("\r\n", begin);
    if (end == std::string_view::npos) end = bytes.size();
    const auto segment = bytes.substr(begin, end - begin);
    if (segment.find_first_not_of(" \t") != std::string_view::npos) segments.push_back(segment);
    begin = end + 1;
  }
  return segments;
}

bool is_segment_id(std::string_view raw, char field_separator) {
  if (raw.size() < 3 || (raw.size() > 3 && raw[3] != field_separator)) return false;
  if (raw[0] < 'A' || raw[0] > 'Z') return false;
  for (std::size_t i = 1; i < 3; ++i) {
    const char c = raw[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::string_view read_charset_text(std::string_view msh, const Delimiters& delimiters) {
  const auto field = nth_piece(msh, delimiters.field, kCharsetField);
  return nth_piece(nth_piece(field, delimiters.repetition, 1), delimiters.component, 1);
}

void check_first_segment(std::string_view first, std::string_view source) {
  if (first.starts_with("FHS") || first.starts_with("BHS")) {
    refuse(fmt::format("{}: {}", source, first.substr(0, 3)), first.substr(0, 3),
           "starts a batch; ptwin reads one message per frame (send each MSH in its own MLLP "
           "frame)",
           ConditionCode::SegmentSequenceError);
  }
  if (!first.starts_with("MSH")) {
    refuse(std::string(source), first.substr(0, 16), "does not start with MSH",
           ConditionCode::SegmentSequenceError);
  }
}

}  // namespace

std::string Segment::label() const {
  return id_ == "MSH" ? id_ : fmt::format("{}[{}]", id_, sequence_);
}

std::size_t Segment::field_count() const { return fields_.size() - 1; }

std::string_view Segment::raw_field(std::size_t field) const {
  PTWIN_ASSERT(field >= 1, "HL7 fields count from 1");
  if (field >= fields_.size()) return {};
  const auto span = fields_[field];
  return std::string_view(text_).substr(span.begin, span.end - span.begin);
}

std::size_t Segment::repetition_count(std::size_t field) const {
  if (id_ == "MSH" && field <= 2) return raw_field(field).empty() ? 0 : 1;
  return piece_count(raw_field(field), delimiters_.repetition);
}

std::size_t Segment::component_count(std::size_t field, std::size_t repetition) const {
  if (id_ == "MSH" && field <= 2) return raw_field(field).empty() ? 0 : 1;
  return piece_count(nth_piece(raw_field(field), delimiters_.repetition, repetition),
                     delimiters_.component);
}

std::string Segment::value(std::size_t field, std::size_t repetition, std::size_t component,
                           std::size_t subcomponent) const {
  PTWIN_ASSERT(repetition >= 1 && component >= 1 && subcomponent >= 1,
               "HL7 repetitions, components and subcomponents count from 1");
  const auto raw = raw_field(field);
  if (id_ == "MSH" && field <= 2) {
    return repetition == 1 && component == 1 && subcomponent == 1 ? std::string(raw)
                                                                  : std::string();
  }
  const auto part =
      nth_piece(nth_piece(nth_piece(raw, delimiters_.repetition, repetition),
                          delimiters_.component, component),
                delimiters_.subcomponent, subcomponent);
  const bool names_component = component > 1 || subcomponent > 1;
  return decode_text(part, delimiters_, charset_,
                     where(field, repetition, names_component ? component : 0,
                           subcomponent > 1 ? subcomponent : 0));
}

std::string Segment::path() const { return fmt::format("{}: {}", source_, label()); }

std::string Segment::where(std::size_t field, std::size_t repetition, std::size_t component,
                           std::size_t subcomponent) const {
  auto path = fmt::format("{}: {}-{}", source_, label(), field);
  if (repetition > 1) path += fmt::format("({})", repetition);
  if (component > 0) path += fmt::format(".{}", component);
  if (subcomponent > 0) path += fmt::format(".{}", subcomponent);
  return path;
}

Message Message::parse(std::string_view bytes, std::string_view source) {
  const auto raw_segments = split_segments(bytes);
  if (raw_segments.empty()) {
    refuse(std::string(source), bytes, "is empty; an HL7 v2 message starts with MSH",
           ConditionCode::SegmentSequenceError);
  }
  check_first_segment(raw_segments.front(), source);
  Message message;
  message.source_ = std::string(source);
  message.delimiters_ = read_delimiters(raw_segments.front(), source);
  const auto& delimiters = message.delimiters_;
  message.charset_ = parse_charset(read_charset_text(raw_segments.front(), delimiters),
                                   fmt::format("{}: MSH-18", source));
  message.segments_.reserve(raw_segments.size());
  std::map<std::string, std::size_t, std::less<>> sequences;
  for (std::size_t index = 0; index < raw_segments.size(); ++index) {
    const auto raw = raw_segments[index];
    if (!is_segment_id(raw, delimiters.field)) {
      refuse(fmt::format("{}: segment {}", source, index + 1), raw.substr(0, 16),
             fmt::format("does not start with a segment id (three capital letters or digits) "
                         "followed by '{}'",
                         delimiters.field),
             ConditionCode::SegmentSequenceError);
    }
    Segment segment;
    segment.id_ = std::string(raw.substr(0, 3));
    if (index > 0 && segment.id_ == "MSH") {
      refuse(fmt::format("{}: segment {}", source, index + 1), raw.substr(0, 16),
             "is a second MSH; send one message per frame", ConditionCode::SegmentSequenceError);
    }
    segment.sequence_ = ++sequences[segment.id_];
    segment.delimiters_ = delimiters;
    segment.charset_ = message.charset_;
    segment.source_ = message.source_;
    segment.raw_bytes_ = std::string(raw);
    segment.text_ = to_utf8(raw, message.charset_, fmt::format("{}: {}", source, segment.label()));
    const std::string_view text = segment.text_;
    segment.fields_.push_back({0, 3});
    std::size_t begin = 4;
    if (index == 0) {
      segment.fields_.push_back({3, 4});  // MSH-1: the field separator itself
    }
    while (begin <= text.size() && text.size() > 3) {
      auto end = text.find(delimiters.field, begin);
      if (end == std::string_view::npos) end = text.size();
      segment.fields_.push_back({begin, end});
      begin = end + 1;
    }
    message.segments_.push_back(std::move(segment));
  }
  return message;
}

void Message::set_source(const std::string& source) {
  source_ = source;
  for (auto& segment : segments_) segment.source_ = source;
}

const Segment* Message::find(std::string_view id, std::size_t sequence) const {
  for (const auto& segment : segments_) {
    if (segment.id() == id && segment.sequence() == sequence) return &segment;
  }
  return nullptr;
}

std::string Message::field(std::string_view segment_id, std::size_t field, std::size_t repetition,
                           std::size_t component, std::size_t subcomponent) const {
  const auto* segment = find(segment_id);
  return segment == nullptr ? std::string()
                            : segment->value(field, repetition, component, subcomponent);
}

}  // namespace ptwin::ingest::hl7v2
