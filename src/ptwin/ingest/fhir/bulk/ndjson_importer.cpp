// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"

#include <algorithm>
#include <fstream>
#include <future>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::ingest::fhir::bulk {
namespace {

namespace sf = store::fhir;
using nlohmann::json;

bool is_blank(std::string_view bytes) {
  return bytes.find_first_not_of(" \t") == std::string_view::npos;
}

// The first error issue, and how many more there are: enough to act on, short enough to store.
std::string describe(const validation::ValidationResult& result) {
  std::size_t errors = 0;
  const validation::Issue* first = nullptr;
  for (const auto& issue : result.issues) {
    if (issue.severity != validation::IssueSeverity::Fatal &&
        issue.severity != validation::IssueSeverity::Error) {
      continue;
    }
    if (first == nullptr) first = &issue;
    ++errors;
  }
  if (first == nullptr) return "invalid";
  std::string text = first->expression.empty()
                         ? first->diagnostics
                         : fmt::format("{}: {}", first->expression, first->diagnostics);
  if (errors > 1) text += fmt::format(" (and {} more errors)", errors - 1);
  return text;
}

// One line as read, owned (the reader's view does not outlive the next read).
struct RawLine {
  std::int64_t number = 0;
  std::uint64_t length = 0;
  std::string bytes;
  bool is_too_long = false;
};

// What preparing a line gave: blank, a rejection with its reason, or a resource to write.
struct PreparedLine {
  bool is_blank = false;
  std::optional<LineRejection> rejection;
  std::string why;
  sf::NewResource resource;
  std::string id;
};

// Parse, type check, validation and index extraction of one line. Thread-safe (the validator
// and extractor are); touches nothing but its arguments.
struct LinePreparer {
  const validation::Validator& validator;
  const indexing::IndexExtractor& extractor;
  std::size_t max_line_bytes;
  const std::optional<std::string>& resource_type;

