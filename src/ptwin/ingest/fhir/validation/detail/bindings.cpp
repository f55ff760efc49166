// SPDX-License-Identifier: Apache-2.0
// Required bindings (terminologies.html#strength): the code SHALL be in the value set. Other
// strengths are not conformance rules and are not checked.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {

constexpr std::size_t kCodesShown = 12;

std::string text_of(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const defs::ValueSetExpansion* Walk::required_expansion(const defs::ElementDefinition& element,
                                                        const std::string& path) {
  if (!element.binding || element.binding->strength != defs::BindingStrength::Required ||
      element.binding->value_set.empty()) {
    return nullptr;
  }
  const auto& expansion = definitions_.expansion(element.binding->value_set);
  if (expansion.is_complete()) return &expansion;
  if (options_.report_unchecked_bindings && unchecked_value_sets_.insert(expansion.url).second) {
    add(IssueSeverity::Information, IssueType::NotSupported, path,
        fmt::format("codes bound to {} are not checked: {}", expansion.url, expansion.failure));
  }
  return nullptr;
}

void Walk::code_binding(const defs::ElementDefinition& element, const json& value,
                        const std::string& path) {
  if (!value.is_string()) return;
  const auto* expansion = required_expansion(element, path);
  if (expansion == nullptr) return;
  const auto& code = value.get_ref<const std::string&>();
  if (!expansion->contains_code(code)) {
    add(IssueSeverity::Error, IssueType::CodeInvalid, path,
        fmt::format("'{}' is not in the required value set {} ({})", printable_value(code),
                    expansion->url, expansion->sample(kCodesShown)),
        printable_value(code));
  }
}

void Walk::complex_binding(const defs::ElementDefinition& element, std::string_view type,
                           const json& value, const std::string& path) {
  const bool is_coded = type == "Coding" || type == "Quantity" || type == "CodeableConcept" ||
                        type == "CodeableReference";
  if (!is_coded || !element.binding ||
      element.binding->strength != defs::BindingStrength::Required) {
    return;
  }
  const json* coded = &value;
  std::string coded_path = path;
  if (type == "CodeableReference") {
    const auto it = value.find("concept");
    if (it == value.end() || !it->is_object()) return;
    coded = &*it;
    coded_path += ".concept";
  }
  const auto* expansion = required_expansion(element, path);
  if (expansion == nullptr) return;
  if (type == "Coding" || type == "Quantity") {
    coding_binding(*coded, coded_path, *expansion);
  } else {
    concept_binding(*coded, coded_path, *expansion);
  }
}

void Walk::coding_binding(const json& coding, const std::string& path,
                          const defs::ValueSetExpansion& expansion) {
  const auto code = printable_value(text_of(coding, "code"));
  if (code.empty()) return;  // no coded value to check
  const auto system = printable_value(text_of(coding, "system"));
  if (system.empty()) {
    add(IssueSeverity::Error, IssueType::CodeInvalid, path + ".system",
        fmt::format("is missing: code '{}' is bound to the required value set {}, which needs "
                    "the code's system",
                    code, expansion.url),
        code);
  } else if (!expansion.contains(text_of(coding, "system"), text_of(coding, "code"))) {
    add(IssueSeverity::Error, IssueType::CodeInvalid, path + ".code",
        fmt::format("'{}|{}' is not in the required value set {} ({})", system, code, expansion.url,
                    expansion.sample(kCodesShown)),
        code);
  }
}

// terminologies.html: one coding of a CodeableConcept SHALL be from a required value set; the
// others are translations.
void Walk::concept_binding(const json& concept_json, const std::string& path,
                           const defs::ValueSetExpansion& expansion) {
  std::vector<std::string> given;
  if (const auto codings = concept_json.find("coding");
      codings != concept_json.end() && codings->is_array()) {
    for (const auto& coding : *codings) {
      if (!coding.is_object()) continue;
      const auto system = text_of(coding, "system");
      const auto code = text_of(coding, "code");
      if (expansion.contains(system, code)) return;
      given.push_back(system.empty()
                          ? fmt::format("'{}' without a system", printable_value(code))
                          : fmt::format("{}|{}", printable_value(system), printable_value(code)));
    }
  }
  const auto shown =
      given.empty() ? std::string("no coding") : fmt::format("{}", fmt::join(given, ", "));
  add(IssueSeverity::Error, IssueType::CodeInvalid, path,
      fmt::format("has no coding from the required value set {} (given: {}; allowed: {})",
                  expansion.url, shown, expansion.sample(kCodesShown)),
      given.empty() ? std::string() : given.front());
}

}  // namespace ptwin::ingest::fhir::validation::detail
