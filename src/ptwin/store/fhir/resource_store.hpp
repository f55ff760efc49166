// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR resource store: versioned FHIR resources (JSON) with typed search indexes, on
// SQLite (SqliteResourceStore, the default) or PostgreSQL (PostgresResourceStore). It knows
// neither FHIRPath nor StructureDefinitions: callers hand it validated resource JSON and the
// index rows they extracted from it. The FHIR REST facade (server zone) maps its interactions
// onto this interface; docs/store.md#fhir-resource-store describes semantics and schema.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/bulk_export_records.hpp"
#include "ptwin/store/fhir/index_rows.hpp"
#include "ptwin/store/fhir/search_query.hpp"
#include "ptwin/store/fhir/subscription_outbox.hpp"

namespace ptwin::store::fhir {

/// The interaction that wrote a version: create (POST), update (PUT, also when it created
/// the resource) or delete (DELETE). History bundles report it as entry.request.method.
enum class VersionOperation { Create, Update, Delete };

/// One version of one resource.
struct ResourceVersion {
  std::string resource_type{};
  std::string id{};
  std::int64_t version_id = 0;   // 1, 2, 3, ... per resource; meta.versionId as text
  time::Instant last_updated{};  // UTC, from the store's clock; meta.lastUpdated
  VersionOperation operation = VersionOperation::Create;
  /// The resource as stored: the caller's JSON with `id`, `meta.versionId` and
  /// `meta.lastUpdated` set by the store, everything else byte-for-byte in value (decimals
  /// keep their digits). Empty for a deletion. Carries PHI: never log it.
  std::string json{};
  [[nodiscard]] bool is_deletion() const { return operation == VersionOperation::Delete; }
  friend bool operator==(const ResourceVersion&, const ResourceVersion&) = default;
};

/// What create and update take.
struct NewResource {
  std::string resource_type{};
  std::string json{};  // a JSON object with "resourceType" == resource_type
  IndexRows index{};   // replaces every index row of the resource
};

enum class ReadStatus { Found, NotFound, Gone };

/// read/vread. Found: `version` is it. Gone: the resource (or that version) is a deletion;
/// `version` is the deletion (for its versionId and lastUpdated). NotFound: no such resource
/// or version; `version` is empty.
struct ReadResult {
  ReadStatus status = ReadStatus::NotFound;
  std::optional<ResourceVersion> version{};
};

struct UpdateOptions {
  /// FHIR update-as-create: an update of an id that does not exist creates it (version 1).
  bool allows_create = false;
  /// If-Match: the update is refused (VersionConflict) unless the current version is this.
  std::optional<std::int64_t> expected_version{};
};

enum class UpdateStatus { Updated, Created, NotFound, VersionConflict };

/// Updated/Created: `version` is the new version. NotFound: the id does not exist and
/// allows_create is false. VersionConflict: `current_version_id` is the version found
/// (0 when the resource does not exist). Nothing is written unless Updated or Created.
struct UpdateResult {
  UpdateStatus status = UpdateStatus::NotFound;
  std::optional<ResourceVersion> version{};
  std::int64_t current_version_id = 0;
};

enum class DeleteStatus { Deleted, AlreadyDeleted, NotFound };

/// Deleted: `version` is the new deletion version. AlreadyDeleted: `version` is the existing
/// deletion; nothing is written. NotFound: no such resource.
struct DeleteResult {
  DeleteStatus status = DeleteStatus::NotFound;
  std::optional<ResourceVersion> version{};
};

enum class ConditionalCreateStatus { Created, Existing, MultipleMatches };

/// Created: nothing matched and `version` is the new resource. Existing: exactly one match,
/// returned in `version`, nothing written. MultipleMatches: `match_count` (> 1) resources
/// match, nothing written (FHIR answers 412).
struct ConditionalCreateResult {
  ConditionalCreateStatus status = ConditionalCreateStatus::Created;
  std::optional<ResourceVersion> version{};
  std::int64_t match_count = 0;
};

/// _history of one instance (type and id), one type (type only) or everything (neither).
struct HistoryQuery {
  std::optional<std::string> resource_type{};
  std::optional<std::string> id{};
  std::optional<time::Instant> since{};   // versions with lastUpdated >= since
  std::int64_t count = kDefaultPageSize;  // 0..kMaxPageSize
  std::int64_t offset = 0;
};

/// Newest first (lastUpdated descending, then the order written), deletions included.
struct HistoryPage {
  std::vector<ResourceVersion> versions{};
  std::int64_t total = 0;  // versions matching, over all pages
};

/// One page of matches and, separately, what _include/_revinclude brought in for that page
/// (each resource once, never one that is already a match).
struct SearchResult {
  std::vector<ResourceVersion> matches{};
  std::vector<ResourceVersion> included{};
  std::int64_t total = 0;  // matches over all pages
  /// The offset of the next page, or nullopt on the last page (the facade's `next` link).
  std::optional<std::int64_t> next_offset{};
};

enum class TransactionMode {
  /// A consistent snapshot for reads; writes are refused with Error(Internal).
  ReadOnly,
  /// Serialised against every other writer of the same store from begin() to the end, so
  /// that a conditional create cannot race another writer.
  ReadWrite,
};

/// A database transaction. Everything done through it is committed together by commit(), or
/// not at all: destroying it without commit() rolls back (a FHIR transaction Bundle maps onto
/// one ResourceTransaction). Once an operation has thrown, the transaction only rolls back:
/// further operations and commit() throw Error(Internal) (PostgreSQL aborts a transaction at
/// its first error; the SQLite backend behaves the same way on purpose).
/// Thread-safety: a transaction holds its store's connection; use it from one thread, and do
/// not call the store from that thread while it is open (that would wait on itself; it
/// throws Error(Internal) instead).
class ResourceTransaction {
 public:
  virtual ~ResourceTransaction() = default;
  ResourceTransaction(const ResourceTransaction&) = delete;
  ResourceTransaction& operator=(const ResourceTransaction&) = delete;
  ResourceTransaction(ResourceTransaction&&) = delete;
  ResourceTransaction& operator=(ResourceTransaction&&) = delete;

