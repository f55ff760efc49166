// SPDX-License-Identifier: Apache-2.0
#pragma once
// Splits FHIRPath text into tokens (FHIRPath N1 §"Lexical Elements" and the grammar's lexer
// rules). Comments (`//` to the end of the line, `/* ... */`) and whitespace are skipped;
// escapes in strings and `delimited identifiers` are decoded.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir::fhirpath {

enum class TokenKind {
  End,
  Identifier,           // name, also keywords such as `and`, `is`, `true`
  DelimitedIdentifier,  // `name` (decoded, without backticks)
  String,               // 'text' (decoded, without quotes)
  Integer,              // 123
  Long,                 // 123L
  Decimal,              // 1.5
  Temporal,             // @2014-05-06, @2014T, @T10:30 (text without the '@')
  Special,              // $this, $index, $total (text with the '$')
  Constant,             // %name, %`name`, %'name' (decoded name, without the '%')
  Symbol,               // ( ) [ ] { } . , + - * / & | = ~ != !~ < > <= >=
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;
  std::size_t position = 0;  // offset of the first character in the expression
};

/// All tokens of `expression`, ending with one TokenKind::End. Throws ParseError naming the
/// position of the first character that cannot start a token, an unterminated string or comment,
/// or a bad escape.
[[nodiscard]] std::vector<Token> tokenize(std::string_view expression);

}  // namespace ptwin::ingest::fhir::fhirpath