  void operator()(const RawLine& line, PreparedLine& out) const {
    const auto reject = [&](LineRejection reason, std::string why) {
      out.rejection = reason;
      out.why = std::move(why);
    };
    if (line.is_too_long) {
      return reject(LineRejection::LineTooLong,
                    fmt::format("the line has {} bytes, more than the limit of {}; its first {} "
                                "bytes are kept here",
                                line.length, max_line_bytes, line.bytes.size()));
    }
    if (is_blank(line.bytes)) {
      out.is_blank = true;
      return;
    }
    json resource;
    const validation::ValidationResult result = validator.validate_text(line.bytes, resource);
    if (resource.is_discarded() || !resource.is_object()) {
      return reject(LineRejection::NotJson,
                    resource.is_discarded() ? describe(result)
                                            : "the line is JSON but not an object; NDJSON for "
                                              "FHIR holds one resource object per line");
    }
    const auto type_field = resource.find("resourceType");
    std::string type =
        type_field != resource.end() && type_field->is_string() ? type_field->get<std::string>() : "";
    if (resource_type && type != *resource_type) {
      return reject(LineRejection::WrongResourceType,
                    type.empty() ? fmt::format("the line has no resourceType (a string); this "
                                               "file holds {} resources",
                                               *resource_type)
                                 : fmt::format("resourceType '{}' in a file of {} resources",
                                               printable_value(type), *resource_type));
    }
    if (!result.is_valid()) return reject(LineRejection::InvalidResource, describe(result));
    const auto id_field = resource.find("id");
    if (id_field == resource.end() || !id_field->is_string() ||
        !sf::is_resource_id(id_field->get_ref<const std::string&>())) {
      return reject(LineRejection::InvalidResource,
                    fmt::format("{}.id is missing or not a FHIR id; an imported resource keeps "
                                "the id its server gave it",
                                type));
    }
    try {
      indexing::Extraction extraction = extractor.extract(resource);
      out.id = id_field->get<std::string>();
      out.resource = sf::NewResource{std::move(type), line.bytes, std::move(extraction.rows)};
    } catch (const InputError& error) {
      reject(LineRejection::InvalidResource, error.what());
    }
  }
};

// A batch of lines as read, what preparing each gave, and the input offset after the last.
struct Chunk {
  std::vector<RawLine> lines;
  std::vector<PreparedLine> prepared;
  std::uint64_t bytes_after = 0;
};

// Runs `preparer` over every line on `threads` threads (0: one per hardware thread), each
// taking a contiguous slice; an exception other than the rejections is rethrown here.
void prepare_in_parallel(const LinePreparer& preparer, const std::vector<RawLine>& lines,
                         std::vector<PreparedLine>& prepared, std::size_t threads) {
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  threads = std::min(threads, lines.size());
  const auto run = [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) preparer(lines[i], prepared[i]);
  };
  if (threads <= 1) return run(0, lines.size());
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  const std::size_t slice = (lines.size() + threads - 1) / threads;
  for (std::size_t t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        run(std::min(t * slice, lines.size()), std::min((t + 1) * slice, lines.size()));
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  try {
    run(0, std::min(slice, lines.size()));
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace

std::string_view to_code(LineRejection reason) noexcept {
  switch (reason) {
    case LineRejection::NotJson: return "not-json";
    case LineRejection::WrongResourceType: return "wrong-resource-type";
    case LineRejection::InvalidResource: return "invalid-resource";
    case LineRejection::LineTooLong: return "line-too-long";
    case LineRejection::StoreRefused: return "store-refused";
  }
  return "unknown";
}

std::int64_t NdjsonImportSummary::quarantined() const {
  return std::accumulate(quarantined_by_reason.begin(), quarantined_by_reason.end(),
                         std::int64_t{0});
}

NdjsonImportSummary& NdjsonImportSummary::operator+=(const NdjsonImportSummary& other) {
  lines += other.lines;
  accepted += other.accepted;
  blank_lines += other.blank_lines;
  for (std::size_t r = 0; r < kLineRejectionCount; ++r) {
    quarantined_by_reason[r] += other.quarantined_by_reason[r];
  }
  bytes += other.bytes;
  return *this;
}

/// Valid resources waiting for their transaction, with what is needed to quarantine one that
/// the store refuses.
class NdjsonImporter::Batch {
 public:
  struct Pending {
    sf::NewResource resource;
    std::string id;
    std::string source;  // "<file>:<line>"
  };

  explicit Batch(NdjsonImporter& importer) : importer_(importer) {}

  void add(Pending pending) { pending_.push_back(std::move(pending)); }
  [[nodiscard]] std::size_t size() const { return pending_.size(); }

  /// Writes the batch in one transaction. If the store refuses one resource (which aborts the
  /// transaction), the batch is written again one resource per transaction so that only the
  /// refused ones are quarantined.
  void flush(NdjsonImportSummary& summary) {
    if (pending_.empty()) return;
    try {
      write(pending_.begin(), pending_.end());
      summary.accepted += std::ssize(pending_);
    } catch (const InputError&) {
      std::vector<store::QuarantineEntry> refused;
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        try {
          write(it, it + 1);
          ++summary.accepted;
        } catch (const InputError& error) {
          refused.push_back({it->source, error.what(), it->resource.json, {}});
        }
      }
      for (store::QuarantineEntry& entry : refused) {
        importer_.quarantine(entry, LineRejection::StoreRefused, summary);
      }
    }
    pending_.clear();
  }

 private:
  void write(std::vector<Pending>::iterator first, std::vector<Pending>::iterator last) {
    const auto transaction = importer_.store_.begin(sf::TransactionMode::ReadWrite);
    for (auto it = first; it != last; ++it) {
      const sf::UpdateOptions options{.allows_create = true, .expected_version = std::nullopt};
      (void)transaction->update(it->resource, it->id, options);
    }
    transaction->commit();
  }

  NdjsonImporter& importer_;
  std::vector<Pending> pending_;
};

NdjsonImporter::NdjsonImporter(sf::ResourceStore& store, const validation::Validator& validator,
                               const indexing::IndexExtractor& extractor,
                               LineQuarantine quarantine, NdjsonImportSettings settings)
    : store_(store),
      validator_(validator),
      extractor_(extractor),
      quarantine_(std::move(quarantine)),
      settings_(settings) {
  if (settings_.batch_size == 0) {
    throw InputError(ErrorCode::BadInput, "ndjson import: batch_size", "0", "must be >= 1");
  }
  if (settings_.max_line_bytes == 0) {
    throw InputError(ErrorCode::BadInput, "ndjson import: max_line_bytes", "0", "must be >= 1");
  }
  if (!quarantine_) {
    throw InputError(ErrorCode::MissingField, "ndjson import: quarantine", "",
                     "give a sink for rejected lines; bad input must not be dropped");
  }
}

void NdjsonImporter::quarantine(store::QuarantineEntry& entry, LineRejection reason,
                                NdjsonImportSummary& summary) {
  static const time::SystemClock clock;
  entry.received_at = clock.now();
  entry.reason = fmt::format("{}: {}", to_code(reason), entry.reason);
  quarantine_(entry);
  ++summary.quarantined_by_reason[static_cast<std::size_t>(reason)];
}

NdjsonImportSummary NdjsonImporter::import_file(const std::filesystem::path& path,
                                                const std::optional<std::string>& resource_type,
                                                const ImportProgress& progress) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(ErrorCode::Io, fmt::format("ndjson import: cannot open '{}' for reading",
                                           path.string()));
  }
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(path, size_error);
  return import_stream(file, path.filename().string(), size_error ? 0 : size, resource_type,
                       progress);
}

