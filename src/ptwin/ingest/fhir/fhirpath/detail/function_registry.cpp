// SPDX-License-Identifier: Apache-2.0
// The one table of FHIRPath functions: name, allowed argument counts, implementation. A name
// here is the name in the specification and in docs/fhirpath.md.
#include <array>

#include "ptwin/ingest/fhir/fhirpath/detail/functions.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

namespace fn = functions;

constexpr std::array kFunctions{
    // Existence
    FunctionSpec{"empty", 0, 0, &fn::empty},
    FunctionSpec{"exists", 0, 1, &fn::exists},
    FunctionSpec{"all", 1, 1, &fn::all},
    FunctionSpec{"allTrue", 0, 0, &fn::all_true},
    FunctionSpec{"anyTrue", 0, 0, &fn::any_true},
    FunctionSpec{"allFalse", 0, 0, &fn::all_false},
    FunctionSpec{"anyFalse", 0, 0, &fn::any_false},
    FunctionSpec{"subsetOf", 1, 1, &fn::subset_of},
    FunctionSpec{"supersetOf", 1, 1, &fn::superset_of},
    FunctionSpec{"count", 0, 0, &fn::count},
    FunctionSpec{"distinct", 0, 0, &fn::distinct},
    FunctionSpec{"isDistinct", 0, 0, &fn::is_distinct},
    FunctionSpec{"not", 0, 0, &fn::not_of},
    // Filtering and projection
    FunctionSpec{"where", 1, 1, &fn::where},
    FunctionSpec{"select", 1, 1, &fn::select},
    FunctionSpec{"repeat", 1, 1, &fn::repeat},
    FunctionSpec{"repeatAll", 1, 1, &fn::repeat_all},
    FunctionSpec{"ofType", 1, 1, &fn::of_type},
    // Subsetting and combining
    FunctionSpec{"single", 0, 0, &fn::single},
    FunctionSpec{"first", 0, 0, &fn::first},
    FunctionSpec{"last", 0, 0, &fn::last},
    FunctionSpec{"tail", 0, 0, &fn::tail},
    FunctionSpec{"skip", 1, 1, &fn::skip},
    FunctionSpec{"take", 1, 1, &fn::take},
    FunctionSpec{"intersect", 1, 1, &fn::intersect},
    FunctionSpec{"exclude", 1, 1, &fn::exclude},
    FunctionSpec{"union", 1, 1, &fn::union_of},
    FunctionSpec{"combine", 1, 1, &fn::combine},
    // Conversion
    FunctionSpec{"iif", 2, 3, &fn::iif},
    FunctionSpec{"toBoolean", 0, 0, &fn::to_boolean},
    FunctionSpec{"convertsToBoolean", 0, 0, &fn::converts_to_boolean},
    FunctionSpec{"toInteger", 0, 0, &fn::to_integer},
    FunctionSpec{"convertsToInteger", 0, 0, &fn::converts_to_integer},
    FunctionSpec{"toDecimal", 0, 0, &fn::to_decimal},
    FunctionSpec{"convertsToDecimal", 0, 0, &fn::converts_to_decimal},
    FunctionSpec{"toString", 0, 0, &fn::to_string},
    FunctionSpec{"convertsToString", 0, 0, &fn::converts_to_string},
    FunctionSpec{"toDate", 0, 0, &fn::to_date},
    FunctionSpec{"convertsToDate", 0, 0, &fn::converts_to_date},
    FunctionSpec{"toDateTime", 0, 0, &fn::to_date_time},
    FunctionSpec{"convertsToDateTime", 0, 0, &fn::converts_to_date_time},
    FunctionSpec{"toTime", 0, 0, &fn::to_time},
    FunctionSpec{"convertsToTime", 0, 0, &fn::converts_to_time},
    FunctionSpec{"toQuantity", 0, 1, &fn::to_quantity},
    FunctionSpec{"convertsToQuantity", 0, 1, &fn::converts_to_quantity},
    // String manipulation
    FunctionSpec{"indexOf", 1, 1, &fn::index_of},
    FunctionSpec{"lastIndexOf", 1, 1, &fn::last_index_of},
    FunctionSpec{"substring", 1, 2, &fn::substring},
    FunctionSpec{"startsWith", 1, 1, &fn::starts_with},
    FunctionSpec{"endsWith", 1, 1, &fn::ends_with},
    FunctionSpec{"contains", 1, 1, &fn::contains_text},
    FunctionSpec{"upper", 0, 0, &fn::upper},
    FunctionSpec{"lower", 0, 0, &fn::lower},
    FunctionSpec{"replace", 2, 2, &fn::replace},
    FunctionSpec{"matches", 1, 1, &fn::matches},
    FunctionSpec{"matchesFull", 1, 1, &fn::matches_full},
    FunctionSpec{"replaceMatches", 2, 2, &fn::replace_matches},
    FunctionSpec{"length", 0, 0, &fn::length},
    FunctionSpec{"toChars", 0, 0, &fn::to_chars},
    FunctionSpec{"split", 1, 1, &fn::split},
    FunctionSpec{"join", 0, 1, &fn::join},
    FunctionSpec{"trim", 0, 0, &fn::trim},
    FunctionSpec{"encode", 1, 1, &fn::encode},
    FunctionSpec{"decode", 1, 1, &fn::decode},
    FunctionSpec{"escape", 1, 1, &fn::escape},
    FunctionSpec{"unescape", 1, 1, &fn::unescape},
    // Math
    FunctionSpec{"abs", 0, 0, &fn::abs},
    FunctionSpec{"ceiling", 0, 0, &fn::ceiling},
    FunctionSpec{"exp", 0, 0, &fn::exp},
    FunctionSpec{"floor", 0, 0, &fn::floor},
    FunctionSpec{"ln", 0, 0, &fn::ln},
    FunctionSpec{"log", 1, 1, &fn::log},
    FunctionSpec{"power", 1, 1, &fn::power},
    FunctionSpec{"round", 0, 1, &fn::round},
    FunctionSpec{"sqrt", 0, 0, &fn::sqrt},
    FunctionSpec{"truncate", 0, 0, &fn::truncate},
    // Tree navigation
    FunctionSpec{"children", 0, 0, &fn::children},
    FunctionSpec{"descendants", 0, 0, &fn::descendants},
    // Utility, types, aggregates
    FunctionSpec{"trace", 1, 2, &fn::trace},
    FunctionSpec{"now", 0, 0, &fn::now},
    FunctionSpec{"today", 0, 0, &fn::today},
    FunctionSpec{"timeOfDay", 0, 0, &fn::time_of_day},
    FunctionSpec{"defineVariable", 1, 2, &fn::define_variable},
    FunctionSpec{"lowBoundary", 0, 1, &fn::low_boundary},
    FunctionSpec{"highBoundary", 0, 1, &fn::high_boundary},
    FunctionSpec{"precision", 0, 0, &fn::precision},
    FunctionSpec{"comparable", 1, 1, &fn::comparable},
    FunctionSpec{"sort", 0, 16, &fn::sort},
    FunctionSpec{"type", 0, 0, &fn::type},
    FunctionSpec{"is", 1, 1, &fn::is},
    FunctionSpec{"as", 1, 1, &fn::as},
    FunctionSpec{"aggregate", 1, 2, &fn::aggregate},
    // FHIR R5
    FunctionSpec{"extension", 1, 1, &fn::extension},
    FunctionSpec{"hasValue", 0, 0, &fn::has_value},
    FunctionSpec{"getValue", 0, 0, &fn::get_value},
    FunctionSpec{"resolve", 0, 0, &fn::resolve},
    FunctionSpec{"htmlChecks", 0, 0, &fn::html_checks},
    FunctionSpec{"conformsTo", 1, 1, &fn::conforms_to},
    // Defined by FHIR but needing a terminology server or a profile validator: they raise an
    // EvaluationError that says so (docs/fhirpath.md#known-gaps).
    FunctionSpec{"memberOf", 1, 1, &fn::unsupported},
    FunctionSpec{"subsumes", 1, 1, &fn::unsupported},
    FunctionSpec{"subsumedBy", 1, 1, &fn::unsupported},
    FunctionSpec{"elementDefinition", 0, 0, &fn::unsupported},
    FunctionSpec{"slice", 2, 2, &fn::unsupported},
    FunctionSpec{"checkModifiers", 1, 1, &fn::unsupported},
};

}  // namespace

const FunctionSpec* find_function(std::string_view name) {
  for (const auto& function : kFunctions) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail
