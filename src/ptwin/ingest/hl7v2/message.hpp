// SPDX-License-Identifier: Apache-2.0
#pragma once
// An HL7 v2 message in ER7 ("pipe and hat") encoding, parsed into segments whose fields,
// repetitions, components and subcomponents are read on demand, with escape sequences decoded
// (v2.5.1 chapter 2). Positions follow HL7 notation and count from 1: OBX-5 is field 5, and
// `value(5, 2, 1, 1)` is OBX-5(2).1.1 (second repetition, first component, first
// subcomponent). In MSH, field 1 is the field separator itself and field 2 the encoding
// characters, so MSH-9 is the ninth field as HL7 counts it.
//
// Parsing checks the structure only: MSH first with legal delimiters, a character set from
// MSH-18 that ptwin reads and bytes valid in it, and a segment id at the start of every
// segment. What fields mean is read by header.hpp and the mappers.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/hl7v2/charset.hpp"
#include "ptwin/ingest/hl7v2/delimiters.hpp"

namespace ptwin::ingest::hl7v2 {

/// One segment. Values are returned decoded, as UTF-8; an absent position reads as "".
class Segment {
 public:
  /// The segment id ("MSH", "OBX", "ZXY").
  [[nodiscard]] const std::string& id() const { return id_; }
  /// 1-based position among the message's segments with the same id (OBX[3] is the third OBX).
  [[nodiscard]] std::size_t sequence() const { return sequence_; }
  /// "MSH" for the header, otherwise id[sequence], e.g. "OBX[3]": how messages name it.
  [[nodiscard]] std::string label() const;
  /// The highest field number present (0 for a segment that is its id alone).
  [[nodiscard]] std::size_t field_count() const;
  /// Field `field` (>= 1) as written: escapes not decoded, delimiters kept.
  [[nodiscard]] std::string_view raw_field(std::size_t field) const;
  /// Number of repetitions of a field (0 when it is empty or absent).
  [[nodiscard]] std::size_t repetition_count(std::size_t field) const;
  /// Number of components of one repetition (0 when it is empty or absent).
  [[nodiscard]] std::size_t component_count(std::size_t field, std::size_t repetition = 1) const;
  /// One decoded value. Throws Hl7v2Error(BadInput) naming `where(...)` when its escape
  /// sequences cannot be decoded. MSH-1 and MSH-2 are returned as written.
  [[nodiscard]] std::string value(std::size_t field, std::size_t repetition = 1,
                                  std::size_t component = 1, std::size_t subcomponent = 1) const;
  /// `<source>: OBX[3]`: the segment's path in error messages.
  [[nodiscard]] std::string path() const;
  /// `<source>: OBX[3]-5`, with `(r)` for repetitions after the first and `.c[.s]` when a
  /// component or subcomponent is named: the field path used in error messages.
  [[nodiscard]] std::string where(std::size_t field, std::size_t repetition = 1,
                                  std::size_t component = 0, std::size_t subcomponent = 0) const;
  /// The segment as text (UTF-8), without its terminator.
  [[nodiscard]] const std::string& text() const { return text_; }
  /// The segment's bytes exactly as received (before character-set conversion).
  [[nodiscard]] const std::string& raw_bytes() const { return raw_bytes_; }

 private:
  friend class Message;
  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  std::string id_;
  std::size_t sequence_ = 1;
  std::string text_;
  std::string raw_bytes_;
  std::vector<Span> fields_;  // fields_[0] is the segment id
  Delimiters delimiters_;
  Charset charset_ = Charset::Ascii;
  std::string source_;
};

class Message {
 public:
  /// Parses one message. Segments end with CR; LF and CRLF are tolerated, and empty lines are
  /// skipped. `source` names the message in errors (a file name, "hl7v2:<app>/<facility>").
  /// Throws Hl7v2Error(BadInput) naming `<source>: MSH-1`, `MSH-2`, `MSH-18` or the segment when
  /// the message is empty, does not start with MSH (batches, FHS/BHS, are refused by name), has
  /// illegal delimiters, declares a character set ptwin does not read, holds bytes invalid in
  /// it, a segment that does not start with an id, or a second MSH.
  [[nodiscard]] static Message parse(std::string_view bytes, std::string_view source);

  [[nodiscard]] const Delimiters& delimiters() const { return delimiters_; }
  [[nodiscard]] Charset charset() const { return charset_; }
  [[nodiscard]] const std::string& source() const { return source_; }
  /// Renames the message in later errors (once its header says who sent it).
  void set_source(const std::string& source);
  [[nodiscard]] std::span<const Segment> segments() const { return segments_; }
  /// The `sequence`-th segment with this id, or nullptr.
  [[nodiscard]] const Segment* find(std::string_view id, std::size_t sequence = 1) const;
  /// A decoded value of the first segment with this id; "" when the segment or the position is
  /// absent. `message.field("OBX", 5, 1, 1)` is OBX-5 of the first OBX.
  [[nodiscard]] std::string field(std::string_view segment_id, std::size_t field,
                                  std::size_t repetition = 1, std::size_t component = 1,
                                  std::size_t subcomponent = 1) const;

 private:
  Delimiters delimiters_;
  Charset charset_ = Charset::Ascii;
  std::string source_;
  std::vector<Segment> segments_;
};

/// HL7's explicit null: a field sent as `""` ("delete the stored value"), as opposed to empty.
[[nodiscard]] inline bool is_explicit_null(std::string_view value) { return value == "\"\""; }

}  // namespace ptwin::ingest::hl7v2
