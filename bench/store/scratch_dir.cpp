// SPDX-License-Identifier: Apache-2.0
#include "scratch_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace ptwin::bench {

std::filesystem::path bench_root() {
  const char* configured = std::getenv("PTWIN_BENCH_DIR");
  return configured != nullptr ? std::filesystem::path(configured)
                               : std::filesystem::temp_directory_path();
}

ScratchDir::ScratchDir(std::string_view prefix) {
  std::string name = (bench_root() / prefix).string();
  name.append("-XXXXXX");
  if (mkdtemp(name.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + name);
  }
  path_ = name;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored_on_purpose;  // a leftover scratch dir must not fail the run
  std::filesystem::remove_all(path_, ignored_on_purpose);
}

}  // namespace ptwin::bench
