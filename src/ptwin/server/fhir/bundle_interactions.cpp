// SPDX-License-Identifier: Apache-2.0
// batch and transaction Bundles (R5 http.html#transaction). A transaction runs in one
// ResourceTransaction: all entries commit or none does. Entries are processed in the order the
// page prescribes (DELETE, POST, PUT, GET) and answered in the order given; urn:uuid fullUrls
// of created resources get their server ids first, and every reference to them is rewritten.
// A batch runs each entry in its own transaction and reports each entry's status.
#include <array>
#include <map>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/fhir/fhir_facade_context.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir {
namespace {

namespace sf = store::fhir;
using nlohmann::json;

std::string status_line(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 204: return "204 No Content";
    default: return std::to_string(status);
  }
}

// Replaces each Reference.reference that names a urn:uuid of the Bundle.
void rewrite_references(json& value, const std::map<std::string, std::string>& ids) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) {
      if (key == "reference" && child.is_string()) {
        const auto found = ids.find(child.get<std::string>());
        if (found != ids.end()) child = found->second;
      } else {
        rewrite_references(child, ids);
      }
    }
  } else if (value.is_array()) {
    for (json& child : value) rewrite_references(child, ids);
  }
}

std::string text_at(const json& object, std::string_view key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

int method_rank(const std::string& method) {
  static constexpr std::array<std::string_view, 4> kOrder{"DELETE", "POST", "PUT", "GET"};
  for (std::size_t rank = 0; rank < kOrder.size(); ++rank) {
    if (kOrder.at(rank) == method) return static_cast<int>(rank);
  }
  return static_cast<int>(kOrder.size());
}

}  // namespace

FhirFacade::Outcome FhirFacade::bundle(const std::string& body, const Context& context) const {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::exception&) {
    throw FhirError(400, "structure", "the request body is not JSON");
  }
  if (!parsed.is_object() || text_at(parsed, "resourceType") != "Bundle") {
    throw FhirError(400, "invalid", "POST [base] takes a batch or transaction Bundle", "resourceType");
  }
  const std::string type = text_at(parsed, "type");
  if (type == "transaction") return transaction_bundle(parsed, context);
  if (type == "batch") return batch_bundle(parsed, context);
  throw FhirError(400, "invalid",
                  fmt::format("Bundle.type '{}': only batch and transaction are processed", type),
                  "Bundle.type");
}

FhirFacade::Outcome FhirFacade::entry(sf::ResourceTransaction& transaction, const json& request,
                                      const json* resource,
                                      const std::optional<std::string>& assigned_id,
                                      const Context& context) const {
  const std::string method = text_at(request, "method");
  const std::string url = text_at(request, "url");
  const std::string path = url.substr(0, url.find('?'));
  const std::string query = url.find('?') == std::string::npos ? "" : url.substr(url.find('?') + 1);
  const auto slash = path.find('/');
  const std::string type = path.substr(0, slash);
  const std::string id = slash == std::string::npos ? "" : path.substr(slash + 1);
  if (type.empty()) throw FhirError(400, "invalid", "entry.request.url names no resource type");
  require_type(type);
  const auto optional_text = [&request](std::string_view key) -> std::optional<std::string> {
    const std::string value = text_at(request, key);
    return value.empty() ? std::nullopt : std::optional(value);
  };
  if ((method == "POST" || method == "PUT") && resource == nullptr) {
    throw FhirError(400, "required", fmt::format("{} entry has no resource", method));
  }
  if (method == "POST" && id.empty()) {
    if (optional_text("ifNoneExist").has_value() && assigned_id.has_value()) {
      throw FhirError(400, "not-supported",
                      "ifNoneExist on an entry whose urn:uuid other entries reference is not supported");
    }
    return create(transaction, type, resource->dump(), optional_text("ifNoneExist"), assigned_id, context);
  }
  if (method == "PUT" && !id.empty()) {
    return update(transaction, type, id, resource->dump(), optional_text("ifMatch"), context);
  }
  if (method == "DELETE" && !id.empty()) return remove(transaction, type, id, context);
  if (method == "GET" && id.empty()) return search(transaction, type, parse_query(query), context);
  if (method == "GET") {
    const auto history = id.find("/_history/");
    if (history != std::string::npos) {
      return read(transaction, type, id.substr(0, history), id.substr(history + 10));
    }
    return read(transaction, type, id, std::nullopt);
  }
  throw FhirError(400, "not-supported", fmt::format("entry {} {} is not supported", method, url));
}

