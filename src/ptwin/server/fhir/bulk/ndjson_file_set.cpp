// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/ndjson_file_set.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir::bulk {

NdjsonFileSet::NdjsonFileSet(std::filesystem::path directory, std::string type, std::string stem,
                             std::uint64_t max_file_bytes)
    : directory_(std::move(directory)),
      type_(std::move(type)),
      stem_(std::move(stem)),
      max_file_bytes_(max_file_bytes) {}

void NdjsonFileSet::open_next() {
  OutputFile file{.type = type_,
                  .name = fmt::format("{}-{}.ndjson", stem_, files_.size() + 1),
                  .count = 0,
                  .bytes = 0};
  const std::filesystem::path path = directory_ / file.name;
  stream_.open(path, std::ios::binary | std::ios::trunc);
  if (!stream_) {
    throw Error(ErrorCode::Io, fmt::format("bulk export: cannot create '{}'", path.string()));
  }
  files_.push_back(std::move(file));
}

void NdjsonFileSet::close_current() {
  if (!stream_.is_open()) return;
  stream_.close();
  if (!stream_) {
    throw Error(ErrorCode::Io, fmt::format("bulk export: writing '{}' failed",
                                           (directory_ / files_.back().name).string()));
  }
}

void NdjsonFileSet::append(std::string_view line) {
  const std::uint64_t line_bytes = line.size() + 1;
  if (!stream_.is_open()) {
    open_next();
  } else if (files_.back().count > 0 && files_.back().bytes + line_bytes > max_file_bytes_) {
    close_current();
    open_next();
  }
  stream_.write(line.data(), static_cast<std::streamsize>(line.size()));
  stream_.put('\n');
  if (!stream_) {
    throw Error(ErrorCode::Io, fmt::format("bulk export: writing '{}' failed",
                                           (directory_ / files_.back().name).string()));
  }
  ++files_.back().count;
  files_.back().bytes += line_bytes;
}

std::vector<OutputFile> NdjsonFileSet::finish() {
  close_current();
  return std::move(files_);
}

void NdjsonFileSet::remove_leftovers(const std::filesystem::path& directory,
                                     std::string_view stem) {
  if (!std::filesystem::exists(directory)) return;
  const std::string prefix = fmt::format("{}-", stem);
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    // "<stem>-<digits>.ndjson" only: "Observation-" must not take "Observation-x-1.ndjson".
    constexpr std::size_t kSuffix = 7;  // ".ndjson"
    if (!name.starts_with(prefix) || !name.ends_with(".ndjson") ||
        name.size() <= prefix.size() + kSuffix) {
      continue;
    }
    const std::string_view number =
        std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - kSuffix);
    if (number.find_first_not_of("0123456789") == std::string_view::npos) {
      std::filesystem::remove(entry.path());
    }
  }
}

}  // namespace ptwin::server::fhir::bulk
