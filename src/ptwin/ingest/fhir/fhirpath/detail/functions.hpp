// SPDX-License-Identifier: Apache-2.0
#pragma once
// The function library: one table (function_registry.cpp) from name to implementation and
// allowed argument counts, and the implementations grouped by the families of FHIRPath N1 §5
// and the FHIR R5 additions, one family per file.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/detail/evaluator.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {

using FunctionImpl = Collection (*)(FunctionCall& call);

struct FunctionSpec {
  std::string_view name;
  std::size_t min_arguments;
  std::size_t max_arguments;
  FunctionImpl run;
};

/// The function called `name`, or nullptr.
[[nodiscard]] const FunctionSpec* find_function(std::string_view name);

// Helpers shared by the families (function_support.cpp).

/// The input as one String: nullopt when empty; an error for several items or a non-String.
[[nodiscard]] std::optional<std::string> input_string(FunctionCall& call);
/// The input as one System value: nullopt when empty; an error for several items.
[[nodiscard]] std::optional<Item> input_value(FunctionCall& call);
/// Argument `index` as one String / Integer: nullopt when empty; an error for other types.
[[nodiscard]] std::optional<std::string> string_argument(FunctionCall& call, std::size_t index);
[[nodiscard]] std::optional<std::int64_t> integer_argument(FunctionCall& call, std::size_t index);
/// The type named by argument `index` of is(), as(), ofType() (`Quantity`, `FHIR.Patient`).
[[nodiscard]] TypeSpecifier type_argument(FunctionCall& call, std::size_t index);

namespace functions {

// Existence (FHIRPath N1 §5.1).
Collection empty(FunctionCall& call);
Collection exists(FunctionCall& call);
Collection all(FunctionCall& call);
Collection all_true(FunctionCall& call);
Collection any_true(FunctionCall& call);
Collection all_false(FunctionCall& call);
Collection any_false(FunctionCall& call);
Collection subset_of(FunctionCall& call);
Collection superset_of(FunctionCall& call);
Collection count(FunctionCall& call);
Collection distinct(FunctionCall& call);
Collection is_distinct(FunctionCall& call);
// not() (§6.5, Boolean logic), here because it reads its input like the functions above.
Collection not_of(FunctionCall& call);

// Filtering and projection (§5.2).
Collection where(FunctionCall& call);
Collection select(FunctionCall& call);
Collection repeat(FunctionCall& call);
Collection repeat_all(FunctionCall& call);
Collection of_type(FunctionCall& call);

// Subsetting and combining (§5.3, §5.4).
Collection single(FunctionCall& call);
Collection first(FunctionCall& call);
Collection last(FunctionCall& call);
Collection tail(FunctionCall& call);
Collection skip(FunctionCall& call);
Collection take(FunctionCall& call);
Collection intersect(FunctionCall& call);
Collection exclude(FunctionCall& call);
Collection union_of(FunctionCall& call);
Collection combine(FunctionCall& call);

// Conversion (§5.5).
Collection iif(FunctionCall& call);
Collection to_boolean(FunctionCall& call);
Collection converts_to_boolean(FunctionCall& call);
Collection to_integer(FunctionCall& call);
Collection converts_to_integer(FunctionCall& call);
Collection to_decimal(FunctionCall& call);
Collection converts_to_decimal(FunctionCall& call);
Collection to_string(FunctionCall& call);
Collection converts_to_string(FunctionCall& call);
Collection to_date(FunctionCall& call);
Collection converts_to_date(FunctionCall& call);
Collection to_date_time(FunctionCall& call);
Collection converts_to_date_time(FunctionCall& call);
Collection to_time(FunctionCall& call);
Collection converts_to_time(FunctionCall& call);
Collection to_quantity(FunctionCall& call);
Collection converts_to_quantity(FunctionCall& call);

// String manipulation (§5.6) and the FHIRPath 2.1 additions used by the test suite.
Collection index_of(FunctionCall& call);
Collection last_index_of(FunctionCall& call);
Collection substring(FunctionCall& call);
Collection starts_with(FunctionCall& call);
Collection ends_with(FunctionCall& call);
Collection contains_text(FunctionCall& call);
Collection upper(FunctionCall& call);
Collection lower(FunctionCall& call);
Collection replace(FunctionCall& call);
Collection matches(FunctionCall& call);
Collection matches_full(FunctionCall& call);
Collection replace_matches(FunctionCall& call);
Collection length(FunctionCall& call);
Collection to_chars(FunctionCall& call);
Collection split(FunctionCall& call);
Collection join(FunctionCall& call);
Collection trim(FunctionCall& call);
Collection encode(FunctionCall& call);
Collection decode(FunctionCall& call);
Collection escape(FunctionCall& call);
Collection unescape(FunctionCall& call);

// Math (§5.7).
Collection abs(FunctionCall& call);
Collection ceiling(FunctionCall& call);
Collection exp(FunctionCall& call);
Collection floor(FunctionCall& call);
Collection ln(FunctionCall& call);
Collection log(FunctionCall& call);
Collection power(FunctionCall& call);
Collection round(FunctionCall& call);
Collection sqrt(FunctionCall& call);
Collection truncate(FunctionCall& call);

// Tree navigation (§5.8).
Collection children(FunctionCall& call);
Collection descendants(FunctionCall& call);

// Utility, types and aggregates (§5.9, §6.3, §7).
Collection trace(FunctionCall& call);
Collection now(FunctionCall& call);
Collection today(FunctionCall& call);
Collection time_of_day(FunctionCall& call);
Collection define_variable(FunctionCall& call);
Collection low_boundary(FunctionCall& call);
Collection high_boundary(FunctionCall& call);
Collection precision(FunctionCall& call);
Collection comparable(FunctionCall& call);
Collection sort(FunctionCall& call);
Collection type(FunctionCall& call);
Collection is(FunctionCall& call);
Collection as(FunctionCall& call);
Collection aggregate(FunctionCall& call);

// FHIR R5 additions (https://hl7.org/fhir/R5/fhirpath.html#functions).
Collection extension(FunctionCall& call);
Collection has_value(FunctionCall& call);
Collection get_value(FunctionCall& call);
Collection resolve(FunctionCall& call);
Collection html_checks(FunctionCall& call);
Collection conforms_to(FunctionCall& call);
Collection unsupported(FunctionCall& call);

}  // namespace functions
}  // namespace ptwin::ingest::fhir::fhirpath::detail
