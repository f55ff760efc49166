// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/ack.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/dtm.hpp"
#include "ptwin/ingest/hl7v2/escapes.hpp"
#include "ptwin/ingest/hl7v2/header.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

constexpr std::size_t kMaxEchoedBytes = 199;  // MSH-10 is 199 characters from v2.7
constexpr std::size_t kMaxErrSegments = 16;
constexpr std::size_t kMaxMsaTextBytes = 80;   // MSA-3, v2.5.1
constexpr std::size_t kMaxErrTextBytes = 250;  // ERR-8
constexpr std::string_view kDefaultVersion = "2.5.1";

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t begin = 0;
  while (true) {
    const auto end = text.find(separator, begin);
    pieces.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) return pieces;
    begin = end + 1;
  }
}

std::string_view first_piece(std::string_view text, char separator) {
  return text.substr(0, text.find(separator));
}

// A value fit to be echoed: printable ASCII, with other bytes as \Xhh\ escapes, bounded, and
// decodable in the ACK's character set (so a Latin-1 byte in a message that declares ASCII is
// not echoed: the ACK would not be valid in its own set).
std::string echoable(std::string_view value, const Delimiters& delimiters, Charset charset) {
  std::string out;
  bool is_in_hex = false;  // one \X..\ per run of bytes, so a UTF-8 sequence stays whole
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    const bool is_printable = byte >= 0x20 && byte <= 0x7e;
    if (is_printable == is_in_hex) {
      out += is_in_hex ? std::string{delimiters.escape} : std::string{delimiters.escape, 'X'};
      is_in_hex = !is_in_hex;
    }
    if (is_printable) {
      out.push_back(c);
    } else {
      out += fmt::format("{:02X}", byte);
    }
  }
  if (is_in_hex) out.push_back(delimiters.escape);
  if (out.size() > kMaxEchoedBytes) return {};
  try {
    (void)decode_text(out, delimiters, charset, "ACK echo");
  } catch (const InputError&) {
    return {};  // broken escapes, or bytes the set does not allow: leave the field empty
  }
  return out;
}

// Printable ASCII of at most `max_bytes`, each other character (a whole UTF-8 sequence) shown
// as '?', then escaped for `delimiters`.
std::string ack_text(std::string_view text, std::size_t max_bytes, const Delimiters& delimiters) {
  std::string ascii;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 && byte < 0xC0) continue;  // UTF-8 continuation byte
    if (ascii.size() == max_bytes) break;
    ascii.push_back(byte >= 0x20 && byte < 0x7f ? c : '?');
  }
  return encode_text(ascii, delimiters);
}

std::string join_fields(std::vector<std::string> fields, char separator) {
  while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(separator);
    out += fields[i];
  }
  return out;
}

bool is_old_err_layout(std::string_view version) {
  return version.starts_with("2.3") || version.starts_with("2.4");
}

std::string err_segment(const Problem& problem, const Delimiters& d, std::string_view version) {
  const auto& location = problem.location;
  std::vector<std::string> erl;
  if (!location.segment_id.empty()) {
    erl.push_back(location.segment_id);
    if (location.sequence > 0) erl.push_back(fmt::format("{}", location.sequence));
    if (location.field > 0) erl.push_back(fmt::format("{}", location.field));
  }
  const auto code = static_cast<int>(problem.condition);
  const auto code_text = ack_text(condition_text(problem.condition), kMaxErrTextBytes, d);
  if (is_old_err_layout(version)) {
    // v2.3/2.4 ERR-1 (ELD): segment^sequence^field^code&text&system.
    while (erl.size() < 3) erl.emplace_back();
    erl.push_back(fmt::format("{}{}{}{}HL70357", code, d.subcomponent, code_text, d.subcomponent));
    return join_fields({"ERR", join_fields(erl, d.component)}, d.field);
  }
  return join_fields({"ERR", "", join_fields(erl, d.component),
                      fmt::format("{}{}{}{}HL70357", code, d.component, code_text, d.component),
                      "E", "", "", "", ack_text(problem.reason, kMaxErrTextBytes, d)},
                     d.field);
}

