// SPDX-License-Identifier: Apache-2.0
#include "demo_ehr.hpp"

#include <fmt/format.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"

namespace ptwin::app {

namespace defs = ingest::fhir::definitions;

struct InProcessEhr::Parts {
  time::SystemClock clock;
  std::unique_ptr<defs::Definitions> definitions;
  std::unique_ptr<ingest::fhir::validation::Validator> validator;
  std::unique_ptr<store::fhir::SqliteResourceStore> resources;
  std::unique_ptr<server::fhir::FhirFacade> facade;
  std::unique_ptr<server::HttpServer> http;
  std::string base_url;
};

InProcessEhr::InProcessEhr(const std::filesystem::path& database,
                           server::fhir::QuarantineSink quarantine,
                           const std::optional<std::filesystem::path>& fhir_packages)
    : parts_(std::make_unique<Parts>()) {
  // A fresh EHR each run: the demo's result must not depend on what an earlier run left.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(std::filesystem::path(database.string() + suffix));
  }
  if (database.has_parent_path()) std::filesystem::create_directories(database.parent_path());
  parts_->definitions = defs::Definitions::open(fhir_packages);
  // Validated as `ptwin fhir-serve` validates, invariants included (docs/fhir.md#invariants).
  ingest::fhir::validation::ValidatorOptions validator_options;
  validator_options.invariant_evaluator =
      ingest::fhir::validation::make_fhirpath_invariant_evaluator(*parts_->definitions);
  parts_->validator = std::make_unique<ingest::fhir::validation::Validator>(
      *parts_->definitions, std::move(validator_options));
  parts_->resources = std::make_unique<store::fhir::SqliteResourceStore>(database, parts_->clock);
  server::fhir::FhirFacadeSettings settings;
  settings.base_path = "/fhir";
  settings.quarantine = std::move(quarantine);
  parts_->facade = std::make_unique<server::fhir::FhirFacade>(
      *parts_->resources, *parts_->definitions, *parts_->validator, std::move(settings));
  server::HttpServerSettings http;
  http.address = "127.0.0.1";
  http.port = 0;  // any free port
  http.threads = 1;
  parts_->http = std::make_unique<server::HttpServer>(http, parts_->facade->handler());
  parts_->base_url = parts_->http->origin() + "/fhir";
}

InProcessEhr::~InProcessEhr() {
  if (parts_ && parts_->http) parts_->http->stop();
}

const std::string& InProcessEhr::base_url() const { return parts_->base_url; }

EhrLoad InProcessEhr::load(ingest::fhir::FhirClient& client, const nlohmann::json& collection) const {
  nlohmann::json batch = {{"resourceType", "Bundle"}, {"type", "batch"}, {"entry", nlohmann::json::array()}};
  std::vector<std::string> names;
  for (const auto& item : collection.value("entry", nlohmann::json::array())) {
    if (!item.is_object() || !item.contains("resource") || !item.at("resource").is_object()) continue;
    const auto& resource = item.at("resource");
    const std::string type = resource.value("resourceType", "");
    const bool has_id = resource.contains("id") && resource.at("id").is_string();
    const std::string id = has_id ? resource.at("id").get<std::string>() : std::string();
    batch["entry"].push_back(
        {{"resource", resource},
         {"request", {{"method", has_id ? "PUT" : "POST"}, {"url", has_id ? type + "/" + id : type}}}});
    names.push_back(has_id ? fmt::format("{}/{}", type, id) : type);
  }
  const nlohmann::json response = client.submit_bundle(batch);
  EhrLoad load;
  const auto& entries = response.at("entry");
  for (std::size_t i = 0; i < entries.size() && i < names.size(); ++i) {
    const auto& answer = entries[i].value("response", nlohmann::json::object());
    const std::string status = answer.value("status", "");
    if (status.starts_with("2")) {
      ++load.accepted;
      continue;
    }
    std::string reason;
    for (const auto& issue : answer.value("outcome", nlohmann::json::object())
                                 .value("issue", nlohmann::json::array())) {
      if (!reason.empty()) reason += "; ";
      reason += issue.value("diagnostics", issue.value("code", "?"));
      const auto expression = issue.value("expression", nlohmann::json::array());
      if (!expression.empty() && expression[0].is_string()) {
        reason += " at " + expression[0].get<std::string>();
      }
    }
    load.refused.push_back({names[i], status, reason});
  }
  return load;
}

std::string patient_id_of(const nlohmann::json& bundle, std::string_view source) {
  for (const auto& item : bundle.value("entry", nlohmann::json::array())) {
    const auto resource = item.value("resource", nlohmann::json::object());
    if (resource.value("resourceType", "") == "Patient" && resource.contains("id") &&
        resource.at("id").is_string()) {
      return resource.at("id").get<std::string>();
    }
  }
  throw InputError(ErrorCode::MissingField, fmt::format("{}: Patient.id", source), "",
                   "the bundle needs one Patient with an id");
}

ingest::fhir::PatientBundle pull_patient(ingest::fhir::FhirClient& client,
                                         std::string_view patient_id) {
  // The vital-signs reader takes the Patient and its Observations; other resources of the
  // patient's context are not inputs of this twin.
  ingest::fhir::PatientContext context = client.patient_context(patient_id, {"Observation"});
  nlohmann::json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", nlohmann::json::array()}};
  bundle["entry"].push_back({{"resource", std::move(context.patient)}});
  for (auto& resource : context.resources) bundle["entry"].push_back({{"resource", std::move(resource)}});
  return ingest::fhir::read_patient_bundle(bundle.dump(), fmt::format("EHR {}", client.base_url().str()));
}

}  // namespace ptwin::app
