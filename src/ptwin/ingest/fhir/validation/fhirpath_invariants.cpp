// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/fhirpath/errors.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

// Trace output kept for a violation's diagnostics: enough to name the offending ids, short
// enough for an OperationOutcome.
constexpr std::size_t kMaxTraceBytes = 240;
// An engine message can quote a whole expression (dom-3 is 400 characters).
constexpr std::size_t kMaxReasonBytes = 600;

// Text for a diagnostic: control characters escaped (they must not reach an OperationOutcome
// or a log line), cut after `limit` bytes. printable_value would cut after 64.
std::string diagnostic_text(std::string_view text, std::size_t limit) {
  std::string out;
  for (const char c : text.substr(0, limit)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

// References between the entries of the Bundle being validated (bundle.html#references: by
// fullUrl, or by type and id), then the caller's resolver. The engine itself resolves "#id"
// against %rootResource.
class EntryResolver final : public fhirpath::ReferenceResolver {
 public:
  /// `budget` (may be null) pays one unit per entry looked at, as navigation does per element.
  EntryResolver(const json* bundle, const fhirpath::ReferenceResolver* next, std::size_t* budget)
      : bundle_(bundle), next_(next), budget_(budget) {}

  [[nodiscard]] const json* resolve(std::string_view reference) const override {
    if (const json* found = in_bundle(reference)) return found;
    return next_ != nullptr ? next_->resolve(reference) : nullptr;
  }

 private:
  [[nodiscard]] const json* in_bundle(std::string_view reference) const {
    if (bundle_ == nullptr) return nullptr;
    const auto entries = bundle_->find("entry");
    if (entries == bundle_->end() || !entries->is_array()) return nullptr;
    // "Type/id" or "Type/id/_history/vid": the version does not change which entry it is.
    std::string_view type_and_id = reference.substr(0, reference.find("/_history/"));
    const auto slash = type_and_id.find('/');
    const bool is_relative = slash != std::string_view::npos &&
                             type_and_id.find('/', slash + 1) == std::string_view::npos &&
                             type_and_id.find(':') == std::string_view::npos;
    if (budget_ != nullptr) {
      if (*budget_ < entries->size()) {
        *budget_ = 0;
        throw fhirpath::EvaluationError("resolve()", std::string(reference),
                                        "is too costly: the navigation budget is spent");
      }
      *budget_ -= entries->size();
    }
    for (const auto& entry : *entries) {
      if (!entry.is_object()) continue;
      const auto resource = entry.find("resource");
      if (resource == entry.end() || !resource->is_object()) continue;
      const auto full_url = entry.find("fullUrl");
      if (full_url != entry.end() && full_url->is_string() &&
          full_url->get_ref<const std::string&>() == reference) {
        return &*resource;
      }
      if (is_relative && resource->value("resourceType", "") == type_and_id.substr(0, slash) &&
          resource->value("id", "") == type_and_id.substr(slash + 1)) {
        return &*resource;
      }
    }
    return nullptr;
  }

  const json* bundle_;
  const fhirpath::ReferenceResolver* next_;
  std::size_t* budget_;
};

constexpr std::string_view kWorkLimitReason =
    "too costly: the invariant work this validation allows (ValidatorOptions::"
    "invariant_work_per_element for each element) is spent";

// ele-1 ("All FHIR elements must have a @value or children") is checked at every element
// occurrence, primitives included: about 35 times for a vital-sign Observation, where it was
// a fifth of the import's CPU time (docs/bulk_data.md#import). Its FHIRPath holds whenever
// the element is a primitive with a value, or has a JSON member other than its id whose value
// (or "_" companion) is not null, since the engine's children() counts exactly those members
// (Model::children). That case is answered here; every other one goes to the engine, which
// gives the violation its trace.
constexpr std::string_view kEle1Expression = "hasValue() or (children().count() > id.count())";

bool holds_a_value(const json& value) {
  if (!value.is_array()) return !value.is_null();
  return std::any_of(value.begin(), value.end(), [](const json& item) { return !item.is_null(); });
}

bool plainly_satisfies_ele1(const json& focus) {
  if (focus.is_string()) return !focus.get_ref<const std::string&>().empty();
  if (focus.is_boolean() || focus.is_number()) return true;
  if (!focus.is_object()) return false;
  for (const auto& [key, value] : focus.items()) {
    if (key.empty() || key == "id" || key == "_id" || key == "resourceType") continue;
    if (holds_a_value(value)) return true;
  }
  return false;
}

fhirpath::Item focus_item(const InvariantContext& context) {
  fhirpath::Node node;
  node.value = context.focus.is_null() ? nullptr : &context.focus;
  node.extension_part = context.focus_extension;
  node.type = std::string(context.focus_type);
  return node;
}

// FHIRPath N1 §"Singleton Evaluation of Collections", with a Boolean expected.
InvariantVerdict verdict_of(const fhirpath::Collection& result, std::string trace) {
  const auto violated = [&](std::string detail) {
    if (!trace.empty()) {
      if (!detail.empty()) detail += "; ";
      detail += trace;
    }
    return InvariantVerdict{InvariantOutcome::Violated, std::move(detail)};
  };
  if (result.empty()) return violated("the expression gave an empty result, not true");
  if (result.size() > 1) {
    return {InvariantOutcome::NotEvaluated,
            fmt::format("the expression gave {} where one Boolean is expected",
                        fhirpath::describe(result))};
  }
  std::optional<fhirpath::Item> value = result.front();
  if (std::holds_alternative<fhirpath::Node>(result.front())) {
    value = fhirpath::system_value(result.front());  // a FHIR boolean node -> its value
  }
  const bool* flag = value ? std::get_if<bool>(&*value) : nullptr;
  if (flag == nullptr || *flag) return {InvariantOutcome::Satisfied, {}};
  return violated({});
}

}  // namespace

FhirPathInvariants::FhirPathInvariants(const definitions::Definitions& definitions,
                                       FhirPathInvariantOptions options)
    : definitions_(definitions), options_(options), definition_types_(definitions) {}

FhirPathInvariants::~FhirPathInvariants() = default;

const FhirPathInvariants::Compiled& FhirPathInvariants::compiled(const std::string& text,
                                                                 bool* is_new_out) const {
  {
    const std::shared_lock lock(mutex_);
    const auto found = cache_.find(std::string_view(text));
    if (found != cache_.end()) return found->second;
  }
  const std::unique_lock lock(mutex_);
  const auto [slot, is_new] = cache_.try_emplace(text);
  if (is_new_out != nullptr) *is_new_out = is_new;
  if (is_new) {
    try {
      slot->second.expression = fhirpath::Expression::compile(text);
    } catch (const fhirpath::ParseError& error) {
      // Remembered: an expression the engine cannot read is reported, not re-parsed.
      slot->second.error = diagnostic_text(error.what(), kMaxReasonBytes);
    }
  }
  return slot->second;
}

InvariantVerdict FhirPathInvariants::evaluate(const InvariantContext& context) const {
  if (context.constraint.expression == kEle1Expression && plainly_satisfies_ele1(context.focus)) {
    return {InvariantOutcome::Satisfied, {}};
  }
  const Compiled& entry = compiled(context.constraint.expression);
  if (!entry.expression) return {InvariantOutcome::NotEvaluated, entry.error};
  std::size_t* budget = context.budget != nullptr ? &context.budget->remaining : nullptr;
  if (budget != nullptr && (context.budget->is_spent || *budget == 0)) {
    context.budget->is_spent = true;
    return {InvariantOutcome::NotEvaluated, std::string(kWorkLimitReason)};
  }

  fhirpath::EvaluationContext start;
  start.focus.push_back(focus_item(context));
  start.resource = &context.resource;
  start.root_resource = &context.root_resource;

  const EntryResolver resolver(context.bundle, options_.references, budget);
  std::string trace;
  fhirpath::EvaluationOptions evaluation;
  evaluation.types = &types_;
  evaluation.navigation_budget = budget;
  evaluation.clock = options_.clock;
  evaluation.references = &resolver;
  evaluation.trace = [&trace](std::string_view name, const fhirpath::Collection& values) {
    if (trace.size() >= kMaxTraceBytes) return;
    if (!trace.empty()) trace += "; ";
    trace += fmt::format("trace {}: {}", name, fhirpath::describe(values));
    trace = diagnostic_text(trace, kMaxTraceBytes);
  };
  try {
    const auto result = fhirpath::evaluate(*entry.expression, start, evaluation);
    return verdict_of(result, std::move(trace));
  } catch (const InputError& error) {
    // EvaluationError (the budget spent among them), and an invalid primitive value met by
    // system_value(): the constraint is neither satisfied nor violated.
    if (budget != nullptr && *budget == 0) {
      context.budget->is_spent = true;
      return {InvariantOutcome::NotEvaluated, std::string(kWorkLimitReason)};
    }
    return {InvariantOutcome::NotEvaluated, diagnostic_text(error.what(), kMaxReasonBytes)};
  }
}

std::size_t FhirPathInvariants::precompile(std::span<const std::string_view> types) const {
  std::size_t compiled_now = 0;
  std::set<std::string, std::less<>> seen;
  std::deque<std::string> pending;
  for (const auto type : types) {
    if (seen.emplace(type).second) pending.emplace_back(type);
  }
  while (!pending.empty()) {
    const std::string type = std::move(pending.front());
    pending.pop_front();
    const auto* structure = definitions_.find_structure(type);
    if (structure == nullptr) continue;
    for (const auto& element : structure->elements) {
      for (const auto& constraint : element.constraints) {
        if (constraint.expression.empty()) continue;
        bool is_new = false;
        (void)compiled(constraint.expression, &is_new);
        if (is_new) ++compiled_now;
      }
      for (const auto& type_ref : element.types) {
        if (!type_ref.is_system_type && seen.insert(type_ref.code).second) {
          pending.push_back(type_ref.code);
        }
      }
    }
  }
  return compiled_now;
}

InvariantCacheStatistics FhirPathInvariants::statistics() const {
  const std::shared_lock lock(mutex_);
  InvariantCacheStatistics statistics;
  statistics.expressions = cache_.size();
  for (const auto& [text, entry] : cache_) {
    if (!entry.expression) ++statistics.unparseable;
  }
  return statistics;
}

InvariantEvaluator make_fhirpath_invariant_evaluator(const definitions::Definitions& definitions,
                                                     FhirPathInvariantOptions options) {
  // std::function must be copyable; the copies share one cache.
  auto invariants = std::make_shared<const FhirPathInvariants>(definitions, options);
  return [invariants = std::move(invariants)](const InvariantContext& context) {
    return invariants->evaluate(context);
  };
}

}  // namespace ptwin::ingest::fhir::validation
