// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/sql_resource_transaction.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/detail/export_sql.hpp"
#include "ptwin/store/fhir/detail/resource_json.hpp"
#include "ptwin/store/fhir/detail/resource_rows.hpp"
#include "ptwin/store/fhir/detail/sql_queries.hpp"
#include "ptwin/store/fhir/detail/subscription_outbox_sql.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir::detail {
namespace {

void check_name(std::string_view resource_type, std::string_view id, std::string_view operation) {
  if (!is_resource_type_name(resource_type)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: resource type", operation),
                     printable_value(resource_type), "must be a FHIR resource type name");
  }
  if (!is_resource_id(id)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{} {}: id", operation, resource_type),
                     printable_value(id), "must be a FHIR id: [A-Za-z0-9-.]{1,64}");
  }
}

std::string where_of(std::string_view operation, std::string_view type, std::string_view id) {
  return fmt::format("{} {}/{}", operation, type, id);
}

}  // namespace

SqlResourceTransaction::SqlResourceTransaction(SqlStoreCore& core,
                                               std::unique_lock<std::mutex> lock,
                                               TransactionMode mode)
    : core_(core), lock_(std::move(lock)), mode_(mode) {}

SqlResourceTransaction::~SqlResourceTransaction() {
  if (state_ == State::Finished) return;
  core_.session().rollback();
  end();
}

void SqlResourceTransaction::end() {
  state_ = State::Finished;
  core_.release_owner();
  lock_.unlock();
}

template <typename Body>
auto SqlResourceTransaction::guarded(std::string_view operation, bool is_write, Body&& body) {
  if (state_ != State::Open) {
    throw Error(ErrorCode::Internal,
                fmt::format("{}: {}: the transaction {}", core_.session().description(), operation,
                            state_ == State::Failed
                                ? "failed at an earlier operation and can only be rolled back"
                                : "has already been committed or rolled back"));
  }
  if (is_write && mode_ == TransactionMode::ReadOnly) {
    throw Error(ErrorCode::Internal, fmt::format("{}: {}: the transaction is read-only",
                                                 core_.session().description(), operation));
  }
  try {
    return body();
  } catch (...) {
    state_ = State::Failed;
    throw;
  }
}

std::string SqlResourceTransaction::new_id() { return core_.random_uuid(); }

ResourceVersion SqlResourceTransaction::write_new(const NewResource& resource, std::string_view id,
                                                  VersionOperation operation) {
  const std::string where = where_of(operation == VersionOperation::Create ? "create" : "update",
                                     resource.resource_type, id);
  validate(resource.index, where);
  ResourceVersion version{.resource_type = resource.resource_type,
                          .id = std::string(id),
                          .version_id = 1,
                          .last_updated = core_.clock().now(),
                          .operation = operation,
                          .json = {}};
  version.json = with_identity(
      resource.json,
      ResourceIdentity{resource.resource_type, id, version.version_id, version.last_updated},
      operation == VersionOperation::Create ? BodyIdPolicy::Replace : BodyIdPolicy::MustMatch,
      where);
  SqlSession& session = core_.session();
  const std::int64_t pk = insert_resource(session, version);
  insert_version(session, pk, version);
  insert_index_rows(session, pk, resource.resource_type, resource.index);
  return version;
}

ResourceVersion SqlResourceTransaction::create_with_id(const NewResource& resource,
                                                       std::string_view id) {
  return guarded("create", true, [&] {
    check_name(resource.resource_type, id, "create");
    if (find_current(core_.session(), resource.resource_type, id)) {
      throw InputError(ErrorCode::BadInput, where_of("create", resource.resource_type, id),
                       std::string(id), "is already used by a resource of that type");
    }
    return write_new(resource, id, VersionOperation::Create);
  });
}

