// SPDX-License-Identifier: Apache-2.0
#pragma once
// A FHIR search request (R5 search.html) as the store's SearchQuery: each parameter is looked
// up among the resource type's SearchParameter definitions and its values are parsed by the
// parameter's type. Handling is "strict" (search.html#errors): an unknown parameter, modifier
// or malformed value throws FhirError(400) naming it, instead of being ignored.
//
// Supported: every string/token/date/number/quantity/reference/uri parameter of the type, _id,
// _lastUpdated; modifiers :exact :contains :text :not :missing :below :above and a type
// modifier on references; one level of chaining (subject.name, subject:Patient.name) and
// _has:Type:param:param; _count, _offset, _sort, _include, _revinclude, _total, _format.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::server::fhir {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

enum class TotalMode { Accurate, None };

struct SearchRequest {
  store::fhir::SearchQuery query;
  TotalMode total = TotalMode::Accurate;
  /// The parameters to repeat in paging links (all but _offset), in request order.
  QueryParams link_params;
};

/// `base_url` turns absolute references to this server into local ones.
[[nodiscard]] SearchRequest parse_search(const ingest::fhir::indexing::IndexExtractor& parameters,
                                         std::string_view resource_type, const QueryParams& params,
                                         std::string_view base_url);

/// Only the criteria (conditional create's If-None-Exist); result parameters are refused.
[[nodiscard]] std::vector<store::fhir::Criterion> parse_criteria(
    const ingest::fhir::indexing::IndexExtractor& parameters, std::string_view resource_type,
    const QueryParams& params, std::string_view base_url);

/// name=value&... with each part percent-encoded (for paging links).
[[nodiscard]] std::string encode_query(const QueryParams& params);

}  // namespace ptwin::server::fhir
