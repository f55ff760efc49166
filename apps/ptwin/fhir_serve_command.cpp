// SPDX-License-Identifier: Apache-2.0
// `ptwin fhir-serve`: the FHIR R5 REST facade over a resource store, until SIGINT or SIGTERM.
// SQLite by default, PostgreSQL with --postgres. Refused bodies go to the quarantine table of a
// SQLite file: the resources' own file unless --quarantine-db names another (with --postgres,
// ptwin-quarantine.db).

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "fhir_serve_subscriptions.hpp"
#include "stop_signals.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/bulk/bulk_exporter.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::app {
namespace {

struct FhirServeOptions {
  std::string database = "ptwin-fhir.db";
  std::string quarantine_database;  // empty: --db, or ptwin-quarantine.db with --postgres
  std::string postgres_url;
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string base_path = "/fhir";
  int threads = 4;
  std::string fhir_packages;
  std::optional<int> websocket_port;  // the subscription websocket channel; off when unset
  std::string export_directory;       // Bulk Data $export files; empty: <db>.export
  std::optional<double> event_retention_hours;  // purge delivered subscription events older
};

void run_fhir_serve(const FhirServeOptions& o) {
  StopSignals stop_signals;  // before any thread starts

  const auto definitions =
      ingest::fhir::definitions::Definitions::open(fhir_package_dir(o.fhir_packages));
  // Invariants (FHIRPath constraints) are checked too: docs/fhir.md#invariants.
  ingest::fhir::validation::ValidatorOptions validator_options;
  validator_options.invariant_evaluator =
      ingest::fhir::validation::make_fhirpath_invariant_evaluator(*definitions);
  const ingest::fhir::validation::Validator validator(*definitions, std::move(validator_options));
  time::SystemClock clock;
  std::unique_ptr<store::fhir::ResourceStore> resources;
  if (o.postgres_url.empty()) {
    resources = std::make_unique<store::fhir::SqliteResourceStore>(o.database, clock);
  } else {
    resources = std::make_unique<store::fhir::PostgresResourceStore>(o.postgres_url, clock);
  }
  // Refused bodies are kept raw with the reason.
  std::string quarantine_path = o.quarantine_database;
  if (quarantine_path.empty()) quarantine_path = o.postgres_url.empty() ? o.database : "ptwin-quarantine.db";
  store::SqliteStore quarantine_store(quarantine_path);
  std::mutex quarantine_mutex;
  ServedSubscriptions subscriptions(*resources, *definitions, clock, o.websocket_port, o.address);
  server::fhir::FhirFacadeSettings settings;
  settings.base_path = o.base_path;
  subscriptions.attach(settings);
  // Bulk Data $export: jobs live in the store and resume here after a restart.
  std::vector<std::string> types;
  {
    const server::fhir::FhirFacade probe(*resources, *definitions, validator, {});
    types = probe.resource_types();
  }
  // Groups of patients are written by clients for Group/[id]/$export (docs/bulk_data.md).
  if (!std::binary_search(types.begin(), types.end(), "Group")) {
    types.insert(std::upper_bound(types.begin(), types.end(), "Group"), "Group");
  }
  settings.resource_types = types;
  server::fhir::bulk::BulkExportSettings export_settings;
  export_settings.directory = o.export_directory.empty()
                                  ? std::filesystem::path(o.postgres_url.empty()
                                                              ? o.database + ".export"
                                                              : "ptwin-export")
                                  : std::filesystem::path(o.export_directory);
  server::fhir::bulk::BulkExporter exporter(*resources, clock, *definitions, types,
                                            export_settings);
  settings.bulk_export = &exporter;
  settings.quarantine = [&](const server::fhir::QuarantinedBody& refused) {
    const std::lock_guard lock(quarantine_mutex);
    (void)quarantine_store.quarantine({fmt::format("fhir-serve: {}", refused.resource_type),
                                       refused.outcome.dump(), refused.body, clock.now()});
  };
  const server::fhir::FhirFacade facade(*resources, *definitions, validator, settings);
  server::HttpServerSettings http;
  http.address = o.address;
  if (o.port < 0 || o.port > 65535) {
    throw InputError(ErrorCode::BadInput, "--port", fmt::format("{}", o.port), "must be 0 to 65535");
  }
  http.port = static_cast<std::uint16_t>(o.port);
  http.threads = o.threads;
  server::HttpServer server(http, facade.handler());
  std::optional<std::chrono::seconds> retention;
  if (o.event_retention_hours) {
    if (!(*o.event_retention_hours >= 0.0) || *o.event_retention_hours > 24.0 * 365 * 100) {
      throw InputError(ErrorCode::BadInput, "--event-retention-hours",
                       fmt::format("{}", *o.event_retention_hours),
                       "must be a number of hours, 0 to 876000");
    }
    retention = std::chrono::seconds(static_cast<std::int64_t>(*o.event_retention_hours * 3600.0));
  }
  subscriptions.start(server.origin() + o.base_path, retention);
  fmt::print("ptwin fhir-serve: FHIR R5 at {}{} ({}), {} resource types; Ctrl-C stops\n",
             server.origin(), o.base_path,
             o.postgres_url.empty() ? fmt::format("SQLite {}", o.database) : "PostgreSQL",
             facade.resource_types().size());
  fmt::print("ptwin fhir-serve: subscriptions: {} topics, {} subscriptions registered{}\n",
             subscriptions.loaded().topics, subscriptions.loaded().subscriptions,
             subscriptions.websocket_url().empty()
                 ? std::string()
                 : fmt::format("; websocket channel at {}", subscriptions.websocket_url()));
  std::fflush(stdout);
  const int received = stop_signals.wait();
  fmt::print("ptwin fhir-serve: stopping on signal {}\n", received);
  server.stop();  // no request may record events while delivery or an export stops
}

}  // namespace