std::string build_one(const AckContext& context, std::string_view code,
                      const std::vector<Problem>& problems, const std::string& control_id,
                      time::Instant now) {
  const auto& d = context.delimiters;
  const std::string version =
      is_supported_version(context.version) ? context.version : std::string(kDefaultVersion);
  const auto type = context.trigger.empty()
                        ? std::string("ACK")
                        : fmt::format("ACK{}{}{}ACK", d.component, context.trigger, d.component);
  std::vector<std::string> msh{"MSH",
                               d.encoding_characters(),
                               context.receiving_application,
                               context.receiving_facility,
                               context.sending_application,
                               context.sending_facility,
                               format_dtm(now),
                               "",
                               type,
                               encode_text(control_id, d),
                               context.processing_id.empty() ? "P" : context.processing_id,
                               version};
  if (!context.charset.empty()) {
    msh.resize(17);
    msh.push_back(context.charset);
  }
  std::vector<std::string> msa{"MSA", std::string(code), context.control_id};
  if (!problems.empty() && version < "2.7") {
    msa.push_back(ack_text(problems.front().reason, kMaxMsaTextBytes, d));
  }
  auto ack = join_fields(std::move(msh), d.field) + '\r' + join_fields(std::move(msa), d.field) +
             '\r';
  for (std::size_t i = 0; i < problems.size() && i < kMaxErrSegments; ++i) {
    if (i + 1 == kMaxErrSegments && problems.size() > kMaxErrSegments) {
      Problem more{fmt::format("{} more problems are not listed; the quarantine holds them all",
                               problems.size() - i),
                   problems[i].code, problems[i].condition, {}};
      ack += err_segment(more, d, version) + '\r';
      break;
    }
    ack += err_segment(problems[i], d, version) + '\r';
  }
  return ack;
}

// Whether an acknowledgement type (HL7 table 0155) asks for an answer with this outcome.
bool is_requested(std::string_view type, bool is_success) {
  if (type.empty() || type == "NE") return false;
  if (type == "ER") return !is_success;
  if (type == "SU") return is_success;
  return true;  // AL, and anything unknown: answering is safer than leaving the sender waiting
}

}  // namespace

AckContext read_ack_context(std::string_view bytes) {
  AckContext context;
  const auto start = bytes.find_first_not_of("\r\n");
  if (start == std::string_view::npos) return context;
  bytes = bytes.substr(start);
  const auto msh = bytes.substr(0, bytes.find_first_of("\r\n"));
  if (!msh.starts_with("MSH")) return context;
  try {
    context.delimiters = read_delimiters(msh, "ACK");
  } catch (const InputError&) {
    return context;  // unreadable delimiters: answer with the recommended ones
  }
  const auto& d = context.delimiters;
  const auto tokens = split(msh, d.field);
  // tokens[0] is "MSH" and tokens[1] MSH-2, so MSH-n is tokens[n - 1].
  const auto field = [&](std::size_t n) -> std::string_view {
    return n - 1 < tokens.size() ? tokens[n - 1] : std::string_view{};
  };
  const auto first_text = [&](std::size_t n) {
    return first_piece(first_piece(field(n), d.repetition), d.component);
  };
  // The ACK declares the message's set when ptwin reads it, else none (ASCII).
  Charset charset = Charset::Ascii;
  for (const auto known : {Charset::Ascii, Charset::Latin1, Charset::Utf8}) {
    if (first_text(18) == charset_name(known)) {
      charset = known;
      context.charset = std::string(charset_name(known));
    }
  }
  const auto first = [&](std::size_t n) { return echoable(first_text(n), d, charset); };
  context.is_header_readable = true;
  context.sending_application = echoable(field(3), d, charset);
  context.sending_facility = echoable(field(4), d, charset);
  context.receiving_application = echoable(field(5), d, charset);
  context.receiving_facility = echoable(field(6), d, charset);
  const auto type = split(first_piece(field(9), d.repetition), d.component);
  context.trigger =
      type.size() > 1 ? echoable(first_piece(type[1], d.subcomponent), d, charset) : "";
  context.control_id = echoable(field(10), d, charset);
  context.processing_id = first(11);
  context.version = first(12);
  context.accept_ack_type = first(15);
  context.application_ack_type = first(16);
  return context;
}

std::vector<std::string> build_acks(const AckContext& context, const Disposition& disposition,
                                    const std::function<std::string()>& next_control_id,
                                    time::Instant now) {
  const auto& problems = disposition.problems;
  if (!context.is_enhanced_mode()) {
    std::string_view code = "AR";
    if (disposition.is_committed && disposition.status == AckStatus::Accepted) code = "AA";
    if (disposition.is_committed && disposition.status == AckStatus::ApplicationError) code = "AE";
    return {build_one(context, code, problems, next_control_id(), now)};
  }
  std::vector<std::string> acks;
  std::string_view commit = "CA";
  if (!disposition.is_committed) {
    commit = "CE";
  } else if (disposition.status == AckStatus::Rejected) {
    commit = "CR";
  }
  const bool is_commit_accept = commit == "CA";
  if (is_requested(context.accept_ack_type, is_commit_accept)) {
    acks.push_back(build_one(context, commit, is_commit_accept ? std::vector<Problem>{} : problems,
                             next_control_id(), now));
  }
  if (is_commit_accept) {
    const bool is_success = disposition.status == AckStatus::Accepted;
    if (is_requested(context.application_ack_type, is_success)) {
      acks.push_back(
          build_one(context, is_success ? "AA" : "AE", problems, next_control_id(), now));
    }
  }
  return acks;
}

}  // namespace ptwin::ingest::hl7v2
