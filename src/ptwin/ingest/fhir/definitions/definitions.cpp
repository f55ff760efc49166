// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/definitions.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <mutex>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

// Abstract bases whose SearchParameters apply to the resources below them.
constexpr std::array<std::string_view, 4> kAbstractResourceBases{
    "Resource", "DomainResource", "CanonicalResource", "MetadataResource"};
// Longest baseDefinition chain in R5 is 5 (e.g. SimpleQuantity -> Quantity -> DataType ->
// Element -> Base); the bound only stops a cycle in a damaged package.
constexpr int kMaxDerivationDepth = 32;

std::string structure_url(std::string_view type_or_url) {
  const auto canonical = canonical_without_version(type_or_url);
  if (canonical.find('/') != std::string_view::npos) return std::string(canonical);
  return fmt::format("{}{}", kStructureDefinitionBase, canonical);
}

std::string_view type_name_of_url(std::string_view url) { return url.substr(url.rfind('/') + 1); }

// "SearchParameter-Observation-code.json" -> "Observation".
std::string_view search_file_prefix(std::string_view filename) {
  filename.remove_prefix(std::string_view("SearchParameter-").size());
  return filename.substr(0, filename.find('-'));
}

}  // namespace

Definitions::Definitions(Package package) : package_(std::move(package)) {}
Definitions::~Definitions() = default;

std::unique_ptr<Definitions> Definitions::open(const std::optional<std::filesystem::path>& dir) {
  return std::make_unique<Definitions>(Package::open(locate_core_package(dir)));
}

nlohmann::json Definitions::read_counted(const std::string& filename) const {
  const auto text = package_.read_text(filename);
  ++statistics_.files_parsed;
  statistics_.bytes_parsed += text.size();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(ErrorCode::FhirDefinitionInvalid, (package_.dir() / filename).string(),
                     fmt::format("byte {}", error.byte), "is not valid JSON");
  }
}

std::optional<std::string> Definitions::find_file_locked(std::string_view resource_type,
                                                         std::string_view url) const {
  // In hl7.fhir.r5.core every StructureDefinition, ValueSet and SearchParameter whose url is
  // http://hl7.org/fhir/<Type>/<id> lives in <Type>-<id>.json (a unit test checks this over
  // the whole package), so for such urls a miss of the naming rule is final and the costly
  // scan is kept for the other urls, and for CodeSystems, whose file names do not follow it.
  if (resource_type != "CodeSystem" &&
      url.starts_with(fmt::format("http://hl7.org/fhir/{}/", resource_type))) {
    return std::nullopt;
  }
  auto scan = scans_.find(std::string(resource_type));
  if (scan == scans_.end()) {
    scan = scans_.emplace(std::string(resource_type), package_.scan_urls(resource_type)).first;
  }
  const auto hit = scan->second.find(url);
  if (hit == scan->second.end()) return std::nullopt;
  return hit->second;
}

// The resource of `resource_type` with canonical `url`: the naming rule's file when its url
// matches, else the scanned index's. nullopt when the package has none.
std::optional<std::pair<std::string, nlohmann::json>> Definitions::load_by_url_locked(
    std::string_view resource_type, const std::string& url) const {
  if (const auto guess = package_.find_by_url(resource_type, url)) {
    auto candidate = read_counted(*guess);
    if (candidate.is_object() && candidate.value("url", "") == url) {
      return std::pair{*guess, std::move(candidate)};
    }
  }
  if (const auto scanned = find_file_locked(resource_type, url)) {
    return std::pair{*scanned, read_counted(*scanned)};
  }
  return std::nullopt;
}

const StructureDefinition* Definitions::structure_locked(const std::string& url) const {
  if (const auto it = structures_.find(url); it != structures_.end()) return it->second.get();
  std::unique_ptr<StructureDefinition> loaded;
  if (const auto found = load_by_url_locked("StructureDefinition", url)) {
    loaded = std::make_unique<StructureDefinition>(
        parse_structure_definition(found->second, found->first));
    ++statistics_.structure_definitions;
  }
  return structures_.emplace(url, std::move(loaded)).first->second.get();
}

const CodeSystem* Definitions::code_system_locked(const std::string& url) const {
  if (const auto it = code_systems_.find(url); it != code_systems_.end()) return it->second.get();
  std::unique_ptr<CodeSystem> loaded;
  if (const auto found = load_by_url_locked("CodeSystem", url)) {
    loaded = std::make_unique<CodeSystem>(parse_code_system(found->second, found->first));
    ++statistics_.code_systems;
  }
  return code_systems_.emplace(url, std::move(loaded)).first->second.get();
}

const ValueSetExpansion& Definitions::expansion_locked(const std::string& url) const {
  if (const auto it = expansions_.find(url); it != expansions_.end()) return *it->second;
  auto result = std::make_unique<ValueSetExpansion>();
  result->url = url;
  if (expansions_in_progress_.contains(url)) {
    // Kept aside, not cached under the url: the outer expansion of the same value set
    // finishes and records the real outcome.
    result->failure = fmt::format("value set {} includes itself", url);
    return *cycle_failures_.emplace_back(std::move(result));
  }
  expansions_in_progress_.insert(url);
  if (const auto found = load_by_url_locked("ValueSet", url)) {
    const TerminologyLookup lookup{
        [this](std::string_view system) { return code_system_locked(std::string(system)); },
        [this](std::string_view canonical) -> const ValueSetExpansion& {
          return expansion_locked(std::string(canonical_without_version(canonical)));
        }};
    *result = expand_value_set(found->second, lookup, found->first);
    result->url = url;
  } else {
    result->failure = fmt::format("value set {} is not in the package", url);
  }
  expansions_in_progress_.erase(url);
  ++statistics_.value_set_expansions;
  return *expansions_.insert_or_assign(url, std::move(result)).first->second;
}