  /// A new, random server id (UUID v4 text), for callers that must know ids before creating
  /// (references between the entries of a transaction Bundle).
  [[nodiscard]] virtual std::string new_id() = 0;

  /// Creates version 1 under a new server id. Throws InputError when the JSON is not an object
  /// of `resource_type` or an index row is invalid (validate(IndexRows)).
  [[nodiscard]] ResourceVersion create(const NewResource& resource);
  /// Creates version 1 under `id` (from new_id()). Throws InputError also when `id` is not a
  /// FHIR id or is already used by a resource of that type, deleted or not.
  [[nodiscard]] virtual ResourceVersion create_with_id(const NewResource& resource,
                                                       std::string_view id) = 0;
  /// Creates the resource unless `criteria` (on its type) match one or more resources; the
  /// search and the create run in this transaction, so no other writer can interleave.
  [[nodiscard]] virtual ConditionalCreateResult conditional_create(
      const NewResource& resource, std::span<const Criterion> criteria) = 0;
  /// Writes a new version (resurrecting a deleted resource). A JSON `id` other than `id`
  /// throws InputError (FHIR: 400).
  [[nodiscard]] virtual UpdateResult update(const NewResource& resource, std::string_view id,
                                            const UpdateOptions& options) = 0;
  /// Writes a deletion version and drops the resource's index rows.
  [[nodiscard]] virtual DeleteResult remove(std::string_view resource_type,
                                            std::string_view id) = 0;

  [[nodiscard]] virtual ReadResult read(std::string_view resource_type, std::string_view id) = 0;
  [[nodiscard]] virtual ReadResult vread(std::string_view resource_type, std::string_view id,
                                         std::int64_t version_id) = 0;
  /// Throws InputError for an id without a type, a negative offset or a count out of range.
  [[nodiscard]] virtual HistoryPage history(const HistoryQuery& query) = 0;
  /// Throws InputError when validate(query) does.
  [[nodiscard]] virtual SearchResult search(const SearchQuery& query) = 0;

  /// One page of resources for Bulk Data export (ExportScan). Throws InputError for an invalid
  /// type, an after_id that is not a FHIR id, or a limit outside 1..kMaxPageSize.
  [[nodiscard]] virtual std::vector<ResourceVersion> export_scan(const ExportScan& scan) = 0;