namespace {

json response_entry(const FhirFacade::Outcome& outcome, const std::string& base_url) {
  json response = {{"status", status_line(outcome.status)}};
  json result = json::object();
  if (outcome.version.has_value()) {
    const sf::ResourceVersion& version = *outcome.version;
    response["etag"] = etag(version.version_id);
    response["lastModified"] = time::format_iso8601(version.last_updated);
    if (outcome.has_location) {
      response["location"] = fmt::format("{}/_history/{}", version.resource_type + "/" + version.id,
                                         version.version_id);
    }
    result["fullUrl"] = fmt::format("{}/{}/{}", base_url, version.resource_type, version.id);
    if (!version.is_deletion() && outcome.body.is_null()) {
      result["resource"] = json::parse(version.json);
    }
  }
  if (!outcome.body.is_null()) {
    if (outcome.body.value("resourceType", "") == "OperationOutcome") {
      response["outcome"] = outcome.body;
    } else {
      result["resource"] = outcome.body;
    }
  }
  result["response"] = std::move(response);
  return result;
}

}  // namespace

FhirFacade::Outcome FhirFacade::transaction_bundle(json& bundle, const Context& context) const {
  json& entries = bundle["entry"];
  if (entries.is_null()) entries = json::array();
  const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
  std::map<std::string, std::string> ids;  // urn:uuid fullUrl -> Type/id
  std::vector<std::optional<std::string>> assigned(entries.size());
  for (std::size_t index = 0; index < entries.size(); ++index) {
    const json& item = entries[index];
    const std::string full_url = text_at(item, "fullUrl");
    const json request = item.value("request", json::object());
    const std::string url = text_at(request, "url");
    if (!full_url.starts_with("urn:uuid:")) continue;
    const std::string method = text_at(request, "method");
    if (method == "POST") {
      assigned[index] = transaction->new_id();
      ids[full_url] = url.substr(0, url.find('?')) + "/" + *assigned[index];
    } else if (method == "PUT") {
      ids[full_url] = url.substr(0, url.find('?'));
    }
  }
  for (json& item : entries) {
    if (item.contains("resource")) rewrite_references(item["resource"], ids);
  }
  std::vector<std::size_t> order(entries.size());
  for (std::size_t index = 0; index < order.size(); ++index) order[index] = index;
  std::stable_sort(order.begin(), order.end(), [&entries](std::size_t a, std::size_t b) {
    return method_rank(text_at(entries[a].value("request", json::object()), "method")) <
           method_rank(text_at(entries[b].value("request", json::object()), "method"));
  });
  json responses = json::array();
  std::vector<json> by_index(entries.size());
  for (const std::size_t index : order) {
    const json& item = entries[index];
    const json* resource = item.contains("resource") ? &item["resource"] : nullptr;
    try {
      by_index[index] = response_entry(
          entry(*transaction, item.value("request", json::object()), resource, assigned[index], context),
          context.base_url);
    } catch (const FhirError& error) {
      // The whole transaction fails: the destructor rolls back what earlier entries wrote.
      throw FhirError(error.status(), [&] {
        json outcome = error.outcome();
        for (json& issue : outcome["issue"]) {
          issue["diagnostics"] = fmt::format("Bundle.entry[{}]: {}", index, issue.value("diagnostics", ""));
        }
        return outcome;
      }());
    } catch (const InputError& error) {
      throw FhirError(400, "invalid", fmt::format("Bundle.entry[{}]: {}", index, error.what()),
                      fmt::format("Bundle.entry[{}]", index));
    }
  }
  transaction->commit();
  for (json& item : by_index) responses.push_back(std::move(item));
  return {200, std::nullopt, false,
          {{"resourceType", "Bundle"}, {"type", "transaction-response"}, {"entry", responses}}};
}

FhirFacade::Outcome FhirFacade::batch_bundle(const json& bundle, const Context& context) const {
  json responses = json::array();
  for (const json& item : bundle.value("entry", json::array())) {
    const json* resource = item.contains("resource") ? &item["resource"] : nullptr;
    try {
      const json request = item.value("request", json::object());
      const bool is_read = text_at(request, "method") == "GET";
      const auto transaction =
          store_.begin(is_read ? sf::TransactionMode::ReadOnly : sf::TransactionMode::ReadWrite);
      const Outcome outcome = entry(*transaction, request, resource, std::nullopt, context);
      if (!is_read) transaction->commit();
      responses.push_back(response_entry(outcome, context.base_url));
    } catch (const FhirError& error) {
      responses.push_back(
          {{"response", {{"status", std::to_string(error.status())}, {"outcome", error.outcome()}}}});
    } catch (const InputError& error) {
      responses.push_back({{"response",
                            {{"status", "400"},
                             {"outcome", operation_outcome("invalid", error.what(), error.where())}}}});
    }
  }
  return {200, std::nullopt, false,
          {{"resourceType", "Bundle"}, {"type", "batch-response"}, {"entry", responses}}};
}

}  // namespace ptwin::server::fhir
