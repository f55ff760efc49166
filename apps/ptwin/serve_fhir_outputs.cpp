// SPDX-License-Identifier: Apache-2.0
#include "serve_fhir_outputs.hpp"

#include <fmt/format.h>

#include <atomic>
#include <filesystem>
#include <iterator>
#include <optional>

#include "commands.hpp"
#include "fhir_serve_subscriptions.hpp"
#include "ptwin/clinical/fhir/ehr_poster.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/vv/gate/hypotension_model_verification.hpp"

namespace ptwin::app {
namespace {

namespace validation = ingest::fhir::validation;

validation::Validator make_validator(const ingest::fhir::definitions::Definitions& definitions) {
  validation::ValidatorOptions options;
  options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(definitions);
  return validation::Validator(definitions, std::move(options));
}

// The record the gate judges: the configured one, or the cases run now with these settings.
vv::gate::VerificationRecord verification_record(const FhirOutputsConfig& config,
                                                 const twin::risk::HypotensionRiskSettings& model,
                                                 const time::Clock& clock) {
  if (config.verification_record)
    return vv::gate::read_verification_record(*config.verification_record);
  return vv::gate::verify_hypotension_risk_model(model, clock.now());
}

// Outputs (one patient's update each) waiting for the writer thread; when full, updates merge
// into their patient's waiting output, or the feed waits (docs/serve.md#output-queue).
constexpr std::size_t kOutputQueueCapacity = 1024;

clinical::fhir::TwinOutputSettings output_settings(
    const FhirOutputsConfig& config, const twin::risk::HypotensionRiskSettings& model) {
  return {.risk_interval = std::chrono::seconds(config.risk_interval_s),
          .model = model,
          .queue_capacity = kOutputQueueCapacity};
}

// Writes the resources of one call to the facade in one transaction Bundle of PUTs
// (update-as-create, so the Subscriptions see a create or an update; one store commit for the
// whole call), and queues what was stored for the EHR. A transaction the facade refuses is
// written again resource by resource, so that only the refused ones are lost to the facade and
// each is logged with its OperationOutcome.
class FacadeWriter final : public clinical::fhir::OutputWriter {
 public:
  FacadeWriter(const server::fhir::FhirFacade& facade, std::string base_path,
               clinical::fhir::EhrPoster* poster)
      : facade_(facade), base_path_(std::move(base_path)), poster_(poster) {}

  void write(const std::vector<nlohmann::json>& resources) override {
    if (resources.size() > 1 && write_transaction(resources)) return;
    for (const auto& resource : resources) write_one(resource);
  }
  [[nodiscard]] FacadeWriteCounts counts() const {
    return {counts_.written.load(), counts_.failed.load()};
  }

 private:
  static server::HttpRequest request_to(std::string method, std::string target, std::string body) {
    server::HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.headers["Host"] = "localhost";
    request.headers["Content-Type"] = "application/fhir+json";
    request.body = std::move(body);
    request.remote_address = "ptwin-serve-outputs";
    return request;
  }

  static std::string url_of(const nlohmann::json& resource) {
    return fmt::format("{}/{}", resource.at("resourceType").get_ref<const std::string&>(),
                       resource.at("id").get_ref<const std::string&>());
  }

  bool write_transaction(const std::vector<nlohmann::json>& resources) {
    nlohmann::json bundle{{"resourceType", "Bundle"}, {"type", "transaction"}};
    auto& entries = bundle["entry"] = nlohmann::json::array();
    for (const auto& resource : resources) {
      entries.push_back({{"resource", resource},
                         {"request", {{"method", "PUT"}, {"url", url_of(resource)}}}});
    }
    const auto response = facade_.handle(request_to("POST", base_path_, bundle.dump()));
    if (response.status != 200) {
      logging::zone_logger("clinical")
          ->warn("FHIR outputs transaction refused by the facade resources={} status={}; "
                 "writing them one by one",
                 resources.size(), response.status);
      return false;
    }
    counts_.written += resources.size();
    if (poster_ != nullptr) {
      for (const auto& resource : resources) poster_->enqueue(resource);
    }
    return true;
  }