ConditionalCreateResult SqlResourceTransaction::conditional_create(
    const NewResource& resource, std::span<const Criterion> criteria) {
  return guarded("conditional create", true, [&] {
    if (criteria.empty()) {
      throw InputError(ErrorCode::MissingField, "conditional create: criteria", "",
                       "needs at least one criterion (FHIR If-None-Exist)");
    }
    const SearchQuery query{.resource_type = resource.resource_type,
                            .criteria = {criteria.begin(), criteria.end()},
                            .count = 2};
    SearchResult found = run_search(core_.session(), query, core_.clock().now());
    if (found.total == 0) {
      const std::string id = new_id();
      check_name(resource.resource_type, id, "conditional create");
      return ConditionalCreateResult{.status = ConditionalCreateStatus::Created,
                                     .version = write_new(resource, id, VersionOperation::Create),
                                     .match_count = 0};
    }
    if (found.total == 1) {
      return ConditionalCreateResult{.status = ConditionalCreateStatus::Existing,
                                     .version = std::move(found.matches.front()),
                                     .match_count = 1};
    }
    return ConditionalCreateResult{.status = ConditionalCreateStatus::MultipleMatches,
                                   .version = std::nullopt,
                                   .match_count = found.total};
  });
}

UpdateResult SqlResourceTransaction::update(const NewResource& resource, std::string_view id,
                                            const UpdateOptions& options) {
  return guarded("update", true, [&] {
    check_name(resource.resource_type, id, "update");
    SqlSession& session = core_.session();
    const std::optional<CurrentRow> current = find_current(session, resource.resource_type, id);
    const std::int64_t current_version = current ? current->version_id : 0;
    if (options.expected_version && *options.expected_version != current_version) {
      return UpdateResult{.status = UpdateStatus::VersionConflict,
                          .version = std::nullopt,
                          .current_version_id = current_version};
    }
    if (!current) {
      if (!options.allows_create) return UpdateResult{};
      ResourceVersion created = write_new(resource, id, VersionOperation::Update);
      return UpdateResult{
          .status = UpdateStatus::Created, .version = std::move(created), .current_version_id = 1};
    }
    const std::string where = where_of("update", resource.resource_type, id);
    validate(resource.index, where);
    ResourceVersion version{.resource_type = resource.resource_type,
                            .id = std::string(id),
                            .version_id = current->version_id + 1,
                            .last_updated = core_.clock().now(),
                            .operation = VersionOperation::Update,
                            .json = {}};
    version.json = with_identity(
        resource.json,
        ResourceIdentity{resource.resource_type, id, version.version_id, version.last_updated},
        BodyIdPolicy::MustMatch, where);
    update_resource(session, current->pk, version);
    insert_version(session, current->pk, version);
    replace_index_rows(session, current->pk, resource.resource_type, resource.index);
    return UpdateResult{.status = UpdateStatus::Updated,
                        .version = version,
                        .current_version_id = version.version_id};
  });
}

DeleteResult SqlResourceTransaction::remove(std::string_view resource_type, std::string_view id) {
  return guarded("delete", true, [&] {
    check_name(resource_type, id, "delete");
    SqlSession& session = core_.session();
    const std::optional<CurrentRow> current = find_current(session, resource_type, id);
    if (!current) return DeleteResult{};
    if (current->is_deleted) {
      return DeleteResult{.status = DeleteStatus::AlreadyDeleted,
                          .version = select_version(session, current->pk, current->version_id)};
    }
    const ResourceVersion deletion{.resource_type = std::string(resource_type),
                                   .id = std::string(id),
                                   .version_id = current->version_id + 1,
                                   .last_updated = core_.clock().now(),
                                   .operation = VersionOperation::Delete,
                                   .json = {}};
    update_resource(session, current->pk, deletion);
    insert_version(session, current->pk, deletion);
    delete_index_rows(session, current->pk);
    return DeleteResult{.status = DeleteStatus::Deleted, .version = deletion};
  });
}

ReadResult SqlResourceTransaction::read(std::string_view resource_type, std::string_view id) {
  return guarded("read", false, [&] {
    check_name(resource_type, id, "read");
    SqlSession& session = core_.session();
    const std::optional<CurrentRow> current = find_current(session, resource_type, id);
    if (!current) return ReadResult{};
    return ReadResult{.status = current->is_deleted ? ReadStatus::Gone : ReadStatus::Found,
                      .version = select_version(session, current->pk, current->version_id)};
  });
}

