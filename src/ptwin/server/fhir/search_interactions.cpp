// SPDX-License-Identifier: Apache-2.0
// search and history: the searchset and history Bundles of the FHIR facade (R5 http.html
// #search, #history; bundle.html), with self/next/previous paging links.
#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/fhir/fhir_facade_context.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir {
namespace {

namespace sf = store::fhir;

std::string full_url(const std::string& base_url, const sf::ResourceVersion& version) {
  return fmt::format("{}/{}/{}", base_url, version.resource_type, version.id);
}

std::string page_link(const std::string& url, const QueryParams& params, std::int64_t offset) {
  QueryParams with_offset = params;
  with_offset.emplace_back("_offset", std::to_string(offset));
  return fmt::format("{}?{}", url, encode_query(with_offset));
}

nlohmann::json links(const std::string& url, const QueryParams& params, std::int64_t offset,
                     std::int64_t count, std::optional<std::int64_t> next_offset) {
  nlohmann::json result = nlohmann::json::array();
  result.push_back({{"relation", "self"}, {"url", page_link(url, params, offset)}});
  if (next_offset.has_value()) {
    result.push_back({{"relation", "next"}, {"url", page_link(url, params, *next_offset)}});
  }
  if (offset > 0) {
    result.push_back({{"relation", "previous"},
                      {"url", page_link(url, params, std::max<std::int64_t>(0, offset - count))}});
  }
  return result;
}

std::string method_of(sf::VersionOperation operation) {
  switch (operation) {
    case sf::VersionOperation::Create: return "POST";
    case sf::VersionOperation::Update: return "PUT";
    case sf::VersionOperation::Delete: return "DELETE";
  }
  return "PUT";
}

std::int64_t parse_number(const std::string& name, const std::string& value) {
  try {
    std::size_t used = 0;
    const long long number = std::stoll(value, &used);
    if (used == value.size() && number >= 0) return number;
  } catch (const std::exception&) {
    // falls through to the refusal below
  }
  throw FhirError(400, "invalid", fmt::format("{} '{}' is not a non-negative integer", name, value), name);
}

}  // namespace

FhirFacade::Outcome FhirFacade::search(sf::ResourceTransaction& transaction,
                                       const std::string& type, const QueryParams& params,
                                       const Context& context) const {
  const SearchRequest request = parse_search(extractor_, type, params, context.base_url);
  const sf::SearchResult result = transaction.search(request.query);
  nlohmann::json bundle = {{"resourceType", "Bundle"}, {"type", "searchset"}};
  if (request.total == TotalMode::Accurate) bundle["total"] = result.total;
  bundle["link"] = links(fmt::format("{}/{}", context.base_url, type), request.link_params,
                         request.query.offset, request.query.count, result.next_offset);
  nlohmann::json entries = nlohmann::json::array();
  for (const sf::ResourceVersion& match : result.matches) {
    entries.push_back({{"fullUrl", full_url(context.base_url, match)},
                       {"resource", resource_json(match)},
                       {"search", {{"mode", "match"}}}});
  }
  for (const sf::ResourceVersion& included : result.included) {
    entries.push_back({{"fullUrl", full_url(context.base_url, included)},
                       {"resource", resource_json(included)},
                       {"search", {{"mode", "include"}}}});
  }
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return {200, std::nullopt, false, std::move(bundle)};
}

FhirFacade::Outcome FhirFacade::history(sf::ResourceTransaction& transaction,
                                        const std::optional<std::string>& type,
                                        const std::optional<std::string>& id,
                                        const QueryParams& params, const Context& context) const {
  sf::HistoryQuery query{type, id, std::nullopt, sf::kDefaultPageSize, 0};
  QueryParams link_params;
  for (const auto& [name, value] : params) {
    if (name != "_offset") link_params.emplace_back(name, value);
    if (name == "_count") {
      query.count = std::min(parse_number(name, value), sf::kMaxPageSize);
    } else if (name == "_offset") {
      query.offset = parse_number(name, value);
    } else if (name == "_since") {
      try {
        query.since = time::parse_iso8601(value);
      } catch (const InputError&) {
        throw FhirError(400, "invalid", fmt::format("_since '{}' is not an instant", value), name);
      }
    } else if (name != "_format") {
      throw FhirError(400, "not-supported", fmt::format("unknown history parameter '{}'", name), name);
    }
  }
  const sf::HistoryPage page = transaction.history(query);
  if (id.has_value() && page.total == 0) {
    throw FhirError(404, "not-found", fmt::format("{}/{} is not known", *type, *id));
  }
  std::string url = context.base_url;
  if (type.has_value()) url += "/" + *type;
  if (id.has_value()) url += "/" + *id;
  url += "/_history";
  nlohmann::json bundle = {{"resourceType", "Bundle"}, {"type", "history"}, {"total", page.total}};
  const std::int64_t next = query.offset + static_cast<std::int64_t>(page.versions.size());
  bundle["link"] = links(url, link_params, query.offset, query.count,
                         next < page.total ? std::optional(next) : std::nullopt);
  nlohmann::json entries = nlohmann::json::array();
  for (const sf::ResourceVersion& version : page.versions) {
    nlohmann::json entry = {{"fullUrl", full_url(context.base_url, version)}};
    if (!version.is_deletion()) entry["resource"] = resource_json(version);
    const std::string method = method_of(version.operation);
    entry["request"] = {{"method", method},
                        {"url", method == "POST" ? version.resource_type
                                                 : version.resource_type + "/" + version.id}};
    entry["response"] = {{"status", version.is_deletion() ? "204" : (method == "POST" ? "201" : "200")},
                         {"etag", etag(version.version_id)},
                         {"lastModified", time::format_iso8601(version.last_updated)}};
    entries.push_back(std::move(entry));
  }
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return {200, std::nullopt, false, std::move(bundle)};
}

}  // namespace ptwin::server::fhir
