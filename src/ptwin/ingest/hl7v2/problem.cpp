// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/problem.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// Reads the decimal number at the front of `text`, advancing it; 0 when there is none.
std::size_t take_number(std::string_view& text) {
  std::size_t value = 0;
  std::size_t digits = 0;
  while (digits < text.size() && digits < 6 && text[digits] >= '0' && text[digits] <= '9') {
    value = value * 10 + static_cast<std::size_t>(text[digits] - '0');
    ++digits;
  }
  text.remove_prefix(digits);
  return value;
}

bool is_segment_id(std::string_view text) {
  if (text.size() < 3 || text[0] < 'A' || text[0] > 'Z') return false;
  for (std::size_t i = 1; i < 3; ++i) {
    if (!((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= '0' && text[i] <= '9'))) return false;
  }
  return true;
}

}  // namespace

ErrorLocation location_of(std::string_view where) {
  const auto colon = where.rfind(": ");
  auto path = colon == std::string_view::npos ? where : where.substr(colon + 2);
  if (!is_segment_id(path)) return {};
  ErrorLocation location{std::string(path.substr(0, 3)), 1, 0};
  path.remove_prefix(3);
  if (path.starts_with("[")) {
    path.remove_prefix(1);
    location.sequence = take_number(path);
    if (!path.starts_with("]")) return {};
    path.remove_prefix(1);
  }
  if (path.starts_with("-")) {
    path.remove_prefix(1);
    location.field = take_number(path);
  }
  return location;
}

Problem problem_of(const InputError& error) {
  return Problem{error.what(), error.code(), condition_of(error), location_of(error.where())};
}

}  // namespace ptwin::ingest::hl7v2
