// SPDX-License-Identifier: Apache-2.0
#pragma once
// The whole text of a file the gate reads (a verification record, a recalibration file), or
// InputError(Io) naming `what` and the path.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::vv::gate::detail {

inline std::string read_gate_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw InputError(ErrorCode::Io, what, path.string(),
                     "cannot be read (check that the file exists and is readable)");
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

}  // namespace ptwin::vv::gate::detail
