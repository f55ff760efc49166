// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/bulk_exporter.hpp"

#include <random>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/bulk/element_subset.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/server/fhir/search_request.hpp"
#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

namespace sf = store::fhir;
using nlohmann::json;

JobState state_from_code(std::string_view code) {
  if (code == "accepted") return JobState::Accepted;
  if (code == "running") return JobState::Running;
  if (code == "completed") return JobState::Completed;
  if (code == "failed") return JobState::Failed;
  throw Error(ErrorCode::Internal, fmt::format("export job row: unknown state '{}'", code));
}

json files_json(const std::vector<OutputFile>& files) {
  json array = json::array();
  for (const OutputFile& file : files) {
    array.push_back({{"type", file.type}, {"name", file.name}, {"count", file.count},
                     {"bytes", file.bytes}});
  }
  return array;
}

std::vector<OutputFile> files_from_json(const json& array) {
  std::vector<OutputFile> files;
  for (const json& file : array) {
    files.push_back({file.at("type").get<std::string>(), file.at("name").get<std::string>(),
                     file.at("count").get<std::int64_t>(), file.at("bytes").get<std::uint64_t>()});
  }
  return files;
}

sf::ExportJobRecord to_record(const ExportJob& job, time::Instant now) {
  const json progress = {{"next_type", job.progress.next_type},
                         {"resources", job.progress.resources},
                         {"output", files_json(job.progress.output)},
                         {"error", files_json(job.progress.error)},
                         {"message", job.progress.message}};
  return {.id = job.id,
          .state = std::string(to_code(job.state)),
          .request_json = to_json(job.request).dump(),
          .progress_json = progress.dump(),
          .transaction_time = job.transaction_time,
          .updated_at = now};
}

ExportJob from_record(const sf::ExportJobRecord& record) {
  ExportJob job;
  job.id = record.id;
  job.state = state_from_code(record.state);
  job.request = export_request_from_json(json::parse(record.request_json));
  job.transaction_time = record.transaction_time;
  try {
    const json progress = json::parse(record.progress_json);
    job.progress.next_type = progress.at("next_type").get<std::size_t>();
    job.progress.resources = progress.at("resources").get<std::int64_t>();
    job.progress.output = files_from_json(progress.at("output"));
    job.progress.error = files_from_json(progress.at("error"));
    job.progress.message = progress.at("message").get<std::string>();
  } catch (const json::exception& error) {
    throw Error(ErrorCode::Internal,
                fmt::format("export job {}: the stored progress is damaged: {}", record.id,
                            error.what()));
  }
  return job;
}

std::string new_job_id() {
  std::random_device random;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", random(), random(), random(), random());
}

// A stored resource as one NDJSON line: the store keeps the JSON as the client sent it, which
// may span lines; such a resource is written again compactly.
std::string as_line(const std::string& stored) {
  if (stored.find_first_of("\r\n") == std::string::npos) return stored;
  return json::parse(stored).dump();
}

}  // namespace

std::string_view to_code(JobState state) noexcept {
  switch (state) {
    case JobState::Accepted: return "accepted";
    case JobState::Running: return "running";
    case JobState::Completed: return "completed";
    case JobState::Failed: return "failed";
  }
  return "failed";
}