NdjsonImportSummary NdjsonImporter::import_stream(std::istream& input, std::string_view source,
                                                  std::uint64_t total_bytes,
                                                  const std::optional<std::string>& resource_type,
                                                  const ImportProgress& progress) {
  NdjsonImportSummary summary;
  NdjsonLineReader reader(input, settings_.max_line_bytes);
  Batch batch(*this);
  const LinePreparer preparer{validator_, extractor_, settings_.max_line_bytes, resource_type};
  // 1: everything on this thread. Otherwise this thread writes while `threads` others
  // prepare; 0 gives them the hardware threads but the writer's (on 2 cores: one prepares
  // while the other writes; three busy threads on two cores slowed the writer down).
  const bool is_pipelined = settings_.prepare_threads != 1;
  const std::size_t threads =
      settings_.prepare_threads == 0
          ? std::max(2U, std::thread::hardware_concurrency()) - 1U
          : settings_.prepare_threads;
  // One chunk of lines is written while the next is prepared: read in order on this thread,
  // prepared (parse, validate, extract) on `threads` threads, then quarantined or written in
  // line order here, so the result does not depend on the number of threads and memory stays
  // bounded by two batches.
  Chunk current;
  Chunk next;
  const auto read_chunk = [&](Chunk& chunk) {
    chunk.lines.clear();
    while (chunk.lines.size() < settings_.batch_size) {
      const std::optional<NdjsonLine> line = reader.next();
      if (!line) break;
      chunk.lines.push_back(
          {line->number, line->length, std::string(line->bytes), line->is_too_long});
    }
    chunk.bytes_after = reader.bytes_read();
    chunk.prepared.assign(chunk.lines.size(), PreparedLine{});
  };
  const auto prepare = [&preparer, threads](Chunk& chunk) {
    prepare_in_parallel(preparer, chunk.lines, chunk.prepared, threads);
  };
  const auto write = [&](Chunk& chunk) {
    for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
      ++summary.lines;
      PreparedLine& line = chunk.prepared[i];
      std::string where = fmt::format("{}:{}", source, chunk.lines[i].number);
      if (line.is_blank) {
        ++summary.blank_lines;
      } else if (line.rejection) {
        store::QuarantineEntry entry{std::move(where), std::move(line.why),
                                     std::move(chunk.lines[i].bytes), {}};
        quarantine(entry, *line.rejection, summary);
      } else {
        batch.add({std::move(line.resource), std::move(line.id), std::move(where)});
      }
    }
    batch.flush(summary);
    if (progress) progress(chunk.bytes_after, total_bytes);
  };

  read_chunk(current);
  prepare(current);
  while (!current.lines.empty()) {
    read_chunk(next);
    if (!is_pipelined || next.lines.empty()) {
      write(current);
      prepare(next);
    } else {
      // Declared after the chunks, so that an exception from write() waits here for the
      // preparation (which uses `next`) before the chunks go.
      std::future<void> preparing = std::async(std::launch::async, prepare, std::ref(next));
      write(current);
      preparing.get();
    }
    std::swap(current, next);
  }
  summary.bytes = reader.bytes_read();
  logging::zone_logger("ingest")->info(
      "ndjson import source={} lines={} accepted={} blank={} quarantined={}", source,
      summary.lines, summary.accepted, summary.blank_lines, summary.quarantined());
  return summary;
}

}  // namespace ptwin::ingest::fhir::bulk