Command register_fhir_serve(CLI::App& app) {
  auto options = std::make_shared<FhirServeOptions>();
  auto* sub = app.add_subcommand(
      "fhir-serve",
      "Serve the FHIR R5 REST API (create/read/update/delete, history, search, batch and "
      "transaction Bundles, /metadata, topic-based Subscriptions, Bulk Data $export) over a SQLite "
      "file or PostgreSQL. Every write is validated against the R5 definitions; refused bodies "
      "are quarantined with their OperationOutcome.");
  sub->add_option("--db", options->database, "SQLite file for the resources")->capture_default_str();
  sub->add_option("--quarantine-db", options->quarantine_database,
                  "SQLite file whose quarantine table keeps refused bodies (default: the --db "
                  "file; ptwin-quarantine.db with --postgres)");
  sub->add_option("--postgres", options->postgres_url,
                  "libpq connection URI; resources go to PostgreSQL instead of the SQLite file");
  sub->add_option("--address", options->address, "IP address to listen on")->capture_default_str();
  sub->add_option("--port", options->port, "TCP port (0: any free port)")->capture_default_str();
  sub->add_option("--base", options->base_path, "path prefix of the FHIR base")->capture_default_str();
  sub->add_option("--threads", options->threads, "worker threads")->capture_default_str();
  sub->add_option("--websocket-port", options->websocket_port,
                  "serve the subscription websocket channel on this port (0: any free port); "
                  "rest-hook subscriptions are always delivered");
  sub->add_option("--event-retention-hours", options->event_retention_hours,
                  "purge subscription events that were delivered more than this many hours "
                  "ago (undelivered events are always kept; $events answers 410 for purged "
                  "numbers); default: keep every event");
  sub->add_option("--export-dir", options->export_directory,
                  "folder of Bulk Data $export files (default: <db>.export; ptwin-export with "
                  "--postgres)");
  sub->add_option("--fhir-packages", options->fhir_packages,
                  "folder holding hl7.fhir.r5.core (default: $PTWIN_FHIR_PACKAGE_DIR)");
  return {sub, [options] { run_fhir_serve(*options); }};
}

}  // namespace ptwin::app