  // Bulk Data export jobs (bulk_export_records.hpp).
  /// Inserts the job or replaces the stored row with the same id. Throws InputError for an
  /// invalid job id.
  virtual void save_export_job(const ExportJobRecord& job) = 0;
  [[nodiscard]] virtual std::optional<ExportJobRecord> export_job(std::string_view id) = 0;
  /// Every job, oldest transaction time first.
  [[nodiscard]] virtual std::vector<ExportJobRecord> export_jobs() = 0;
  /// Returns false when there was no such job.
  virtual bool delete_export_job(std::string_view id) = 0;
  // The subscription event outbox (subscription_outbox.hpp).
  /// Appends an event under the subscription's next number and returns that number. Throws
  /// InputError for an empty subscription id, topic or focus, or an unknown interaction.
  [[nodiscard]] virtual std::int64_t append_subscription_event(
      const NewSubscriptionEvent& event) = 0;
  /// Throws InputError for since < 1, until < since or a limit out of 1..kMaxPageSize.
  [[nodiscard]] virtual std::vector<SubscriptionEvent> subscription_events(
      const SubscriptionEventQuery& query) = 0;
  /// {0, 0} for a subscription without events.
  [[nodiscard]] virtual SubscriptionEventCounters subscription_event_counters(
      std::string_view subscription_id) = 0;
  /// Records that the subscriber acknowledged every event up to `event_number`. The mark
  /// only moves forward; a number beyond the last assigned one throws InputError.
  virtual void mark_subscription_delivered(std::string_view subscription_id,
                                           std::int64_t event_number) = 0;
  /// Retention: deletes, for every subscription, the events that are delivered (number <=
  /// delivered_through) and recorded before `recorded_before`, as a prefix of its numbers (an
  /// event recorded at or after `recorded_before` keeps every later one), and moves
  /// purged_through to the last number removed. Undelivered events are never removed; the
  /// counters keep counting.
  virtual SubscriptionEventPurge purge_subscription_events(time::Instant recorded_before) = 0;

  // Leases (one named row with an owner and an expiry), so that of several processes on one
  // database only one does a job (subscription delivery) at a time.
  /// Takes or renews the lease `name` for `owner` until now + `duration` (the store's clock)
  /// when it is free, expired or already held by `owner`; returns whether `owner` holds it.
  /// Throws InputError for an empty name or owner or a duration <= 0.
  [[nodiscard]] virtual bool take_lease(std::string_view name, std::string_view owner,
                                        std::chrono::nanoseconds duration) = 0;
  /// Gives the lease up if `owner` holds it (another process may take it at once).
  virtual void release_lease(std::string_view name, std::string_view owner) = 0;

  /// Makes every write durable (the backend's durability setting says against what).
  virtual void commit() = 0;
  /// Undoes every write; also what the destructor does without commit().
  virtual void rollback() = 0;

 protected:
  ResourceTransaction() = default;
};

/// Errors shared by every backend: invalid input throws InputError naming the field and value
/// (never the resource JSON, which carries PHI); database failures throw
/// Error(StoreFailure) naming the backend, the operation and the database's message.
/// Thread-safety: calls are serialised on the store's one connection; open one store per
/// thread for parallel work (SQLite WAL and PostgreSQL both allow concurrent readers).
class ResourceStore {
 public:
  virtual ~ResourceStore() = default;
  ResourceStore(const ResourceStore&) = delete;
  ResourceStore& operator=(const ResourceStore&) = delete;
  ResourceStore(ResourceStore&&) = delete;
  ResourceStore& operator=(ResourceStore&&) = delete;

  /// Opens a transaction (waits for the connection if another thread holds it).
  [[nodiscard]] virtual std::unique_ptr<ResourceTransaction> begin(TransactionMode mode) = 0;

  // One-transaction shortcuts: each runs the operation of the same name in its own
  // transaction (ReadWrite for writes, ReadOnly for reads) and commits it.
  [[nodiscard]] ResourceVersion create(const NewResource& resource);
  [[nodiscard]] ConditionalCreateResult conditional_create(const NewResource& resource,
                                                           std::span<const Criterion> criteria);
  [[nodiscard]] UpdateResult update(const NewResource& resource, std::string_view id,
                                    const UpdateOptions& options);
  [[nodiscard]] DeleteResult remove(std::string_view resource_type, std::string_view id);
  [[nodiscard]] ReadResult read(std::string_view resource_type, std::string_view id);
  [[nodiscard]] ReadResult vread(std::string_view resource_type, std::string_view id,
                                 std::int64_t version_id);
  [[nodiscard]] HistoryPage history(const HistoryQuery& query);
  [[nodiscard]] SearchResult search(const SearchQuery& query);

 protected:
  ResourceStore() = default;
};

}  // namespace ptwin::store::fhir
