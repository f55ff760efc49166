// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace ptwin::app {

/// The file's bytes; throws Error(Io) naming the path when it cannot be read.
[[nodiscard]] std::string read_whole_file(const std::filesystem::path& path);
/// At most the first `max_bytes` bytes (to recognise a format); the same errors.
[[nodiscard]] std::string read_file_head(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace ptwin::app
