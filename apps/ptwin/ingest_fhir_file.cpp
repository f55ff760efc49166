// SPDX-License-Identifier: Apache-2.0
// FHIR files for `ptwin ingest` (docs/ingest.md#ptwin-ingest): NDJSON through the bulk importer;
// a JSON or XML resource or Bundle as a small NDJSON stream through the same importer (each
// resource validated, indexed and stored under its own id); a transaction or batch Bundle
// through the FHIR facade in process, so that it keeps its meaning (atomicity, urn:uuid
// references, conditional requests).

#include <cstdlib>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "ingest_files.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/raw_array_elements.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"
#include "read_file.hpp"

namespace ptwin::app {
namespace {

using nlohmann::json;

FileImportResult from_summary(const ingest::fhir::bulk::NdjsonImportSummary& summary) {
  FileImportResult result;
  result.unit = "resources";
  result.records = summary.lines;
  result.accepted = summary.accepted;
  result.quarantined = summary.quarantined();
  result.skipped = summary.blank_lines;
  std::string reasons;
  for (std::size_t i = 0; i < ingest::fhir::bulk::kLineRejectionCount; ++i) {
    const auto reason = static_cast<ingest::fhir::bulk::LineRejection>(i);
    if (summary.quarantined(reason) == 0) continue;
    reasons += fmt::format("{}{} {}", reasons.empty() ? "" : ", ", summary.quarantined(reason),
                           ingest::fhir::bulk::to_code(reason));
  }
  result.detail = reasons.empty() ? "" : fmt::format("quarantined: {}", reasons);
  return result;
}

// Refused as a whole (not readable as a resource): one record, quarantined with its bytes.
FileImportResult refuse_whole_file(const std::filesystem::path& file, const std::string& bytes,
                                   const InputError& error, IngestContext& context) {
  (void)context.store.quarantine({fmt::format("ingest: {}", file.filename().string()), error.what(),
                                  bytes, context.clock.now()});
  FileImportResult result;
  result.unit = "resources";
  result.records = 1;
  result.quarantined = 1;
  result.detail = error.what();
  return result;
}

FileImportResult through_facade(const std::filesystem::path& file, const std::string& bytes,
                                const json& bundle, IngestContext& context) {
  auto& fhir = context.fhir();
  const auto entries = bundle.contains("entry") && bundle["entry"].is_array()
                           ? static_cast<std::int64_t>(bundle["entry"].size())
                           : 0;
  server::HttpRequest request;
  request.method = "POST";
  request.target = "/fhir";
  request.headers["Content-Type"] = "application/fhir+json";
  request.headers["Accept"] = "application/fhir+json";
  request.body = bundle.dump();
  request.remote_address = fmt::format("file {}", file.filename().string());
  const auto quarantined_before = context.store.count_quarantined();
  const auto response = fhir.facade->handle(request);
  FileImportResult result;
  result.unit = "resources";
  result.records = entries;
  if (response.status >= 400) {
    // Refused whole (a transaction is atomic; a malformed batch has no entries to run): the
    // facade has quarantined the body with its OperationOutcome unless it could not read it.
    if (context.store.count_quarantined() == quarantined_before) {
      (void)context.store.quarantine({fmt::format("ingest: {}", file.filename().string()),
                                      fmt::format("HTTP {}: {}", response.status, response.body),
                                      bytes, context.clock.now()});
    }
    result.quarantined = entries;
    result.detail = fmt::format("{} refused whole (HTTP {}), quarantined with its outcome",
                                bundle.value("type", "Bundle"), response.status);
    return result;
  }
  const auto answer = json::parse(response.body, nullptr, false);
  for (const auto& entry : answer.value("entry", json::array())) {
    const auto status = entry.contains("response") ? entry["response"].value("status", "") : "";
    if (status.starts_with("2")) {
      ++result.accepted;
    } else {
      ++result.quarantined;
    }
  }
  result.detail = fmt::format("{} Bundle through the FHIR facade", bundle.value("type", ""));
  return result;
}

}  // namespace

FileImportResult import_fhir_file(FileFormat format, const std::filesystem::path& file,
                                  IngestContext& context, const ImportProgress& progress) {
  auto& fhir = context.fhir();
  const auto to_progress = [&](std::uint64_t done, std::uint64_t total) {
    progress(static_cast<std::int64_t>(done), static_cast<std::int64_t>(total));
  };
  if (format == FileFormat::FhirNdjson) {
    return from_summary(fhir.importer->import_file(file, std::nullopt, to_progress));
  }
  const auto bytes = read_whole_file(file);
  json document;
  std::vector<std::string> raw_entries;  // the bytes of each Bundle entry, for the quarantine
  try {
    if (format == FileFormat::FhirXml) {
      document = ingest::fhir::xml::read_fhir_xml(bytes, *fhir.definitions);
    } else {
      document = json::parse(bytes, nullptr, false);
      if (document.is_discarded() || !document.is_object()) {
        throw InputError(ErrorCode::BadInput, file.filename().string(), "",
                         "is not a JSON object (a FHIR resource or Bundle)");
      }
    }
  } catch (const InputError& error) {
    return refuse_whole_file(file, bytes, error, context);
  }
  const bool is_bundle = document.value("resourceType", "") == "Bundle";
  const auto bundle_type = is_bundle ? document.value("type", "") : "";
  if (bundle_type == "transaction" || bundle_type == "batch") {
    return through_facade(file, bytes, document, context);
  }
  // One resource per line; quarantined lines get their entry's received bytes back.
  std::ostringstream lines;
  if (is_bundle && bundle_type != "document") {
    if (format == FileFormat::FhirJson) {
      raw_entries = ingest::fhir::raw_array_elements(bytes, "entry", file.filename().string());
    }
    for (const auto& entry : document.value("entry", json::array())) {
      lines << (entry.is_object() && entry.contains("resource") ? entry["resource"] : entry).dump()
            << '\n';
    }
  } else {
    lines << document.dump() << '\n';
  }
  const auto name = file.filename().string();
  auto sink = [&](const store::QuarantineEntry& refused) {
    auto entry = refused;
    // "<name>:<line>": line n is entry n - 1 (or the whole resource).
    const auto colon = refused.source.rfind(':');
    std::size_t line = 0;
    if (colon != std::string::npos) line = std::strtoull(refused.source.c_str() + colon + 1, nullptr, 10);
    if (!raw_entries.empty() && line >= 1 && line <= raw_entries.size()) {
      entry.source = fmt::format("ingest: {} entry[{}]", name, line - 1);
      entry.raw_bytes = raw_entries[line - 1];
    } else if (!is_bundle || bundle_type == "document") {
      entry.source = fmt::format("ingest: {}", name);
      entry.raw_bytes = bytes;
    } else {
      // Entries of an XML Bundle: the entry as read (JSON); the file itself is XML.
      entry.source = fmt::format("ingest: {} entry[{}] (as JSON, read from XML)", name, line - 1);
    }
    (void)context.store.quarantine(entry);
  };
  auto importer = fhir.make_importer(sink);
  std::istringstream input(lines.str());
  const auto total = static_cast<std::uint64_t>(bytes.size());
  auto result = from_summary(importer->import_stream(
      input, name, static_cast<std::uint64_t>(lines.str().size()),
      std::nullopt, [&](std::uint64_t done, std::uint64_t all) {
        to_progress(all == 0 ? done : done * total / all, total);
      }));
  if (bundle_type == "document") result.detail += " (a document Bundle is stored whole)";
  return result;
}

}  // namespace ptwin::app
