// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/lexer.hpp"

#include <array>
#include <cstdint>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/errors.hpp"
#include "ptwin/core/utf8.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      skip_blank();
      if (at_end()) break;
      tokens.push_back(next());
    }
    tokens.push_back(Token{TokenKind::End, "", text_.size()});
    return tokens;
  }

 private:
  [[noreturn]] void fail(std::size_t position, std::string found, std::string rule) const {
    throw ParseError(text_, position, std::move(found), std::move(rule));
  }

  [[nodiscard]] bool at_end() const { return position_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }

  void skip_blank() {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++position_;
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n') ++position_;
      } else if (c == '/' && peek(1) == '*') {
        const std::size_t start = position_;
        const auto end = text_.find("*/", position_ + 2);
        if (end == std::string_view::npos) fail(start, "/*", "comment is not closed with */");
        position_ = end + 2;
      } else {
        return;
      }
    }
  }

  Token next() {
    const std::size_t start = position_;
    const char c = peek();
    if (is_letter(c)) return Token{TokenKind::Identifier, std::string(word()), start};
    if (is_digit(c)) return number();
    switch (c) {
      case '\'':
        return Token{TokenKind::String, quoted('\''), start};
      case '`':
        return Token{TokenKind::DelimitedIdentifier, quoted('`'), start};
      case '@':
        return temporal();
      case '$': {
        ++position_;
        if (!is_letter(peek())) fail(start, "$", "expected $this, $index or $total");
        const std::string name = fmt::format("${}", word());
        if (name != "$this" && name != "$index" && name != "$total") {
          fail(start, name, "is not $this, $index or $total");
        }
        return Token{TokenKind::Special, name, start};
      }
      case '%':
        return constant();
      default:
        return symbol();
    }
  }

  std::string_view word() {
    const std::size_t start = position_;
    while (!at_end() && (is_letter(peek()) || is_digit(peek()))) ++position_;
    return text_.substr(start, position_ - start);
  }

  Token number() {
    const std::size_t start = position_;
    while (is_digit(peek())) ++position_;
    TokenKind kind = TokenKind::Integer;
    if (peek() == '.' && is_digit(peek(1))) {
      ++position_;
      while (is_digit(peek())) ++position_;
      kind = TokenKind::Decimal;
    }
    std::string text(text_.substr(start, position_ - start));
    if (kind == TokenKind::Integer && peek() == 'L') {
      ++position_;
      kind = TokenKind::Long;
    }
    return Token{kind, std::move(text), start};
  }

  // '@' followed by a date, date-time or time shape; the parser validates the fields.
  Token temporal() {
    const std::size_t start = position_++;
    const std::size_t body = position_;
    const auto take = [this](auto predicate) {
      while (!at_end() && predicate(peek())) ++position_;
    };
    const auto is_time_char = [](char c) { return is_digit(c) || c == ':' || c == '.'; };
    if (peek() == 'T') {
      ++position_;
      take(is_time_char);
    } else {
      take([](char c) { return is_digit(c) || c == '-'; });
      if (peek() == 'T') {
        ++position_;
        take(is_time_char);
      }
    }
    // A trailing '.' belongs to the next invocation (`@2014.precision()`).
    while (position_ > body && text_[position_ - 1] == '.') --position_;
    if (position_ == body) fail(start, "@", "expected a date, date-time or time after '@'");
    if (peek() == 'Z') {
      ++position_;
    } else if ((peek() == '+' || peek() == '-') && is_digit(peek(1)) && is_digit(peek(2)) &&
               peek(3) == ':' && is_digit(peek(4)) && is_digit(peek(5))) {
      position_ += 6;
    }
    return Token{TokenKind::Temporal, std::string(text_.substr(body, position_ - body)), start};
  }

  Token constant() {
    const std::size_t start = position_++;
    if (peek() == '`') return Token{TokenKind::Constant, quoted('`'), start};
    if (peek() == '\'') return Token{TokenKind::Constant, quoted('\''), start};
    if (!is_letter(peek())) fail(start, "%", "expected a name after '%'");
    return Token{TokenKind::Constant, std::string(word()), start};
  }

  Token symbol() {
    const std::size_t start = position_;
    static constexpr std::array<std::string_view, 4> kTwoCharacter{"!=", "!~", "<=", ">="};
    for (const auto symbol : kTwoCharacter) {
      if (text_.substr(position_, 2) == symbol) {
        position_ += 2;
        return Token{TokenKind::Symbol, std::string(symbol), start};
      }
    }
    static constexpr std::string_view kSingle = "()[]{}.,+-*/&|=~<>";
    if (kSingle.find(peek()) == std::string_view::npos) {
      fail(start, std::string(1, peek()), "is not a FHIRPath token");
    }
    ++position_;
    return Token{TokenKind::Symbol, std::string(1, text_[start]), start};
  }

  // A quoted string or identifier with its escapes decoded (FHIRPath N1 §"String").
  std::string quoted(char quote) {
    const std::size_t start = position_++;
    std::string out;
    while (true) {
      if (at_end()) fail(start, std::string(1, quote), "is not closed");
      const char c = text_[position_++];
      if (c == quote) return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (at_end()) fail(start, std::string(1, quote), "is not closed");
      const std::size_t escape_position = position_ - 1;
      const char e = text_[position_++];
      switch (e) {
        case '\'':
        case '"':
        case '`':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          ptwin::utf8::append(out, unicode_escape(escape_position));
          break;
        default:
          fail(escape_position, fmt::format("\\{}", e), "is not a FHIRPath escape");
      }
    }
  }

  std::uint32_t hex4(std::size_t escape_position) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = peek();
      std::uint32_t digit = 0;
      if (is_digit(h)) {
        digit = static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        digit = static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        digit = static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        fail(escape_position, "\\u", "needs four hexadecimal digits");
      }
      value = value * 16 + digit;
      ++position_;
    }
    return value;
  }

  // \uXXXX, with a following \uXXXX low surrogate joined to a high one.
  std::uint32_t unicode_escape(std::size_t escape_position) {
    const std::uint32_t first = hex4(escape_position);
    if (first >= 0xD800 && first <= 0xDBFF && peek() == '\\' && peek(1) == 'u') {
      position_ += 2;
      const std::uint32_t second = hex4(escape_position);
      if (second >= 0xDC00 && second <= 0xDFFF) {
        return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
      }
      fail(escape_position, "\\u", "high surrogate not followed by a low surrogate");
    }
    if (first >= 0xD800 && first <= 0xDFFF) fail(escape_position, "\\u", "lone surrogate");
    return first;
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view expression) { return Lexer(expression).run(); }

}  // namespace ptwin::ingest::fhir::fhirpath
