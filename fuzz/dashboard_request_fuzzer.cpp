// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: what the dashboard reads from a request URL (docs/dashboard.md). The first
// byte picks the reader, the rest is the text:
//   0: a query string through ApiQuery with the vitals window (since, until as instants);
//   1: a query string through ApiQuery with the snooze parameters (minutes 1..1440, by);
//   2: a path below /dashboard/ through relative_asset_path.
// A refusal must be an InputError naming a parameter the route knows (or the request URL); an
// accepted asset path must be relative and stay inside the folder: no empty, "." or ".."
// component, no backslash or NUL. Anything else (another exception, a crash, a sanitizer
// report) is a finding. Seeds: tests/data/bad_inputs/dashboard_api (the .txt files).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/server/dashboard/api_query.hpp"
#include "ptwin/server/dashboard/static_files.hpp"

namespace {

void check_query(std::string_view text, bool is_window) {
  using ptwin::server::dashboard::ApiQuery;
  try {
    if (is_window) {
      const ApiQuery query(text, {"since", "until"});
      (void)query.instant("since");
      (void)query.instant("until");
    } else {
      const ApiQuery query(text, {"minutes", "by"});
      const auto minutes = query.integer("minutes", 1, 1440);
      if (minutes && (*minutes < 1 || *minutes > 1440)) std::abort();
      (void)query.text("by");
    }
  } catch (const ptwin::InputError& error) {
    if (error.where().empty()) std::abort();
  }
}

void check_asset_path(std::string_view text) {
  try {
    const auto path = ptwin::server::dashboard::relative_asset_path(text);
    if (!path) return;
    if (path->is_absolute() || path->empty()) std::abort();
    for (const auto& part : *path) {
      const auto name = part.string();
      if (name.empty() || name == "." || name == ".." ||
          name.find_first_of(std::string_view("\\\0", 2)) != std::string::npos) {
        std::abort();
      }
    }
  } catch (const ptwin::InputError&) {  // a broken percent escape
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      check_query(text, true);
      break;
    case 1:
      check_query(text, false);
      break;
    default:
      check_asset_path(text);
      break;
  }
  return 0;
}
