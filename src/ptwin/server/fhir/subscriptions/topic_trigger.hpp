// SPDX-License-Identifier: Apache-2.0
#pragma once
// SubscriptionTopic.resourceTrigger (R5 subscriptiontopic.html): which changes of which resource
// type a topic is about, compiled once and then tested against each ResourceChange.
//
// A trigger fires for a change when all of these hold:
//   1. the change is on `resource_type`;
//   2. the interaction is one of supportedInteraction (all three when absent);
//   3. queryCriteria, if given, pass: `previous` is tested on the version before the change and
//      `current` on the version after it, each as a search on that one version would select
//      it. A version that does not exist takes resultForCreate (previous test of a create) or
//      resultForDelete (current test of a delete); when that is not given the test fails,
//      because a search of the state without the resource cannot find it. With both tests,
//      requireBoth true needs both, false (the default) either. A missing test takes no part;
//      no test at all passes;
//   4. fhirPathCriteria, if given, evaluates to true with %previous and %current bound to the
//      versions (an empty collection for one that does not exist). Empty or false does not
//      fire; any other result is an error.
// Query and FHIRPath criteria are two computable forms of one concept; when a trigger has both,
// both must pass, so that neither form can announce a change the other one rejects.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"
#include "ptwin/server/fhir/subscriptions/resource_change.hpp"
#include "ptwin/server/fhir/subscriptions/single_resource_criteria.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::server::fhir::subscriptions {

/// resultForCreate / resultForDelete (value set subscriptiontopic-cr-behavior).
enum class AbsentVersionResult { Unspecified, Passes, Fails };

/// One query test: the text as written and its parsed criteria (ANDed).
struct CriteriaTest {
  std::string text{};
  std::vector<store::fhir::Criterion> criteria{};
};

struct QueryCriteria {
  std::optional<CriteriaTest> previous{};
  std::optional<CriteriaTest> current{};
  AbsentVersionResult result_for_create = AbsentVersionResult::Unspecified;
  AbsentVersionResult result_for_delete = AbsentVersionResult::Unspecified;
  bool require_both = false;
};

struct ResourceTrigger {
  /// "SubscriptionTopic '<url>' resourceTrigger[<i>]": the start of every error about it.
  std::string where{};
  std::string resource_type{};
  /// supportedInteraction; all three when the element is absent.
  std::vector<Interaction> interactions{};
  std::optional<QueryCriteria> query{};
  std::optional<ingest::fhir::fhirpath::Expression> fhirpath{};
};

/// What evaluating a trigger reads besides the change. References must outlive the call.
struct TriggerEnvironment {
  const ingest::fhir::fhirpath::TypeInfoProvider& types;
  const time::Clock& clock;  // now() in FHIRPath
  time::Instant now;         // `ap` of date criteria
};

/// Compiles resourceTrigger `element`: the resource type (resource_type_of), the interaction
/// codes, the query criteria (parse_single_resource_criteria) and the FHIRPath expression.
/// Throws InputError(BadInput) whose where() starts with `where` and names the element, and
/// whose message holds the offending value (a code, the criteria text, the expression).
[[nodiscard]] ResourceTrigger compile_trigger(const nlohmann::json& element, std::string where,
                                              const CompileContext& context);

/// Does `trigger` fire for `change` (rules 1-4 above)? Throws InputError(BadInput) naming the
/// trigger and the expression when the FHIRPath evaluation fails or returns something other
/// than empty or one Boolean. The message names the resource by type and id but quotes none of
/// its values (they may be patient data).
[[nodiscard]] bool fires(const ResourceTrigger& trigger, const ResourceChange& change,
                         const TriggerEnvironment& environment);

/// Rule 3 alone.
[[nodiscard]] bool query_criteria_pass(const QueryCriteria& query, const ResourceChange& change,
                                       time::Instant now);

/// Rule 4 alone; `where` starts the error messages.
[[nodiscard]] bool fhirpath_criteria_pass(const ingest::fhir::fhirpath::Expression& expression,
                                          const ResourceChange& change,
                                          const TriggerEnvironment& environment,
                                          std::string_view where);

}  // namespace ptwin::server::fhir::subscriptions
