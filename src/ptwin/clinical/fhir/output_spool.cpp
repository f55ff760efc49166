// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/output_spool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::fhir {
namespace {

using nlohmann::json;

struct SpoolText {
  std::vector<std::string> lines;
  bool is_last_cut = false;  // the last line has no newline: a crash cut it short
};

SpoolText read_lines(const std::filesystem::path& file) {
  SpoolText out;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (std::filesystem::exists(file)) {
      throw Error(ErrorCode::Io, fmt::format("EHR output spool {}: cannot be read", file.string()));
    }
    return out;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      out.lines.push_back(text.substr(start));
      out.is_last_cut = true;
      break;
    }
    out.lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

OutputSpool::OutputSpool(std::filesystem::path file) : file_(std::move(file)) {
  std::map<std::uint64_t, json> queued;  // by number: the queue's order
  const auto text = read_lines(file_);
  const auto& lines = text.lines;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (text.is_last_cut && i + 1 == lines.size()) {
      ++torn_lines_;
      continue;
    }
    const json line = json::parse(lines[i], nullptr, false);
    const std::string where = fmt::format("{}: line {}", file_.string(), i + 1);
    if (line.is_object() && line.contains("queued") && line["queued"].is_number_unsigned() &&
        line.contains("resource") && line["resource"].is_object()) {
      const auto number = line["queued"].get<std::uint64_t>();
      queued[number] = line["resource"];
      next_number_ = std::max(next_number_, number + 1);
    } else if (line.is_object() && line.contains("done") && line["done"].is_number_unsigned()) {
      queued.erase(line["done"].get<std::uint64_t>());
    } else {
      throw InputError(ErrorCode::BadInput, where, printable_value(lines[i]),
                       "is not an EHR output spool record; move the file away to start afresh");
    }
  }
  for (auto& [number, resource] : queued) pending_.push_back({number, std::move(resource)});
  // Compaction: the file holds exactly what is pending.
  const auto compacted = std::filesystem::path(file_).concat(".compacting");
  {
    std::ofstream out(compacted, std::ios::binary | std::ios::trunc);
    for (const auto& e : pending_)
      out << json{{"queued", e.number}, {"resource", e.resource}}.dump() << '\n';
    out.flush();
    if (!out) {
      throw Error(ErrorCode::Io,
                  fmt::format("EHR output spool {}: cannot be written", compacted.string()));
    }
  }
  std::error_code error;
  std::filesystem::rename(compacted, file_, error);
  if (error) {
    throw Error(ErrorCode::Io, fmt::format("EHR output spool {}: cannot be replaced: {}",
                                           file_.string(), error.message()));
  }
  out_.open(file_, std::ios::binary | std::ios::app);
  if (!out_)
    throw Error(ErrorCode::Io,
                fmt::format("EHR output spool {}: cannot be opened", file_.string()));
}

std::vector<OutputSpool::Entry> OutputSpool::take_pending() { return std::exchange(pending_, {}); }

void OutputSpool::write_line(const json& line) {
  out_ << line.dump() << '\n';
  out_.flush();
  if (!out_)
    throw Error(ErrorCode::Io, fmt::format("EHR output spool {}: write failed", file_.string()));
}

std::uint64_t OutputSpool::append(const json& resource) {
  const auto number = next_number_++;
  write_line({{"queued", number}, {"resource", resource}});
  return number;
}

void OutputSpool::mark_done(std::uint64_t number) { write_line({{"done", number}}); }

}  // namespace ptwin::clinical::fhir
