// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"

#include <algorithm>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

// Answered by the store from its resource table (search_query.hpp).
bool is_store_parameter(std::string_view code) {
  return code == store::fhir::kIdParam || code == store::fhir::kLastUpdatedParam;
}

template <typename Row>
void deduplicate(std::vector<Row>& rows) {
  std::vector<Row> unique;
  unique.reserve(rows.size());
  for (Row& row : rows) {
    if (std::find(unique.begin(), unique.end(), row) == unique.end()) unique.push_back(std::move(row));
  }
  rows = std::move(unique);
}

}  // namespace

store::fhir::SearchParamType to_store_type(IndexedType type) {
  using store::fhir::SearchParamType;
  switch (type) {
    case IndexedType::String: return SearchParamType::String;
    case IndexedType::Token: return SearchParamType::Token;
    case IndexedType::Date: return SearchParamType::Date;
    case IndexedType::Number: return SearchParamType::Number;
    case IndexedType::Quantity: return SearchParamType::Quantity;
    case IndexedType::Reference: return SearchParamType::Reference;
    case IndexedType::Uri: return SearchParamType::Uri;
  }
  return SearchParamType::Token;
}

std::optional<IndexedType> indexed_type(std::string_view type_code) {
  if (type_code == "string") return IndexedType::String;
  if (type_code == "token") return IndexedType::Token;
  if (type_code == "date") return IndexedType::Date;
  if (type_code == "number") return IndexedType::Number;
  if (type_code == "quantity") return IndexedType::Quantity;
  if (type_code == "reference") return IndexedType::Reference;
  if (type_code == "uri") return IndexedType::Uri;
  return std::nullopt;
}

IndexExtractor::IndexExtractor(const definitions::Definitions& definitions)
    : definitions_(definitions), definition_types_(definitions) {}

const std::vector<IndexExtractor::Compiled>& IndexExtractor::compiled(
    std::string_view resource_type) const {
  const std::lock_guard lock(mutex_);
  if (const auto found = cache_.find(resource_type); found != cache_.end()) return *found->second;
  auto entries = std::make_unique<std::vector<Compiled>>();
  std::vector<IndexedParameter> list;
  if (definitions_.is_resource_type(resource_type)) {
    for (const definitions::SearchParameter* definition :
         definitions_.search_parameters(resource_type)) {
      const auto type = indexed_type(definition->type);
      // processingMode other (_in: membership in a List, Group or CareTeam) and phonetic
      // (sound-alike names) mean something the expression alone does not compute; indexing
      // their expression would answer those searches wrongly, so they stay unknown parameters.
      const bool is_normal = definition->processing_mode.empty() || definition->processing_mode == "normal";
      if (!type.has_value() || !is_normal || is_store_parameter(definition->code) ||
          definition->expression.empty()) {
        continue;
      }
      Compiled entry{{definition->code, *type, definition}, std::nullopt, {}};
      try {
        // Only the union branches that can select on this type are kept (bench/ingest).
        entry.expression = fhirpath::Expression::compile(definition->expression)
                               .for_resource_type(resource_type, types_);
      } catch (const InputError& error) {
        entry.compile_error = error.what();
      }
      list.push_back(entry.parameter);
      entries->push_back(std::move(entry));
    }
  }
  parameter_lists_.emplace(std::string(resource_type), std::move(list));
  return *cache_.emplace(std::string(resource_type), std::move(entries)).first->second;
}

const std::vector<IndexedParameter>& IndexExtractor::parameters(
    std::string_view resource_type) const {
  (void)compiled(resource_type);
  const std::lock_guard lock(mutex_);
  return parameter_lists_.find(resource_type)->second;
}

const IndexedParameter* IndexExtractor::find_parameter(std::string_view resource_type,
                                                       std::string_view code) const {
  for (const IndexedParameter& parameter : parameters(resource_type)) {
    if (parameter.code == code) return &parameter;
  }
  return nullptr;
}

Extraction IndexExtractor::extract(const nlohmann::json& resource) const {
  const auto type_field = resource.is_object() ? resource.find("resourceType") : resource.end();
  if (!resource.is_object() || type_field == resource.end() || !type_field->is_string()) {
    throw InputError(ErrorCode::BadInput, "resource.resourceType", "",
                     "index extraction needs a JSON object with a string resourceType");
  }
  const std::string resource_type = type_field->get<std::string>();
  fhirpath::EvaluationOptions options;
  options.types = &types_;
  options.stub_unresolved_references = true;  // lets `where(resolve() is Patient)` test types

  Extraction extraction;
  for (const Compiled& entry : compiled(resource_type)) {
    if (!entry.expression.has_value()) {
      extraction.skipped.push_back({entry.parameter.code, entry.compile_error});
      continue;
    }
    fhirpath::Collection values;
    try {
      values = fhirpath::evaluate(*entry.expression, resource, options);
    } catch (const fhirpath::EvaluationError& error) {
      extraction.skipped.push_back({entry.parameter.code, error.what()});
      continue;
    }
    for (const fhirpath::Item& item : values) {
      try {
        append_rows(item, entry.parameter.code, entry.parameter.type, extraction.rows);
      } catch (const InputError& error) {
        // e.g. `_in` selects bare ids that no reference row can hold.
        extraction.skipped.push_back({entry.parameter.code, error.what()});
      }
    }
  }
  deduplicate(extraction.rows.strings);
  deduplicate(extraction.rows.tokens);
  deduplicate(extraction.rows.dates);
  deduplicate(extraction.rows.numbers);
  deduplicate(extraction.rows.quantities);
  deduplicate(extraction.rows.references);
  deduplicate(extraction.rows.uris);
  return extraction;
}

}  // namespace ptwin::ingest::fhir::indexing
