// SPDX-License-Identifier: Apache-2.0
#pragma once
// The dashboard's built assets (web/dashboard, built by scripts/build_dashboard.sh) served from a
// directory under a URL prefix: GET /dashboard/ is index.html, GET /dashboard/<file> a file.
// Only plain files inside the directory are served: a path with an empty, "." or ".." segment,
// a backslash or a NUL (decoded or not) is refused with 400, and a file that resolves outside the
// directory (a symbolic link out of it) is 404. Content types come from one table of extensions;
// other extensions are application/octet-stream, always with X-Content-Type-Options: nosniff.

#include <filesystem>
#include <optional>
#include <string_view>

#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server::dashboard {

/// The relative file a URL path below the prefix names ("" is index.html), each segment
/// percent-decoded; nullopt when a segment is empty, ".", "..", or holds '/', '\\' or NUL once
/// decoded. Throws InputError for a broken percent escape.
[[nodiscard]] std::optional<std::filesystem::path> relative_asset_path(std::string_view rest);

/// The Content-Type of a file name by its extension (".js" -> "text/javascript; charset=utf-8").
[[nodiscard]] std::string_view content_type_of(const std::filesystem::path& file);

class StaticFiles {
 public:
  /// `root` need not exist yet: requests then get 503 saying how to build the assets.
  StaticFiles(std::filesystem::path root, std::string prefix);

  /// The answer for a path under the prefix (and for the prefix without its trailing slash,
  /// redirected), nullopt for any other path.
  [[nodiscard]] std::optional<HttpResponse> answer(const HttpRequest& request) const;
  [[nodiscard]] bool has_index() const;
  [[nodiscard]] const std::filesystem::path& root() const noexcept { return root_; }

 private:
  std::filesystem::path root_;
  std::string prefix_;  // "/dashboard/"
};

}  // namespace ptwin::server::dashboard