BulkExporter::BulkExporter(sf::ResourceStore& store, const time::Clock& clock,
                           const ingest::fhir::definitions::Definitions& definitions,
                           std::vector<std::string> resource_types, BulkExportSettings settings)
    : store_(store), clock_(clock), definitions_(definitions), search_parameters_(definitions),
      compartment_(PatientCompartment::from_package(definitions.package())),
      types_(std::move(resource_types)), settings_(std::move(settings)) {
  if (settings_.page_size < 1 || settings_.page_size > sf::kMaxPageSize) {
    throw InputError(ErrorCode::BadInput, "bulk export: page_size",
                     std::to_string(settings_.page_size),
                     fmt::format("must be 1 to {}", sf::kMaxPageSize));
  }
  if (settings_.max_file_bytes == 0) {
    throw InputError(ErrorCode::BadInput, "bulk export: max_file_bytes", "0", "must be >= 1");
  }
  std::error_code error;
  std::filesystem::create_directories(settings_.directory, error);
  if (error) {
    throw Error(ErrorCode::Io, fmt::format("bulk export: cannot create the directory '{}': {}",
                                           settings_.directory.string(), error.message()));
  }
  std::sort(types_.begin(), types_.end());
  std::vector<sf::ExportJobRecord> records;
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
    records = transaction->export_jobs();
    transaction->commit();
  }
  for (const sf::ExportJobRecord& record : records) {
    if (record.state == "accepted" || record.state == "running") {
      logging::zone_logger("server")->info("bulk export job={} state={} resumed", record.id,
                                           record.state);
      queue_.push_back(record.id);
    }
  }
  worker_ = std::thread([this] { work(); });
}

BulkExporter::~BulkExporter() { stop(); }

void BulkExporter::request_stop() {
  {
    const std::lock_guard lock(mutex_);
    is_stopping_ = true;
  }
  wake_.notify_all();
}

void BulkExporter::stop() {
  request_stop();
  if (worker_.joinable()) worker_.join();
}

std::vector<std::vector<sf::Criterion>> BulkExporter::filters_of(const ExportRequest& request,
                                                                const std::string& type) const {
  std::vector<std::vector<sf::Criterion>> filters;
  for (const TypeFilter& filter : request.type_filters) {
    if (filter.type != type) continue;
    std::vector<std::pair<std::string, std::string>> params;
    try {
      params = parse_query(filter.query);
    } catch (const InputError& error) {
      throw FhirError(400, "invalid",
                      fmt::format("_typeFilter '{}?{}': {}", filter.type,
                                  printable_value(filter.query), error.what()),
                      "_typeFilter");
    }
    // Each parameter on its own first, so that every refused one is named at once.
    std::vector<std::string> refused;
    for (const auto& param : params) {
      try {
        (void)parse_criteria(search_parameters_, type, {param}, request.base_url);
      } catch (const FhirError& error) {
        refused.emplace_back(error.what());
      }
    }
    if (!refused.empty()) {
      std::string why;
      for (const std::string& reason : refused) {
        if (!why.empty()) why.append("; ");
        why.append(reason);
      }
      throw FhirError(400, "not-supported",
                      fmt::format("_typeFilter '{}?{}': {}", filter.type,
                                  printable_value(filter.query), why),
                      "_typeFilter");
    }
    std::vector<sf::Criterion> criteria =
        parse_criteria(search_parameters_, type, params, request.base_url);
    if (criteria.empty()) {
      throw FhirError(400, "invalid",
                      fmt::format("_typeFilter '{}?{}' has no search criterion", filter.type,
                                  printable_value(filter.query)),
                      "_typeFilter");
    }
    filters.push_back(std::move(criteria));
  }
  return filters;
}

std::vector<std::string> BulkExporter::group_patients(const std::string& id,
                                                      const std::string& base_url) {
  sf::ReadResult read;
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
    read = transaction->read("Group", id);
    transaction->commit();
  }
  if (read.status != sf::ReadStatus::Found) {
    throw FhirError(404, "not-found",
                    fmt::format("Group/{} {}: no such Group to export", printable_value(id),
                                read.status == sf::ReadStatus::Gone ? "is deleted" : "not found"));
  }
  const json group = json::parse(read.version->json);
  std::vector<std::string> patients;
  const json members = group.value("member", json::array());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const json& member = members[i];
    if (member.value("inactive", false)) continue;  // R5 Group.member.inactive
    std::string reference;
    if (const auto entity = member.find("entity"); entity != member.end() && entity->is_object()) {
      reference = entity->value("reference", "");
    }
    std::string_view local(reference);
    const std::string own_base = base_url + "/";
    if (local.starts_with(own_base)) local.remove_prefix(own_base.size());
    constexpr std::string_view kPatient = "Patient/";
    if (!local.starts_with(kPatient) || local.size() == kPatient.size() ||
        local.find('/', kPatient.size()) != std::string_view::npos) {
      throw FhirError(
          400, "not-supported",
          fmt::format("Group/{}: member[{}].entity '{}' is not a Patient of this server; "
                      "Group/[id]/$export exports groups of Patients only",
                      id, i, printable_value(reference)),
          fmt::format("Group.member[{}].entity", i));
    }
    std::string patient(local.substr(kPatient.size()));
    if (std::find(patients.begin(), patients.end(), patient) == patients.end()) {
      patients.push_back(std::move(patient));
    }
  }
  return patients;
}

