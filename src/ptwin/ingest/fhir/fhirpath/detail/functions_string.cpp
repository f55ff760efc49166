// SPDX-License-Identifier: Apache-2.0
// String functions (FHIRPath N1 §5.6; trim, split, join, encode, decode, escape and unescape
// from FHIRPath 2.1). Positions and lengths count Unicode code points of the UTF-8 text.
#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"
#include "ptwin/ingest/fhir/fhirpath/detail/text_codecs.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail::functions {
namespace {

// Byte offsets of the code points of `text`, plus its size at the end.
std::vector<std::size_t> code_point_offsets(const std::string& text) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

std::int64_t code_point_index(const std::string& text, std::size_t byte_offset) {
  const auto offsets = code_point_offsets(text);
  return static_cast<std::int64_t>(std::lower_bound(offsets.begin(), offsets.end(), byte_offset) -
                                   offsets.begin());
}

// FHIRPath regular expressions run in single-line mode: '.' matches a newline too. ECMAScript
// has no such flag, so each '.' outside a character class becomes [\s\S].
std::string single_line(const std::string& pattern) {
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += pattern.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '.') {
      out += "[\\s\\S]";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::regex compile_regex(FunctionCall& call, const std::string& pattern) {
  // Bounds the work std::regex may do on a pattern from outside.
  constexpr std::size_t kMaxPatternLength = 4096;
  if (pattern.size() > kMaxPatternLength) call.fail(pattern, "is too long a regular expression");
  try {
    return std::regex(single_line(pattern), std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    call.fail(pattern, std::string("is not a valid regular expression: ") + error.what());
  }
}

// Input and one String argument, for functions that are empty when either is.
struct TextAndArgument {
  std::string text;
  std::string argument;
};
std::optional<TextAndArgument> text_and_argument(FunctionCall& call) {
  const auto text = input_string(call);
  if (!text) return std::nullopt;
  const auto argument = string_argument(call, 0);
  if (!argument) return std::nullopt;
  return TextAndArgument{*text, *argument};
}

}  // namespace

Collection index_of(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto position = values->text.find(values->argument);
  if (position == std::string::npos) return {Item{std::int64_t{-1}}};
  return {Item{code_point_index(values->text, position)}};
}

Collection last_index_of(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto position = values->text.rfind(values->argument);
  if (position == std::string::npos) return {Item{std::int64_t{-1}}};
  return {Item{code_point_index(values->text, position)}};
}

Collection substring(FunctionCall& call) {
  const auto text = input_string(call);
  const auto start = integer_argument(call, 0);
  if (!text || !start) return {};
  const auto offsets = code_point_offsets(*text);
  const auto length = static_cast<std::int64_t>(offsets.size() - 1);
  if (*start < 0 || *start >= length) return {};
  std::int64_t end = length;
  if (call.argument_count() > 1) {
    const auto count = integer_argument(call, 1);
    if (!count) return {Item{text->substr(offsets.at(static_cast<std::size_t>(*start)))}};
    end = std::clamp<std::int64_t>(*start + std::max<std::int64_t>(*count, 0), *start, length);
  }
  const auto from = offsets.at(static_cast<std::size_t>(*start));
  const auto to = offsets.at(static_cast<std::size_t>(end));
  return {Item{text->substr(from, to - from)}};
}

Collection starts_with(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  return {Item{values->text.compare(0, values->argument.size(), values->argument) == 0}};
}

Collection ends_with(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto& [text, suffix] = *values;
  return {Item{text.size() >= suffix.size() &&
               text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0}};
}

Collection contains_text(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  return {Item{values->text.find(values->argument) != std::string::npos}};
}

Collection upper(FunctionCall& call) {
  auto text = input_string(call);
  if (!text) return {};
  std::transform(text->begin(), text->end(), text->begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return {Item{*text}};
}

Collection lower(FunctionCall& call) {
  auto text = input_string(call);
  if (!text) return {};
  std::transform(text->begin(), text->end(), text->begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {Item{*text}};
}

Collection replace(FunctionCall& call) {
  const auto text = input_string(call);
  const auto pattern = string_argument(call, 0);
  const auto substitution = string_argument(call, 1);
  if (!text || !pattern || !substitution) return {};
  std::string out;
  if (pattern->empty()) {  // between every character and at both ends ('abc' -> 'xaxbxcx')
    const auto offsets = code_point_offsets(*text);
    out = *substitution;
    for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
      out += text->substr(offsets[i], offsets[i + 1] - offsets[i]) + *substitution;
    }
    return {Item{out}};
  }
  std::size_t position = 0;
  while (true) {
    const auto found = text->find(*pattern, position);
    if (found == std::string::npos) break;
    out += text->substr(position, found - position) + *substitution;
    position = found + pattern->size();
  }
  out += text->substr(position);
  return {Item{out}};
}

Collection matches(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  return {Item{std::regex_search(values->text, compile_regex(call, values->argument))}};
}

Collection matches_full(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  return {Item{std::regex_match(values->text, compile_regex(call, values->argument))}};
}

Collection replace_matches(FunctionCall& call) {
  const auto text = input_string(call);
  const auto pattern = string_argument(call, 0);
  const auto substitution = string_argument(call, 1);
  if (!text || !pattern || !substitution) return {};
  if (pattern->empty()) return {Item{*text}};
  return {Item{std::regex_replace(*text, compile_regex(call, *pattern), *substitution)}};
}

Collection length(FunctionCall& call) {
  const auto text = input_string(call);
  if (!text) return {};
  return {Item{static_cast<std::int64_t>(code_point_offsets(*text).size() - 1)}};
}

Collection to_chars(FunctionCall& call) {
  const auto text = input_string(call);
  if (!text) return {};
  const auto offsets = code_point_offsets(*text);
  Collection out;
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
    out.emplace_back(text->substr(offsets[i], offsets[i + 1] - offsets[i]));
  }
  return out;
}

Collection split(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto& [text, separator] = *values;
  if (separator.empty()) {
    return to_chars(call);
  }
  Collection out;
  std::size_t position = 0;
  while (true) {
    const auto found = text.find(separator, position);
    out.emplace_back(
        text.substr(position, found == std::string::npos ? std::string::npos : found - position));
    if (found == std::string::npos) break;
    position = found + separator.size();
  }
  return out;
}

Collection join(FunctionCall& call) {
  const std::string separator =
      call.argument_count() > 0 ? string_argument(call, 0).value_or("") : "";
  std::string out;
  bool first = true;
  for (const auto& item : call.input()) {
    const auto value = operand_value(item);
    const auto* text = value ? std::get_if<std::string>(&*value) : nullptr;
    if (text == nullptr) call.fail(describe(item), "expects String items only");
    if (!first) out += separator;
    out += *text;
    first = false;
  }
  return {Item{out}};
}

Collection trim(FunctionCall& call) {
  const auto text = input_string(call);
  if (!text) return {};
  const auto first = text->find_first_not_of(" \t\r\n\f\v");
  if (first == std::string::npos) return {Item{std::string()}};
  const auto last = text->find_last_not_of(" \t\r\n\f\v");
  return {Item{text->substr(first, last - first + 1)}};
}

Collection encode(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto encoded = codecs::encode(values->text, values->argument);
  if (!encoded) call.fail(values->argument, "is not an encoding (base64, urlbase64, hex)");
  return {Item{*encoded}};
}

Collection decode(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  if (!codecs::is_encoding(values->argument)) {
    call.fail(values->argument, "is not an encoding (base64, urlbase64, hex)");
  }
  const auto decoded = codecs::decode(values->text, values->argument);
  if (!decoded) return {};
  return {Item{*decoded}};
}

Collection escape(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto escaped = codecs::escape(values->text, values->argument);
  if (!escaped) call.fail(values->argument, "is not an escape target (html, json)");
  return {Item{*escaped}};
}

Collection unescape(FunctionCall& call) {
  const auto values = text_and_argument(call);
  if (!values) return {};
  const auto unescaped = codecs::unescape(values->text, values->argument);
  if (!unescaped) call.fail(values->argument, "is not an escape target (html, json)");
  return {Item{*unescaped}};
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail::functions