  void write_one(const nlohmann::json& resource) {
    const auto response =
        facade_.handle(request_to("PUT", fmt::format("{}/{}", base_path_, url_of(resource)),
                                  resource.dump()));
    if (response.status == 200 || response.status == 201) {
      ++counts_.written;
      if (poster_ != nullptr) poster_->enqueue(resource);
    } else {
      ++counts_.failed;
      logging::zone_logger("clinical")
          ->error("FHIR output refused by the facade type={} id={} status={} outcome={}",
                  resource.at("resourceType").get_ref<const std::string&>(),
                  resource.at("id").get_ref<const std::string&>(), response.status, response.body);
    }
  }

  struct AtomicCounts {
    std::atomic<std::uint64_t> written{0};
    std::atomic<std::uint64_t> failed{0};
  };
  const server::fhir::FhirFacade& facade_;
  std::string base_path_;
  clinical::fhir::EhrPoster* poster_;
  AtomicCounts counts_;
};

std::unique_ptr<clinical::fhir::EhrPoster> make_poster(const FhirOutputsConfig& config) {
  if (!config.ehr_base_url) return nullptr;
  ingest::fhir::FhirClientSettings client;
  client.base_url = *config.ehr_base_url;
  client.timeout = std::chrono::seconds(config.post_timeout_s);
  // The queue is kept next to the facade's database, so a restart sends what was left.
  auto spool = std::filesystem::path(config.database).concat(".ehr-queue");
  return std::make_unique<clinical::fhir::EhrPoster>(client, std::chrono::seconds(30),
                                                     std::move(spool));
}

}  // namespace

struct ServedFhirOutputs::Parts {
  Parts(const FhirOutputsConfig& c, const twin::risk::HypotensionRiskSettings& model,
        const twin::live::HypotensionRiskStage& risk, clinical::alerts::RiskAlertEpisodes& alerts,
        clinical::fhir::OutputCompletion& completion, const time::Clock& clock)
      : config(c),
        recalibration_digest(vv::gate::recalibration_digest(model.recalibrations)),
        gate(vv::gate::hypotension_risk_model_identity(model),
             verification_record(c, model, clock)),
        definitions(ingest::fhir::definitions::Definitions::open(fhir_package_dir(""))),
        validator(make_validator(*definitions)),
        store(c.database, clock),
        subscriptions(store, *definitions, clock, std::nullopt, "127.0.0.1"),
        facade(store, *definitions, validator, facade_settings()),
        poster(make_poster(c)),
        writer(facade, c.base_path, poster.get()),
        stage(risk, gate, writer, alerts, output_settings(c, model), &completion) {}

  server::fhir::FhirFacadeSettings facade_settings() {
    server::fhir::FhirFacadeSettings settings;
    settings.base_path = config.base_path;
    subscriptions.attach(settings);
    return settings;
  }