std::string BulkExporter::kick_off(ExportRequest request) {
  for (const std::string& type : request.types) (void)filters_of(request, type);
  (void)ElementSubset(request.elements, request.types, definitions_);  // refuses bad ones
  if (request.level == ExportLevel::Group) {
    std::vector<std::string> members = group_patients(request.group_id, request.base_url);
    if (request.patients) {
      // IG: resources of patients outside the `patient` list are not returned.
      std::erase_if(members, [&](const std::string& member) {
        return std::find(request.patients->begin(), request.patients->end(), member) ==
               request.patients->end();
      });
    }
    request.group_patients = std::move(members);
  }
  ExportJob job;
  job.id = new_job_id();
  job.request = request;
  job.transaction_time = clock_.now();
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
    transaction->save_export_job(to_record(job, clock_.now()));
    transaction->commit();
  }
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(job.id);
  }
  wake_.notify_all();
  logging::zone_logger("server")->info("bulk export job={} accepted types={}", job.id,
                                       request.types.size());
  return job.id;
}

std::optional<ExportJob> BulkExporter::job(std::string_view id) {
  const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
  std::optional<sf::ExportJobRecord> record = transaction->export_job(id);
  transaction->commit();
  if (!record) return std::nullopt;
  ExportJob found = from_record(*record);
  if (found.state == JobState::Running) {
    const std::lock_guard lock(mutex_);
    const auto live = live_resources_.find(found.id);
    if (live != live_resources_.end()) found.progress.resources = live->second;
  }
  return found;
}

bool BulkExporter::cancel(std::string_view id) {
  // Under the mutex, so that the worker cannot save the job again after its row is gone.
  const std::lock_guard lock(mutex_);
  bool existed = false;
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
    existed = transaction->delete_export_job(id);
    transaction->commit();
  }
  if (!existed) return false;
  cancelled_.emplace(id);
  std::error_code error;
  std::filesystem::remove_all(settings_.directory / std::string(id), error);
  logging::zone_logger("server")->info("bulk export job={} cancelled", id);
  return true;
}

std::optional<std::filesystem::path> BulkExporter::file(std::string_view id,
                                                        std::string_view name) {
  const std::optional<ExportJob> found = job(id);
  if (!found || found->state != JobState::Completed) return std::nullopt;
  for (const auto* files : {&found->progress.output, &found->progress.error}) {
    for (const OutputFile& file : *files) {
      if (file.name == name) return settings_.directory / found->id / file.name;
    }
  }
  return std::nullopt;
}

bool BulkExporter::should_stop(const std::string& id) {
  const std::lock_guard lock(mutex_);
  return is_stopping_ || cancelled_.contains(id);
}

bool BulkExporter::save(const ExportJob& job) {
  const std::lock_guard lock(mutex_);
  if (cancelled_.contains(job.id)) return false;
  const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
  transaction->save_export_job(to_record(job, clock_.now()));
  transaction->commit();
  return true;
}

void BulkExporter::work() {
  while (true) {
    std::string id;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return is_stopping_ || !queue_.empty(); });
      if (is_stopping_) return;
      id = std::move(queue_.front());
      queue_.pop_front();
    }
    std::optional<ExportJob> found;
    try {
      found = job(id);
    } catch (const std::exception& error) {
      logging::zone_logger("server")->error("bulk export job={} cannot be read: {}", id,
                                            error.what());
      continue;
    }
    if (found) run(std::move(*found));
  }
}