ReadResult SqlResourceTransaction::vread(std::string_view resource_type, std::string_view id,
                                         std::int64_t version_id) {
  return guarded("vread", false, [&] {
    check_name(resource_type, id, "vread");
    SqlSession& session = core_.session();
    const std::optional<CurrentRow> current = find_current(session, resource_type, id);
    if (!current) return ReadResult{};
    std::optional<ResourceVersion> version = select_version(session, current->pk, version_id);
    if (!version) return ReadResult{};
    const ReadStatus status = version->is_deletion() ? ReadStatus::Gone : ReadStatus::Found;
    return ReadResult{.status = status, .version = std::move(version)};
  });
}

HistoryPage SqlResourceTransaction::history(const HistoryQuery& query) {
  return guarded("history", false, [&] { return run_history(core_.session(), query); });
}

SearchResult SqlResourceTransaction::search(const SearchQuery& query) {
  return guarded("search", false,
                 [&] { return run_search(core_.session(), query, core_.clock().now()); });
}

std::vector<ResourceVersion> SqlResourceTransaction::export_scan(const ExportScan& scan) {
  return guarded("export scan", false, [&] { return run_export_scan(core_.session(), scan); });
}

void SqlResourceTransaction::save_export_job(const ExportJobRecord& job) {
  guarded("save export job", true, [&] { upsert_export_job(core_.session(), job); });
}

std::optional<ExportJobRecord> SqlResourceTransaction::export_job(std::string_view id) {
  return guarded("read export job", false, [&] { return select_export_job(core_.session(), id); });
}

std::vector<ExportJobRecord> SqlResourceTransaction::export_jobs() {
  return guarded("list export jobs", false, [&] { return select_export_jobs(core_.session()); });
}

bool SqlResourceTransaction::delete_export_job(std::string_view id) {
  return guarded("delete export job", true,
                 [&] { return delete_export_job_row(core_.session(), id); });
}

std::int64_t SqlResourceTransaction::append_subscription_event(const NewSubscriptionEvent& event) {
  return guarded("append subscription event", true,
                 [&] { return append_event(core_.session(), event, core_.clock().now()); });
}

std::vector<SubscriptionEvent> SqlResourceTransaction::subscription_events(
    const SubscriptionEventQuery& query) {
  return guarded("subscription events", false,
                 [&] { return select_events(core_.session(), query); });
}

SubscriptionEventCounters SqlResourceTransaction::subscription_event_counters(
    std::string_view subscription_id) {
  return guarded("subscription event counters", false,
                 [&] { return select_counters(core_.session(), subscription_id); });
}

void SqlResourceTransaction::mark_subscription_delivered(std::string_view subscription_id,
                                                         std::int64_t event_number) {
  guarded("mark subscription delivered", true,
          [&] { mark_delivered(core_.session(), subscription_id, event_number); });
}

SubscriptionEventPurge SqlResourceTransaction::purge_subscription_events(
    time::Instant recorded_before) {
  return guarded("purge subscription events", true,
                 [&] { return purge_events(core_.session(), recorded_before); });
}

bool SqlResourceTransaction::take_lease(std::string_view name, std::string_view owner,
                                        std::chrono::nanoseconds duration) {
  return guarded("take lease", true, [&] {
    return take_lease_row(core_.session(), name, owner, core_.clock().now(), duration);
  });
}

void SqlResourceTransaction::release_lease(std::string_view name, std::string_view owner) {
  guarded("release lease", true, [&] { release_lease_row(core_.session(), name, owner); });
}

void SqlResourceTransaction::commit() {
  guarded("commit", false, [&] { core_.session().commit(); });
  end();
}

void SqlResourceTransaction::rollback() {
  if (state_ == State::Finished) {
    throw Error(ErrorCode::Internal, fmt::format("{}: rollback: the transaction has already ended",
                                                 core_.session().description()));
  }
  core_.session().rollback();
  end();
}

}  // namespace ptwin::store::fhir::detail