  FhirOutputsConfig config;
  std::optional<std::string> recalibration_digest;  // of the served model's maps
  vv::gate::ModelGate gate;
  std::unique_ptr<ingest::fhir::definitions::Definitions> definitions;
  validation::Validator validator;
  store::fhir::SqliteResourceStore store;
  ServedSubscriptions subscriptions;
  server::fhir::FhirFacade facade;
  std::unique_ptr<clinical::fhir::EhrPoster> poster;
  FacadeWriter writer;
  clinical::fhir::TwinOutputStage stage;
};

ServedFhirOutputs::ServedFhirOutputs(const FhirOutputsConfig& config,
                                     const twin::risk::HypotensionRiskSettings& model,
                                     const twin::live::HypotensionRiskStage& risk,
                                     clinical::alerts::RiskAlertEpisodes& alerts,
                                     clinical::fhir::OutputCompletion& completion,
                                     const time::Clock& clock)
    : parts_(std::make_unique<Parts>(config, model, risk, alerts, completion, clock)) {
  warm_up();
}

// The first write of each resource type loads its StructureDefinitions, value sets and search
// expressions from the R5 package (JSON parsing, FHIRPath compilation): about 0.25 s measured
// with perf on the first output batch (docs/serve.md#first-output). Paid here, at start-up,
// on one resource of each kind the outputs write; nothing is stored.
void ServedFhirOutputs::warm_up() {
  const auto started = std::chrono::steady_clock::now();
  for (const auto& resource : parts_->stage.example_outputs()) parts_->facade.warm_up(resource);
  warm_up_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

ServedFhirOutputs::~ServedFhirOutputs() = default;

ingest::stream::SampleSink& ServedFhirOutputs::stage() { return parts_->stage; }

bool ServedFhirOutputs::is_fhir_request(const server::HttpRequest& request) const {
  const auto path = request.path();
  const auto& base = parts_->config.base_path;
  return path.starts_with(base) && (path.size() == base.size() || path[base.size()] == '/');
}

server::HttpResponse ServedFhirOutputs::handle(const server::HttpRequest& request) const {
  return parts_->facade.handle(request);
}

void ServedFhirOutputs::start(const std::string& origin) {
  parts_->subscriptions.start(origin + parts_->config.base_path, std::nullopt);
}

void ServedFhirOutputs::stop() {
  parts_->stage.stop();  // everything queued reaches the facade and the EHR queue first
  if (parts_->poster) parts_->poster->stop();
}

const vv::gate::ModelGate& ServedFhirOutputs::gate() const { return parts_->gate; }

LatencyHistogram::Snapshot ServedFhirOutputs::output_latency() const {
  return parts_->stage.output_latency();
}

LatencyHistogram::Snapshot ServedFhirOutputs::queue_wait() const {
  return parts_->stage.queue_wait();
}

std::string ServedFhirOutputs::describe() const {
  const auto& gate = parts_->gate;
  return fmt::format("model {} {} settings {} verification {}{}; facade at {} ({}); EHR {}; "
                     "output path warmed up in {:.3f} s",
                     gate.model().name, gate.model().version,
                     gate.model().settings_digest.substr(0, 12), vv::gate::to_string(gate.status()),
                     gate.may_emit() ? "" : fmt::format(": outputs WITHHELD ({})", gate.reason()),
                     parts_->config.base_path, parts_->config.database.string(),
                     parts_->config.ehr_base_url.value_or("none"), warm_up_s_);
}

void ServedFhirOutputs::append_metrics(std::string& out) const {
  const auto stage = parts_->stage.counts();
  const auto facade = parts_->writer.counts();
  const auto posted = parts_->poster ? parts_->poster->counts() : clinical::fhir::EhrPosterCounts{};
  auto line = std::back_inserter(out);
  out +=
      "# HELP ptwin_fhir_outputs_total FHIR outputs of the twin by resource type (handed to "
      "the writers).\n# TYPE ptwin_fhir_outputs_total counter\n";
  for (const auto& [type, value] :
       {std::pair{"RiskAssessment", stage.risk_assessments},
        std::pair{"Observation", stage.observations},
        std::pair{"DetectedIssue", stage.detected_issues}, std::pair{"Device", stage.devices}}) {
    fmt::format_to(line, "ptwin_fhir_outputs_total{{type=\"{}\"}} {}\n", type, value);
  }
  out +=
      "# HELP ptwin_fhir_outputs_result_total FHIR outputs by what became of them: written "
      "to the facade, refused by it, posted to the EHR, EHR attempts failed and retried, "
      "refused by the EHR, not posted at stop, resumed from the spool at start, spool writes "
      "failed, withheld by the model gate.\n"
      "# TYPE ptwin_fhir_outputs_result_total counter\n";
  for (const auto& [result, value] :
       {std::pair{"written", facade.written}, std::pair{"facade_failed", facade.failed},
        std::pair{"posted", posted.posted},
        std::pair{"post_failed_attempts", posted.failed_attempts},
        std::pair{"post_rejected", posted.rejected}, std::pair{"not_posted", posted.not_posted},
        std::pair{"resumed", posted.resumed}, std::pair{"spool_failed", posted.spool_failures},
        std::pair{"withheld", stage.withheld}}) {
    fmt::format_to(line, "ptwin_fhir_outputs_result_total{{result=\"{}\"}} {}\n", result, value);
  }
  fmt::format_to(
      line,
      "# HELP ptwin_fhir_outputs_pending Outputs queued for the EHR.\n"
      "# TYPE ptwin_fhir_outputs_pending gauge\nptwin_fhir_outputs_pending {}\n"
      "# HELP ptwin_output_queue_depth Outputs waiting for the writer thread.\n"
      "# TYPE ptwin_output_queue_depth gauge\nptwin_output_queue_depth {}\n"
      "# HELP ptwin_output_queue_capacity Outputs the queue holds before it merges or waits.\n"
      "# TYPE ptwin_output_queue_capacity gauge\nptwin_output_queue_capacity {}\n"
      "# HELP ptwin_output_queue_total What the output queue did with each due output: queued, "
      "coalesced (queue full: merged into the same patient's waiting output, the latest state "
      "written, its alerts kept), full_waits (queue full: a feed waited for room), "
      "write_batches (calls to the facade writer), writer_failures (building or writing "
      "threw; logged).\n"
      "# TYPE ptwin_output_queue_total counter\n"
      "ptwin_output_queue_total{{event=\"queued\"}} {}\n"
      "ptwin_output_queue_total{{event=\"coalesced\"}} {}\n"
      "ptwin_output_queue_total{{event=\"full_waits\"}} {}\n"
      "ptwin_output_queue_total{{event=\"write_batches\"}} {}\n"
      "ptwin_output_queue_total{{event=\"writer_failures\"}} {}\n"
      "# HELP ptwin_model_may_emit 1 when the model passed its verification cases "
      "for its exact settings, else 0 (outputs withheld).\n"
      "# TYPE ptwin_model_may_emit gauge\nptwin_model_may_emit{{model=\"{}\",version=\"{}\","
      "verification=\"{}\"}} {}\n",
      posted.pending, stage.queue_depth, kOutputQueueCapacity, stage.queued, stage.coalesced,
      stage.queue_full_waits, stage.write_batches, stage.writer_failures, parts_->gate.model().name, parts_->gate.model().version,
      vv::gate::to_string(parts_->gate.status()), parts_->gate.may_emit() ? 1 : 0);
}

nlohmann::json ServedFhirOutputs::status() const {
  const auto& gate = parts_->gate;
  const auto stage = parts_->stage.counts();
  const auto facade = parts_->writer.counts();
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : gate.record().cases) {
    cases.push_back({{"id", c.id},
                     {"observed", c.observed},
                     {"lower", c.lower},
                     {"upper", c.upper},
                     {"passed", c.is_passed()}});
  }
  nlohmann::json out{
      {"model",
       {{"name", gate.model().name},
        {"version", gate.model().version},
        {"settings_digest", gate.model().settings_digest},
        {"recalibration_digest",
         parts_->recalibration_digest ? nlohmann::json(*parts_->recalibration_digest)
                                      : nlohmann::json(nullptr)},
        {"verification", vv::gate::to_string(gate.status())},
        {"verified_at", time::format_iso8601(gate.record().verified_at)},
        {"cases", std::move(cases)}}},
      {"gate", {{"verdict", vv::gate::to_string(gate.verdict())}, {"reason", gate.reason()}}},
      {"base_path", parts_->config.base_path},
      {"outputs",
       {{"risk_assessments", stage.risk_assessments},
        {"observations", stage.observations},
        {"detected_issues", stage.detected_issues},
        {"devices", stage.devices},
        {"throttled_updates", stage.throttled},
        {"withheld", stage.withheld},
        {"queue",
         {{"capacity", kOutputQueueCapacity},
          {"depth", stage.queue_depth},
          {"queued", stage.queued},
          {"coalesced", stage.coalesced},
          {"full_waits", stage.queue_full_waits},
          {"write_batches", stage.write_batches},
          {"writer_failures", stage.writer_failures}}},
        {"written", facade.written},
        {"facade_failed", facade.failed}}}};
  const auto latency = parts_->stage.output_latency();
  out["output_latency"] = {
      {"count", latency.count},
      {"p50_s", latency.count == 0 ? nlohmann::json() : nlohmann::json(*latency.quantile_s(0.5))},
      {"p99_s", latency.count == 0 ? nlohmann::json() : nlohmann::json(*latency.quantile_s(0.99))}};
  if (parts_->poster) {
    const auto p = parts_->poster->counts();
    out["ehr"] = {{"base_url", parts_->poster->base_url()},
                  {"posted", p.posted},
                  {"failed_attempts", p.failed_attempts},
                  {"rejected", p.rejected},
                  {"pending", p.pending},
                  {"not_posted", p.not_posted},
                  {"resumed", p.resumed},
                  {"spool_failed", p.spool_failures}};
  }
  return out;
}

}  // namespace ptwin::app
