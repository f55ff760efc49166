// SPDX-License-Identifier: Apache-2.0
#include "read_file.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::app {

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, fmt::format("cannot open '{}'", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::Io, fmt::format("cannot read '{}'", path.string()));
  return text.str();
}

std::string read_file_head(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, fmt::format("cannot open '{}'", path.string()));
  std::string head(max_bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) throw Error(ErrorCode::Io, fmt::format("cannot read '{}'", path.string()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

}  // namespace ptwin::app
