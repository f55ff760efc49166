// SPDX-License-Identifier: Apache-2.0
// Routing, content negotiation and the single-resource interactions of the FHIR facade.
// Bundles are in bundle_interactions.cpp, the CapabilityStatement in capability_statement.cpp.
#include "ptwin/server/fhir/fhir_facade.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"
#include "ptwin/server/fhir/bulk/bulk_routes.hpp"
#include "ptwin/server/fhir/fhir_facade_context.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir {
namespace {

namespace sf = store::fhir;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) segments.push_back(percent_decode(path.substr(start, end - start), false));
    start = end + 1;
  }
  return segments;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One media type or range with its parameters: "application/fhir+json; fhirVersion=5.0; q=0.9".
struct MediaType {
  std::string type;                                 // lower case, e.g. "application/fhir+json"
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower case, values as sent
  [[nodiscard]] std::optional<std::string> parameter(std::string_view name) const {
    for (const auto& [key, value] : parameters) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

MediaType parse_media_type(std::string_view text) {
  MediaType media;
  std::size_t start = 0;
  bool is_first = true;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(';', start), text.size());
    const std::string_view part = trim(text.substr(start, end - start));
    if (is_first) {
      media.type = lower(part);
      is_first = false;
    } else if (const std::size_t equals = part.find('='); equals != std::string_view::npos) {
      std::string_view value = trim(part.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      media.parameters.emplace_back(lower(trim(part.substr(0, equals))), std::string(value));
    }
    start = end + 1;
  }
  return media;
}

bool is_json_media_type(std::string_view type) {
  return type == "application/fhir+json" || type == "application/json";
}

// A fhirVersion parameter (R5 http.html#version-parameter) must name R5 when given.
bool is_r5(const MediaType& media) {
  const auto version = media.parameter("fhirversion");
  return !version.has_value() || *version == "5.0" || version->starts_with("5.0.");
}

bool is_xml_media_type(std::string_view type) {
  return type == "application/fhir+xml" || type == "application/xml" || type == "text/xml";
}

// Accept (RFC 9110 12.5.1): the format of the answer is the one of FHIR JSON and FHIR XML (R5)
// that the ranges give the higher q, JSON on a tie; neither covered with q > 0 is refused with
// 406 rather than answered in a format the client did not ask for. Returns true for XML.
bool accepts_xml_over_json(const HttpRequest& request) {
  const auto accept = request.header("Accept");
  if (!accept.has_value() || trim(*accept).empty()) return false;
  double json_q = 0.0;
  double xml_q = 0.0;
  std::size_t start = 0;
  while (start <= accept->size()) {
    const std::size_t end = std::min(accept->find(',', start), accept->size());
    const MediaType range = parse_media_type(accept->substr(start, end - start));
    const auto q_text = range.parameter("q");
    const double q = q_text.has_value() ? std::strtod(q_text->c_str(), nullptr) : 1.0;
    const bool is_any = range.type == "application/*" || range.type == "*/*";
    if (is_r5(range)) {
      if (is_json_media_type(range.type) || is_any) json_q = std::max(json_q, q);
      if (is_xml_media_type(range.type) || is_any) xml_q = std::max(xml_q, q);
    }
    start = end + 1;
  }
  if (json_q > 0.0 && json_q >= xml_q) return false;
  if (xml_q > 0.0) return true;
  throw FhirError(406, "not-supported",
                  fmt::format("Accept '{}': this server answers application/fhir+json or "
                              "application/fhir+xml (fhirVersion=5.0) only",
                              *accept));
}

// _format (R5 http.html#mime-type) overrides Accept.
std::optional<bool> format_asks_xml(const QueryParams& params) {
  std::optional<bool> is_xml;
  for (const auto& [name, value] : params) {
    if (name != "_format") continue;
    const auto type = parse_media_type(value).type;
    if (value == "json" || is_json_media_type(type)) {
      is_xml = false;
    } else if (value == "xml" || is_xml_media_type(type)) {
      is_xml = true;
    } else {
      throw FhirError(406, "not-supported",
                      fmt::format("_format '{}': this server answers json or xml", value));
    }
  }
  return is_xml;
}

void check_body_type(const HttpRequest& request) {
  const auto content_type = request.header("Content-Type");
  const MediaType media = parse_media_type(content_type.value_or(""));
  if (!content_type.has_value() ||
      (!is_json_media_type(media.type) && !is_xml_media_type(media.type))) {
    throw FhirError(415, "not-supported",
                    fmt::format("Content-Type '{}': send application/fhir+json or "
                                "application/fhir+xml",
                                content_type.value_or("")));
  }
  const auto charset = media.parameter("charset");
  if (charset.has_value() && lower(*charset) != "utf-8") {
    throw FhirError(415, "not-supported",
                    fmt::format("Content-Type '{}': FHIR JSON and XML are UTF-8; send "
                                "charset=utf-8 or no charset",
                                *content_type));
  }
  if (!is_r5(media)) {
    throw FhirError(415, "not-supported",
                    fmt::format("Content-Type '{}': this server takes FHIR R5 (fhirVersion=5.0)",
                                *content_type));
  }
}

// Prefer (RFC 7240, R5 http.html#ops): return=minimal | representation | OperationOutcome.
// Other preferences are ignored, as RFC 7240 asks; a return value outside the three is an error.
std::optional<std::string> preferred_return(const HttpRequest& request) {
  const auto prefer = request.header("Prefer");
  if (!prefer.has_value()) return std::nullopt;
  std::size_t start = 0;
  while (start <= prefer->size()) {
    const std::size_t end = std::min(prefer->find_first_of(",;", start), prefer->size());
    const std::string_view item = trim(prefer->substr(start, end - start));
    if (lower(item.substr(0, std::min(item.find('='), item.size()))) == "return") {
      std::string_view value =
          item.find('=') == std::string_view::npos ? std::string_view() : trim(item.substr(item.find('=') + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (value != "minimal" && value != "representation" && value != "OperationOutcome") {
        throw FhirError(400, "invalid",
                        fmt::format("Prefer return='{}': use minimal, representation or "
                                    "OperationOutcome",
                                    value));
      }
      return std::string(value);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string> header_text(const HttpRequest& request, std::string_view name) {
  const auto value = request.header(name);
  if (!value.has_value()) return std::nullopt;
  return std::string(*value);
}

[[noreturn]] void method_not_allowed(const HttpRequest& request) {
  throw FhirError(405, "not-supported",
                  fmt::format("{} is not allowed on {}", request.method, request.path()));
}

}  // namespace

FhirFacade::FhirFacade(sf::ResourceStore& store,
                       const ingest::fhir::definitions::Definitions& definitions,
                       const ingest::fhir::validation::Validator& validator,
                       FhirFacadeSettings settings)
    : store_(store),
      definitions_(definitions),
      validator_(validator),
      extractor_(definitions),
      settings_(std::move(settings)),
      types_(settings_.resource_types) {
  if (types_.empty()) {
    for (const std::string_view type : ingest::fhir::definitions::kTwinResourceTypes) {
      if (type != "OperationOutcome" && type != "CapabilityStatement") types_.emplace_back(type);
    }
  }
  std::sort(types_.begin(), types_.end());
}

HttpHandler FhirFacade::handler() const {
  return [this](const HttpRequest& request) { return handle(request); };
}

void FhirFacade::require_type(std::string_view type) const {
  if (!std::binary_search(types_.begin(), types_.end(), type)) {
    throw FhirError(404, "not-supported",
                    fmt::format("resource type '{}' is not served here", type));
  }
}

HttpResponse FhirFacade::handle(const HttpRequest& request) const {
  Context context;
  HttpResponse response = respond(request, context);
  if (context.is_xml_response) response = as_fhir_xml(std::move(response), definitions_);
  // Every transaction of the request has ended here (committed or rolled back).
  if (settings_.quarantine) {
    for (const QuarantinedBody& refused : context.refused) settings_.quarantine(refused);
  }
  if (settings_.subscriptions != nullptr && !context.subscription_touches.empty()) {
    settings_.subscriptions->resync(context.subscription_touches);
  }
  if (settings_.subscriptions != nullptr && context.subscription_events > 0) {
    settings_.subscriptions->events_committed();
  }
  return response;
}

HttpResponse FhirFacade::respond(const HttpRequest& request, Context& context) const {
  try {
    const auto host = request.header("Host");
    context.base_url = fmt::format("http://{}{}", host.value_or("localhost"), settings_.base_path);
    std::string_view path = request.path();
    if (!settings_.base_path.empty()) {
      if (!path.starts_with(settings_.base_path)) {
        throw FhirError(404, "not-found", "no FHIR endpoint at this path");
      }
      path.remove_prefix(settings_.base_path.size());
    }
    context.segments = split_path(path);
    try {
      context.params = parse_query(request.query());
    } catch (const InputError& error) {
      throw FhirError(400, "invalid", error.what());
    }
    // Bulk Data status and file answers are not FHIR JSON: routed before the Accept check.
    if (settings_.bulk_export != nullptr && bulk::is_bulk_route(context.segments)) {
      return bulk::handle_bulk_route(*settings_.bulk_export, request, context.segments,
                                     context.params, context.base_url);
    }
    const auto format_xml = format_asks_xml(context.params);
    context.is_xml_response = format_xml.has_value() ? *format_xml : accepts_xml_over_json(request);
    context.method = request.method;
    context.prefer_return = preferred_return(request);
    const auto content_type = parse_media_type(request.header("Content-Type").value_or("")).type;
    if ((request.method == "POST" || request.method == "PUT") && is_xml_media_type(content_type)) {
      // FHIR XML is read into the JSON form once, here; everything after sees JSON.
      check_body_type(request);
      HttpRequest as_json = request;
      try {
        as_json.body = ingest::fhir::xml::read_fhir_xml(request.body, definitions_).dump();
      } catch (const InputError& error) {
        auto outcome = operation_outcome("structure", error.what(), error.where());
        context.refused.push_back({context.segments.empty() ? std::string("Bundle")
                                                            : context.segments.front(),
                                   request.body, outcome});
        throw FhirError(400, std::move(outcome));
      }
      as_json.headers["Content-Type"] = std::string(kFhirJson);
      return dispatch(as_json, context);
    }
    return dispatch(request, context);
  } catch (const FhirError& error) {
    return fhir_response(error.status(), error.outcome());
  } catch (const InputError& error) {
    return fhir_response(400, operation_outcome("invalid", error.what(), error.where()));
  } catch (const std::exception& error) {
    logging::zone_logger("server")->error("fhir request failed method={} error={}", request.method,
                                 error.what());
    return fhir_response(500, operation_outcome("exception", "internal error; see the server log"));
  }
}

HttpResponse FhirFacade::dispatch(const HttpRequest& request, const Context& context) const {
  const auto& s = context.segments;
  const std::string& method = request.method;
  const bool has_body = method == "POST" || method == "PUT";
  const bool is_form_search = s.size() == 2 && s[1] == "_search" && method == "POST";
  if (has_body && !is_form_search) check_body_type(request);

  if (s.empty()) {
    if (method != "POST") method_not_allowed(request);
    return to_response(bundle(request.body, context), context);
  }
  if (s[0] == "metadata" && s.size() == 1) {
    if (method != "GET") method_not_allowed(request);
    return fhir_response(200, capability_statement());
  }
  if (s[0] == "_history" && s.size() == 1) {
    if (method != "GET") method_not_allowed(request);
    const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
    return to_response(history(*transaction, std::nullopt, std::nullopt, context.params, context), context);
  }
  if (s.size() == 3 && s[0] == "Subscription" && s[2].starts_with("$")) {
    return subscription_operation(request, context);
  }
  const std::string& type = s[0];
  require_type(type);
  const sf::TransactionMode mode =
      method == "GET" || is_form_search ? sf::TransactionMode::ReadOnly : sf::TransactionMode::ReadWrite;
  const auto transaction = store_.begin(mode);
  Outcome outcome;
  if (s.size() == 1 && method == "GET") {
    outcome = search(*transaction, type, context.params, context);
  } else if (s.size() == 1 && method == "POST") {
    outcome = create(*transaction, type, request.body, header_text(request, "If-None-Exist"),
                     std::nullopt, context);
  } else if (is_form_search) {
    const auto content_type = request.header("Content-Type");
    if (content_type.has_value() &&
        !content_type->starts_with("application/x-www-form-urlencoded")) {
      throw FhirError(415, "not-supported", "POST _search takes application/x-www-form-urlencoded");
    }
    QueryParams params = parse_query(request.body);
    params.insert(params.end(), context.params.begin(), context.params.end());
    outcome = search(*transaction, type, params, context);
  } else if (s.size() == 2 && s[1] == "_history" && method == "GET") {
    outcome = history(*transaction, type, std::nullopt, context.params, context);
  } else if (s.size() == 2 && method == "GET") {
    outcome = read(*transaction, type, s[1], std::nullopt);
  } else if (s.size() == 2 && method == "PUT") {
    outcome = update(*transaction, type, s[1], request.body, header_text(request, "If-Match"),
                     context);
  } else if (s.size() == 2 && method == "DELETE") {
    outcome = remove(*transaction, type, s[1], context);
  } else if (s.size() == 3 && s[2] == "_history" && method == "GET") {
    outcome = history(*transaction, type, s[1], context.params, context);
  } else if (s.size() == 4 && s[2] == "_history" && method == "GET") {
    outcome = read(*transaction, type, s[1], s[3]);
  } else {
    method_not_allowed(request);
  }
  if (mode == sf::TransactionMode::ReadWrite) transaction->commit();
  return to_response(outcome, context);
}

HttpResponse FhirFacade::to_response(const Outcome& outcome, const Context& context) const {
  if (!outcome.version.has_value()) return fhir_response(outcome.status, outcome.body);
  const sf::ResourceVersion& version = *outcome.version;
  HttpResponse response = version.is_deletion() || !outcome.body.is_null()
                              ? fhir_response(outcome.status, outcome.body.is_null()
                                                                  ? nlohmann::json::object()
                                                                  : outcome.body)
                              : fhir_response(outcome.status, version.json);
  if (outcome.status == 204) response.body.clear();
  // Prefer applies to what a write returns (http.html#ops); reads always return the resource.
  const bool is_write = context.method == "POST" || context.method == "PUT";
  if (is_write && context.prefer_return == "minimal") {
    response.body.clear();
    response.headers.erase("Content-Type");
    response.headers["Preference-Applied"] = "return=minimal";
  } else if (is_write && context.prefer_return == "OperationOutcome") {
    response.body = operation_outcome("informational",
                                      fmt::format("{}/{} stored as version {}", version.resource_type,
                                                  version.id, version.version_id),
                                      {}, "information")
                        .dump();
    response.headers["Preference-Applied"] = "return=OperationOutcome";
  }
  const std::optional<std::string> location =
      outcome.has_location ? std::optional(fmt::format("{}/{}/{}/_history/{}", context.base_url,
                                                       version.resource_type, version.id,
                                                       version.version_id))
                           : std::nullopt;
  add_version_headers(response, version, location);
  return response;
}

void FhirFacade::warm_up(const nlohmann::json& resource) const {
  const Context context;
  (void)prepare(resource.value("resourceType", std::string()), resource.dump(), context);
}

sf::NewResource FhirFacade::prepare(const std::string& type, const std::string& body,
                                     const Context& context) const {
  const ingest::fhir::validation::ValidationResult result = validator_.validate_text(body);
  if (!result.is_valid()) {
    const bool is_structural = std::any_of(
        result.issues.begin(), result.issues.end(), [](const auto& issue) {
          return issue.severity == ingest::fhir::validation::IssueSeverity::Fatal ||
                 issue.type == ingest::fhir::validation::IssueType::Structure;
        });
    nlohmann::json outcome = ingest::fhir::validation::to_operation_outcome(result);
    context.refused.push_back({type, body, outcome});
    throw FhirError(is_structural ? 400 : 422, std::move(outcome));
  }
  const nlohmann::json resource = nlohmann::json::parse(body);
  if (resource.value("resourceType", std::string()) != type) {
    throw FhirError(400, "invalid",
                    fmt::format("resourceType '{}' does not match the URL's type '{}'",
                                resource.value("resourceType", std::string()), type),
                    "resourceType");
  }
  ingest::fhir::indexing::Extraction extraction = extractor_.extract(resource);
  for (const auto& skipped : extraction.skipped) {
    logging::zone_logger("server")->warn("search parameter not indexed policy=skip-unevaluable-parameter "
                                "type={} param={} reason={}", type, skipped.code, skipped.reason);
  }
  return {type, body, std::move(extraction.rows)};
}

FhirFacade::Outcome FhirFacade::create(sf::ResourceTransaction& transaction,
                                       const std::string& type, const std::string& body,
                                       const std::optional<std::string>& if_none_exist,
                                       const std::optional<std::string>& assigned_id,
                                       const Context& context) const {
  sf::NewResource resource = prepare(type, body, context);
  if (if_none_exist.has_value()) {
    const std::string_view query = std::string_view(*if_none_exist).substr(
        if_none_exist->find('?') == std::string::npos ? 0 : if_none_exist->find('?') + 1);
    const auto criteria = parse_criteria(extractor_, type, parse_query(query), context.base_url);
    sf::ConditionalCreateResult result = transaction.conditional_create(resource, criteria);
    switch (result.status) {
      case sf::ConditionalCreateStatus::Created:
        record_change(transaction, std::nullopt, *result.version, context);
        return {201, std::move(result.version), true, {}};
      case sf::ConditionalCreateStatus::Existing: return {200, std::move(result.version), false, {}};
      case sf::ConditionalCreateStatus::MultipleMatches:
        throw FhirError(412, "duplicate",
                        fmt::format("If-None-Exist matches {} resources", result.match_count));
    }
  }
  sf::ResourceVersion created = assigned_id.has_value()
                                    ? transaction.create_with_id(resource, *assigned_id)
                                    : transaction.create(resource);
  record_change(transaction, std::nullopt, created, context);
  return {201, std::move(created), true, {}};
}

FhirFacade::Outcome FhirFacade::update(sf::ResourceTransaction& transaction,
                                       const std::string& type, const std::string& id,
                                       const std::string& body,
                                       const std::optional<std::string>& if_match,
                                       const Context& context) const {
  if (!sf::is_resource_id(id)) throw FhirError(400, "invalid", fmt::format("'{}' is not a FHIR id", id));
  sf::NewResource resource = prepare(type, body, context);
  const nlohmann::json parsed = nlohmann::json::parse(body);
  if (!parsed.contains("id") || parsed["id"] != id) {
    throw FhirError(400, "invalid", "the resource's id must equal the id in the URL", fmt::format("{}.id", type));
  }
  sf::UpdateOptions options{.allows_create = true, .expected_version = std::nullopt};
  if (if_match.has_value()) options.expected_version = parse_etag(*if_match);
  const std::optional<sf::ResourceVersion> previous = version_before(transaction, type, id);
  sf::UpdateResult result = transaction.update(resource, id, options);
  if (result.status == sf::UpdateStatus::Updated || result.status == sf::UpdateStatus::Created) {
    record_change(transaction, previous, *result.version, context);
  }
  switch (result.status) {
    case sf::UpdateStatus::Updated: return {200, std::move(result.version), false, {}};
    case sf::UpdateStatus::Created: return {201, std::move(result.version), true, {}};
    case sf::UpdateStatus::NotFound:
      throw FhirError(404, "not-found", fmt::format("{}/{} does not exist", type, id));
    case sf::UpdateStatus::VersionConflict:
      throw FhirError(412, "conflict",
                      fmt::format("If-Match names version {} but {}/{} is at version {}",
                                  options.expected_version.value_or(0), type, id,
                                  result.current_version_id));
  }
  throw Error(ErrorCode::Internal, "unknown update status");
}

FhirFacade::Outcome FhirFacade::remove(sf::ResourceTransaction& transaction,
                                       const std::string& type, const std::string& id,
                                       const Context& context) const {
  const std::optional<sf::ResourceVersion> previous = version_before(transaction, type, id);
  sf::DeleteResult result = transaction.remove(type, id);
  if (result.status == sf::DeleteStatus::Deleted) {
    record_change(transaction, previous, *result.version, context);
  }
  if (result.status == sf::DeleteStatus::NotFound) {
    // R5 http.html#delete: deleting a resource that does not exist is not an error.
    return {200, std::nullopt, false,
            operation_outcome("not-found", fmt::format("{}/{} does not exist", type, id), {},
                              "information")};
  }
  return {200, std::move(result.version), false,
          operation_outcome("informational", fmt::format("{}/{} deleted", type, id), {},
                            "information")};
}

FhirFacade::Outcome FhirFacade::read(sf::ResourceTransaction& transaction, const std::string& type,
                                     const std::string& id,
                                     const std::optional<std::string>& version) const {
  sf::ReadResult result;
  if (version.has_value()) {
    result = transaction.vread(type, id, parse_etag(*version));
  } else {
    result = transaction.read(type, id);
  }
  const std::string what = version.has_value() ? fmt::format("{}/{}/_history/{}", type, id, *version)
                                               : fmt::format("{}/{}", type, id);
  switch (result.status) {
    case sf::ReadStatus::Found: return {200, std::move(result.version), false, {}};
    case sf::ReadStatus::Gone: {
      Outcome gone{410, std::move(result.version), false,
                   operation_outcome("deleted", fmt::format("{} has been deleted", what))};
      return gone;
    }
    case sf::ReadStatus::NotFound: break;
  }
  throw FhirError(404, "not-found", fmt::format("{} is not known", what));
}

}  // namespace ptwin::server::fhir
