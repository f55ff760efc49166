// SPDX-License-Identifier: Apache-2.0
#pragma once
// The NDJSON output files of one resource type in one export job: lines are appended to
// "<Type>-<n>.ndjson" and a new file is started when the next line would take the current one
// past the size limit (a single line larger than the limit gets a file of its own). Files are
// flushed and closed by finish(); what finish() reports is what the manifest lists.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::server::fhir::bulk {

struct OutputFile {
  std::string type;  // resource type of every line
  std::string name;  // file name inside the job's directory
  std::int64_t count = 0;
  std::uint64_t bytes = 0;
  friend bool operator==(const OutputFile&, const OutputFile&) = default;
};

class NdjsonFileSet {
 public:
  /// Files go to `directory` (which must exist) as "<stem>-<n>.ndjson"; `type` is what they
  /// hold (the stem is the type for output files, "OperationOutcome-<type>" for error files).
  NdjsonFileSet(std::filesystem::path directory, std::string type, std::string stem,
                std::uint64_t max_file_bytes);

  /// Appends `line` (one JSON object without LF). Throws Error(Io) naming the file on failure.
  void append(std::string_view line);
  /// Closes the last file and returns every file written, in order (none when no line was
  /// appended).
  [[nodiscard]] std::vector<OutputFile> finish();

  /// Removes the files named after `stem` in `directory` left by an interrupted attempt.
  static void remove_leftovers(const std::filesystem::path& directory, std::string_view stem);

 private:
  void open_next();
  void close_current();

  std::filesystem::path directory_;
  std::string type_;
  std::string stem_;
  std::uint64_t max_file_bytes_;
  std::ofstream stream_;
  std::vector<OutputFile> files_;
};

}  // namespace ptwin::server::fhir::bulk
