// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/static_files.hpp"

#include <fmt/format.h>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::server::dashboard {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".map", "application/json"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
}};

HttpResponse text_response(int status, std::string body) {
  auto response = HttpResponse::with_body(status, "text/plain; charset=utf-8", std::move(body));
  response.headers["X-Content-Type-Options"] = "nosniff";
  return response;
}

}  // namespace

std::optional<std::filesystem::path> relative_asset_path(std::string_view rest) {
  if (rest.empty()) return std::filesystem::path("index.html");
  std::filesystem::path relative;
  std::size_t start = 0;
  while (start <= rest.size()) {
    const auto end = std::min(rest.find('/', start), rest.size());
    const std::string segment = percent_decode(rest.substr(start, end - start), false);
    if (segment.empty() || segment == "." || segment == ".." ||
        segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      return std::nullopt;
    }
    relative /= segment;
    start = end + 1;
  }
  return relative;
}

std::string_view content_type_of(const std::filesystem::path& file) {
  const auto extension = file.extension().string();
  for (const auto& [ext, type] : kContentTypes) {
    if (extension == ext) return type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::filesystem::path root, std::string prefix)
    : root_(std::move(root)), prefix_(std::move(prefix)) {}

bool StaticFiles::has_index() const {
  return std::filesystem::is_regular_file(root_ / "index.html");
}

std::optional<HttpResponse> StaticFiles::answer(const HttpRequest& request) const {
  const auto path = request.path();
  if (path == std::string_view(prefix_).substr(0, prefix_.size() - 1)) {
    auto response = text_response(301, "moved to " + prefix_ + "\n");
    response.headers["Location"] = prefix_;
    return response;
  }
  if (path.substr(0, prefix_.size()) != prefix_) return std::nullopt;
  if (request.method != "GET" && request.method != "HEAD") {
    auto response = text_response(405, "use GET\n");
    response.headers["Allow"] = "GET, HEAD";
    return response;
  }
  if (!has_index()) {
    return text_response(503, fmt::format("the dashboard's assets are not built in {}: run "
                                          "scripts/build_dashboard.sh (docs/dashboard.md)\n",
                                          root_.string()));
  }
  std::optional<std::filesystem::path> relative;
  try {
    relative = relative_asset_path(path.substr(prefix_.size()));
  } catch (const InputError&) {  // a broken percent escape
    relative.reset();
  }
  if (!relative) return text_response(400, "refused: not a plain path inside the dashboard\n");
  std::error_code root_error;
  std::error_code file_error;
  const auto root = std::filesystem::canonical(root_, root_error);
  const auto file = std::filesystem::weakly_canonical(root_ / *relative, file_error);
  const auto [root_end, file_it] =
      std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (root_error || file_error || root.empty() || root_end != root.end() ||
      !std::filesystem::is_regular_file(file)) {
    return text_response(404, "no such file in the dashboard\n");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return text_response(500, "the file could not be read\n");
  auto response = HttpResponse::with_body(200, std::string(content_type_of(file)), bytes.str());
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Cache-Control"] = "no-cache";
  return response;
}

}  // namespace ptwin::server::dashboard
