// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR R5 RESTful API (http.html) in JSON over a ResourceStore, as an HttpHandler:
//   create, read, vread, update (update-as-create, If-Match), delete, history (instance,
//   type, system), conditional create (If-None-Exist), batch and transaction Bundles, search
//   (GET [type]?..., POST [type]/_search) with paging, _include/_revinclude, _sort, _total,
//   and GET [base]/metadata. docs/fhir_facade.md lists statuses and examples.
// Every create and update is validated first; an invalid resource is refused with the
// validator's OperationOutcome and its raw body goes to the quarantine sink, if one is given,
// once the request's store transactions have ended (the sink may write to the same database).
//
//   FhirFacade facade(store, definitions, validator, {});
//   HttpServer server({.port = 8080}, facade.handler());
//
// Thread-safety: handle() may run on several server threads at once (the store serialises
// writers; Definitions, Validator and IndexExtractor are thread-safe).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/search_request.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir {

namespace bulk {
class BulkExporter;
}  // namespace bulk
namespace subscriptions {
class SubscriptionRecorder;
class WebsocketChannel;
}  // namespace subscriptions

/// A request body refused by validation. `body` is the raw bytes received (PHI: store it in
/// the quarantine, never log it).
struct QuarantinedBody {
  std::string resource_type;  // from the URL
  std::string body;
  nlohmann::json outcome;  // the OperationOutcome returned to the client
};
using QuarantineSink = std::function<void(const QuarantinedBody&)>;

struct FhirFacadeSettings {
  /// The resource types served; others answer 404. Empty: kTwinResourceTypes except
  /// OperationOutcome and CapabilityStatement (which are responses, not stored records).
  std::vector<std::string> resource_types;
  /// Path prefix of the FHIR base ("" or "/fhir"); the base URL is http://<Host><base_path>.
  std::string base_path;
  QuarantineSink quarantine;
  /// Bulk Data $export (docs/bulk_data.md); nullptr: not offered. Must outlive the facade.
  bulk::BulkExporter* bulk_export = nullptr;
  /// Topic-based subscriptions (docs/subscriptions.md): when set, every committed create,
  /// update and delete is recorded as outbox events of the matching subscriptions in its own
  /// transaction, SubscriptionTopic and Subscription writes are registered, and
  /// Subscription/[id]/$status and $events are served. Must outlive the facade.
  subscriptions::SubscriptionRecorder* subscriptions = nullptr;
  /// The websocket channel: when set (with `subscriptions`), Subscription/[id]/
  /// $get-ws-binding-token issues binding tokens for websocket Subscriptions.
  subscriptions::WebsocketChannel* websocket = nullptr;
};

class FhirFacade {
 public:
  /// Every reference must outlive the facade.
  FhirFacade(store::fhir::ResourceStore& store, const ingest::fhir::definitions::Definitions& definitions,
             const ingest::fhir::validation::Validator& validator, FhirFacadeSettings settings);

  /// Never throws: every failure becomes an OperationOutcome response (500 without details for
  /// unexpected errors, which are logged).
  [[nodiscard]] HttpResponse handle(const HttpRequest& request) const;
  /// handle() bound to this facade.
  [[nodiscard]] HttpHandler handler() const;
  /// Validates `resource` and extracts its search index rows exactly as a create or update
  /// would, and stores nothing: the first write of a type loads its StructureDefinitions, value
  /// sets and search expressions, and a caller that must not pay that on its first real write
  /// (ptwin serve's outputs) calls this at start-up. Throws FhirError (422 naming the issues)
  /// for a resource that a write would refuse.
  void warm_up(const nlohmann::json& resource) const;

  [[nodiscard]] const std::vector<std::string>& resource_types() const { return types_; }
  /// GET [base]/metadata.
  [[nodiscard]] nlohmann::json capability_statement() const;

  /// The outcome of one interaction, for a response or a Bundle entry.
  struct Outcome {
    int status = 200;
    std::optional<store::fhir::ResourceVersion> version;
    bool has_location = false;
    nlohmann::json body;  // the response resource when it is not `version` (Bundle, outcome)
  };

 private:
  struct Context;  // one request: base URL and parsed parts

  /// handle() without the quarantine: refused bodies are collected in `context`.
  HttpResponse respond(const HttpRequest& request, Context& context) const;
  HttpResponse dispatch(const HttpRequest& request, const Context& context) const;
  HttpResponse to_response(const Outcome& outcome, const Context& context) const;

  // Interactions on an open transaction (single requests and Bundle entries share them).
  Outcome create(store::fhir::ResourceTransaction& transaction, const std::string& type,
                 const std::string& body, const std::optional<std::string>& if_none_exist,
                 const std::optional<std::string>& assigned_id, const Context& context) const;
  Outcome update(store::fhir::ResourceTransaction& transaction, const std::string& type,
                 const std::string& id, const std::string& body,
                 const std::optional<std::string>& if_match, const Context& context) const;
  Outcome remove(store::fhir::ResourceTransaction& transaction, const std::string& type,
                 const std::string& id, const Context& context) const;
  Outcome read(store::fhir::ResourceTransaction& transaction, const std::string& type,
               const std::string& id, const std::optional<std::string>& version) const;
  Outcome search(store::fhir::ResourceTransaction& transaction, const std::string& type,
                 const QueryParams& params, const Context& context) const;
  Outcome history(store::fhir::ResourceTransaction& transaction,
                  const std::optional<std::string>& type, const std::optional<std::string>& id,
                  const QueryParams& params, const Context& context) const;
  /// batch / transaction Bundle (bundle_interactions.cpp).
  Outcome bundle(const std::string& body, const Context& context) const;
  Outcome transaction_bundle(nlohmann::json& bundle, const Context& context) const;
  Outcome batch_bundle(const nlohmann::json& bundle, const Context& context) const;
  Outcome entry(store::fhir::ResourceTransaction& transaction, const nlohmann::json& request,
                const nlohmann::json* resource, const std::optional<std::string>& assigned_id,
                const Context& context) const;

  /// Subscriptions (subscription_hooks.cpp): records `written` (and the version before it)
  /// with the subscription recorder, if there is one.
  void record_change(store::fhir::ResourceTransaction& transaction,
                     const std::optional<store::fhir::ResourceVersion>& previous,
                     const store::fhir::ResourceVersion& written, const Context& context) const;
  /// The version a write replaces, read only when subscriptions are on.
  std::optional<store::fhir::ResourceVersion> version_before(
      store::fhir::ResourceTransaction& transaction, const std::string& type,
      const std::string& id) const;
  /// The Subscription operations and channels served, on the CapabilityStatement's
  /// Subscription entry (nothing when subscriptions are off).
  void add_subscription_capabilities(nlohmann::json& subscription_entry) const;
  /// GET Subscription/[id]/$status | $events | $get-ws-binding-token.
  HttpResponse subscription_operation(const HttpRequest& request, const Context& context) const;

  /// Parses, checks the type and validates; returns the JSON and its index rows.
  /// A refused body is added to context.refused for the quarantine.
  store::fhir::NewResource prepare(const std::string& type, const std::string& body,
                                   const Context& context) const;
  void require_type(std::string_view type) const;

  store::fhir::ResourceStore& store_;
  const ingest::fhir::definitions::Definitions& definitions_;
  const ingest::fhir::validation::Validator& validator_;
  ingest::fhir::indexing::IndexExtractor extractor_;
  FhirFacadeSettings settings_;
  std::vector<std::string> types_;
};

}  // namespace ptwin::server::fhir