const StructureDefinition* Definitions::find_structure(std::string_view type_or_url) const {
  const auto url = structure_url(type_or_url);
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = structures_.find(url); it != structures_.end()) return it->second.get();
  }
  const std::unique_lock lock(mutex_);
  return structure_locked(url);
}

const StructureDefinition& Definitions::structure(std::string_view type_or_url) const {
  const auto* found = find_structure(type_or_url);
  if (found == nullptr) {
    throw InputError(ErrorCode::NotFound, fmt::format("{} {}", package_.name(), package_.version()),
                     std::string(type_or_url), "has no StructureDefinition of that name or url");
  }
  return *found;
}

const CodeSystem* Definitions::find_code_system(std::string_view url) const {
  const std::string key(canonical_without_version(url));
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = code_systems_.find(key); it != code_systems_.end()) return it->second.get();
  }
  const std::unique_lock lock(mutex_);
  return code_system_locked(key);
}

const ValueSetExpansion& Definitions::expansion(std::string_view canonical) const {
  const std::string key(canonical_without_version(canonical));
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = expansions_.find(key); it != expansions_.end()) return *it->second;
  }
  const std::unique_lock lock(mutex_);
  return expansion_locked(key);
}

void Definitions::load_search_parameters_locked(std::string_view resource_type) const {
  for (const auto& file : package_.files_of_type("SearchParameter")) {
    if (search_files_read_.contains(file)) continue;
    const auto prefix = search_file_prefix(file);
    // Files are named <base>-<code>; those whose prefix is another concrete resource type
    // cannot apply to `resource_type`. Shared definitions ("clinical-patient", ...) and those
    // of abstract bases are read.
    const bool is_abstract_base =
        std::find(kAbstractResourceBases.begin(), kAbstractResourceBases.end(), prefix) !=
        kAbstractResourceBases.end();
    const bool is_other_type = prefix != resource_type && !is_abstract_base &&
                               package_.find_by_id("StructureDefinition", prefix).has_value();
    if (is_other_type) continue;
    search_files_read_.insert(file);
    auto parameter =
        std::make_unique<SearchParameter>(parse_search_parameter(read_counted(file), file));
    ++statistics_.search_parameters;
    search_by_file_.emplace(file, std::move(parameter));
  }
}

std::vector<const SearchParameter*> Definitions::search_parameters(
    std::string_view resource_type) const {
  std::vector<const SearchParameter*> candidates;
  {
    const std::unique_lock lock(mutex_);
    load_search_parameters_locked(resource_type);
    for (const auto& [file, parameter] : search_by_file_) candidates.push_back(parameter.get());
  }
  std::vector<const SearchParameter*> out;
  for (const auto* parameter : candidates) {
    const bool applies =
        std::any_of(parameter->base.begin(), parameter->base.end(),
                    [&](const std::string& base) { return is_subtype_of(resource_type, base); });
    if (applies) out.push_back(parameter);
  }
  std::sort(out.begin(), out.end(),
            [](const auto* left, const auto* right) { return left->code < right->code; });
  return out;
}

const SearchParameter* Definitions::find_search_parameter(std::string_view resource_type,
                                                          std::string_view code) const {
  for (const auto* parameter : search_parameters(resource_type)) {
    if (parameter->code == code) return parameter;
  }
  return nullptr;
}

std::size_t Definitions::preload(std::span<const std::string_view> types) const {
  std::size_t loaded = 0;
  std::set<std::string, std::less<>> seen;
  std::deque<std::string> queue(types.begin(), types.end());
  while (!queue.empty()) {
    const auto type = std::move(queue.front());
    queue.pop_front();
    if (!seen.insert(type).second) continue;
    const auto before = statistics().structure_definitions;
    const auto* sd = find_structure(type);
    if (sd == nullptr) continue;
    loaded += statistics().structure_definitions - before;
    for (const auto& element : sd->elements) {
      if (!element.children.empty()) continue;  // backbone: its children are in this definition
      for (const auto& type_ref : element.types) {
        if (!seen.contains(type_ref.code)) queue.push_back(type_ref.code);
      }
    }
  }
  return loaded;
}

std::optional<StructureKind> Definitions::kind_of(std::string_view type) const {
  const auto* sd = find_structure(type);
  if (sd == nullptr) return std::nullopt;
  return sd->kind;
}

bool Definitions::is_resource_type(std::string_view type) const {
  return kind_of(type) == StructureKind::Resource;
}

bool Definitions::is_primitive_type(std::string_view type) const {
  return kind_of(type) == StructureKind::PrimitiveType;
}

std::string Definitions::base_type_of(std::string_view type) const {
  const auto* sd = find_structure(type);
  if (sd == nullptr || sd->base_definition.empty()) return {};
  return std::string(type_name_of_url(sd->base_definition));
}

bool Definitions::is_subtype_of(std::string_view type, std::string_view ancestor) const {
  std::string current(type);
  for (int depth = 0; depth < kMaxDerivationDepth && !current.empty(); ++depth) {
    if (current == ancestor) return true;
    current = base_type_of(current);
  }
  return false;
}

LoadStatistics Definitions::statistics() const {
  const std::shared_lock lock(mutex_);
  return statistics_;
}

}  // namespace ptwin::ingest::fhir::definitions
