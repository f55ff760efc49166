// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/sql_session.hpp"

#include "ptwin/core/error.hpp"

namespace ptwin::store::fhir::detail {
namespace {

template <typename T>
const T& get_or_throw(const SqlValue& value, std::string_view expected) {
  if (const T* held = std::get_if<T>(&value)) return *held;
  throw Error(
      ErrorCode::Internal,
      std::string("fhir store: a column read as ") + std::string(expected) +
          (std::holds_alternative<std::monostate>(value) ? " was NULL" : " holds another type"));
}

}  // namespace

std::int64_t as_int64(const SqlValue& value) { return get_or_throw<std::int64_t>(value, "int64"); }

double as_double(const SqlValue& value) { return get_or_throw<double>(value, "double"); }

const std::string& as_text(const SqlValue& value) {
  return get_or_throw<std::string>(value, "text");
}

std::optional<std::string> as_optional_text(const SqlValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
  return as_text(value);
}

SqlValue optional_text(const std::optional<std::string>& value) {
  if (!value) return std::monostate{};
  return *value;
}

}  // namespace ptwin::store::fhir::detail