void BulkExporter::run(ExportJob job) {
  const auto log = logging::zone_logger("server");
  try {
    job.state = JobState::Running;
    if (!save(job)) return;
    std::filesystem::create_directories(settings_.directory / job.id);
    while (job.progress.next_type < job.request.types.size()) {
      if (!export_type(job, job.request.types[job.progress.next_type])) return;
      ++job.progress.next_type;
      if (!save(job)) return;
    }
    job.state = JobState::Completed;
    if (!save(job)) return;
    {
      const std::lock_guard lock(mutex_);
      live_resources_.erase(job.id);
    }
    log->info("bulk export job={} completed resources={} files={}", job.id,
              job.progress.resources, job.progress.output.size());
  } catch (const std::exception& error) {
    log->error("bulk export job={} failed: {}", job.id, error.what());
    job.state = JobState::Failed;
    job.progress.message = error.what();
    try {
      (void)save(job);
    } catch (const std::exception& save_error) {
      log->error("bulk export job={} failure could not be saved: {}", job.id, save_error.what());
    }
  }
}

bool BulkExporter::export_type(ExportJob& job, const std::string& type) {
  const std::filesystem::path directory = settings_.directory / job.id;
  const std::string error_stem = fmt::format("OperationOutcome-{}", type);
  NdjsonFileSet::remove_leftovers(directory, type);
  NdjsonFileSet::remove_leftovers(directory, error_stem);
  NdjsonFileSet files(directory, type, type, settings_.max_file_bytes);
  NdjsonFileSet errors(directory, "OperationOutcome", error_stem, settings_.max_file_bytes);
  sf::ExportScan scan{.resource_type = type,
                      .since = job.request.since,
                      // _until earlier than the kick-off narrows the export; a later one
                      // cannot widen it past transactionTime.
                      .until = job.request.until
                                   ? std::min(*job.request.until, job.transaction_time)
                                   : job.transaction_time,
                      .after_id = std::nullopt,
                      .patient_compartment = std::nullopt,
                      .filters = filters_of(job.request, type),
                      .limit = settings_.page_size};
  if (job.request.level != ExportLevel::System) {
    scan.patient_compartment = sf::CompartmentScope{
        .reference_params = compartment_.params_of(type),
        .patient_ids = job.request.level == ExportLevel::Group
                           ? std::optional(job.request.group_patients)
                           : job.request.patients};
  }
  const ElementSubset elements(job.request.elements, job.request.types, definitions_);
  const bool is_subsetted = elements.applies_to(type);
  std::int64_t written = 0;
  while (true) {
    if (should_stop(job.id)) return false;
    std::vector<sf::ResourceVersion> page;
    {
      const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
      page = transaction->export_scan(scan);
      transaction->commit();
    }
    for (const sf::ResourceVersion& version : page) {
      try {
        files.append(is_subsetted ? elements.subset(json::parse(version.json)).dump()
                                  : as_line(version.json));
        ++written;
      } catch (const json::exception& error) {
        // Reported in the manifest's error files (IG: "error" array), never dropped silently.
        errors.append(operation_outcome("exception",
                                        fmt::format("{}/{} could not be exported: its stored "
                                                    "JSON does not parse ({})",
                                                    type, version.id, error.what()))
                          .dump());
      }
    }
    {
      const std::lock_guard lock(mutex_);
      live_resources_[job.id] = job.progress.resources + written;
    }
    if (settings_.on_page && !page.empty()) {
      settings_.on_page(job.id, job.progress.resources + written);
    }
    if (std::ssize(page) < scan.limit) break;
    scan.after_id = page.back().id;
  }
  std::vector<OutputFile> output = files.finish();
  job.progress.output.insert(job.progress.output.end(), output.begin(), output.end());
  std::vector<OutputFile> error_files = errors.finish();
  job.progress.error.insert(job.progress.error.end(), error_files.begin(), error_files.end());
  job.progress.resources += written;
  return true;
}

}  // namespace ptwin::server::fhir::bulk
