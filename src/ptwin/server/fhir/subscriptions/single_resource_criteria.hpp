// SPDX-License-Identifier: Apache-2.0
#pragma once
// Search criteria that can be decided on one resource alone: SubscriptionTopic queryCriteria
// ("Encounter?status=in-progress" or "status=in-progress") and Subscription filters. They are
// read by the facade's own search parser (search_request.hpp parse_criteria), so a topic means
// exactly what the same query means to GET [base]/Encounter?..., and are matched with
// store::fhir::matches() against the resource's index rows.
//
// Refused, because one resource cannot answer them: chained parameters (subject.name), reverse
// chains (_has:...) and result parameters (_sort, _count, _include, ...).

#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/search_request.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::server::fhir::subscriptions {

/// What compiling a topic or subscription reads. Every reference must outlive its use.
struct CompileContext {
  const ingest::fhir::definitions::Definitions& definitions;
  const ingest::fhir::indexing::IndexExtractor& extractor;
  /// The server's base URL, so that absolute references to this server become local ones (as
  /// in search); "" when there is none.
  std::string_view base_url;
};

/// The criteria of `text`, a query string with or without the leading "Type?" (percent-encoded
/// as in a URL), for resources of `resource_type`. Throws InputError(BadInput) with `where`,
/// the whole text as value, and the parser's reason naming the parameter, for: another type
/// before '?', an unknown parameter, modifier or malformed value, a result parameter, a chain or
/// a reverse chain.
[[nodiscard]] std::vector<store::fhir::Criterion> parse_single_resource_criteria(
    const CompileContext& context, std::string_view resource_type, std::string_view text,
    std::string_view where);

/// As parse_single_resource_criteria, for parameters already split and decoded (a
/// Subscription filter's name and value). `shown_text` is the value the errors quote.
[[nodiscard]] std::vector<store::fhir::Criterion> parse_single_resource_params(
    const CompileContext& context, std::string_view resource_type, const QueryParams& params,
    std::string_view where, std::string_view shown_text);

/// The resource type a `resource` element names (a bare type or the core StructureDefinition
/// canonical), checked against the definitions. Throws InputError(BadInput) with `where` for a
/// profile canonical, a data type or an unknown type.
[[nodiscard]] std::string resource_type_of(const CompileContext& context, std::string_view uri,
                                           std::string_view where);

}  // namespace ptwin::server::fhir::subscriptions
