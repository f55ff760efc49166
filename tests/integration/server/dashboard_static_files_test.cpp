// SPDX-License-Identifier: Apache-2.0
// The dashboard's built assets served from a directory: content types by extension, and no way
// out of the directory (dot segments, encoded or not, backslashes, NULs, symbolic links).
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/server/dashboard/static_files.hpp"

namespace {

using ptwin::server::HttpRequest;
using ptwin::server::HttpResponse;
using ptwin::server::dashboard::StaticFiles;

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest()
      : base_(std::filesystem::temp_directory_path() /
              fmt::format("dashboard-static-{}", std::random_device{}())),
        files_(base_ / "www", "/dashboard/") {
    std::filesystem::create_directories(base_ / "www" / "assets");
    write(base_ / "www" / "index.html", "<!DOCTYPE html><title>x</title>");
    write(base_ / "www" / "main.js", "console.log(1);");
    write(base_ / "www" / "main.css", "body{}");
    write(base_ / "www" / "assets" / "logo.svg", "<svg/>");
    write(base_ / "www" / "data.bin", "\x01\x02");
    write(base_ / "secret.txt", "outside the dashboard");
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "www" / "link.txt");
  }
  ~StaticFilesTest() override { std::filesystem::remove_all(base_); }

  static void write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  HttpResponse get(const std::string& target, const std::string& method = "GET") const {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const auto response = files_.answer(request);
    EXPECT_TRUE(response) << target;
    return response ? *response : HttpResponse{};
  }

  std::filesystem::path base_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesTheIndexAndAssetsWithTheirContentTypes) {
  const auto index = get("/dashboard/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!DOCTYPE html><title>x</title>");
  EXPECT_EQ(index.headers.at("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.headers.at("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(get("/dashboard/main.js").headers.at("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/dashboard/main.css?v=1").headers.at("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(get("/dashboard/assets/logo.svg").headers.at("Content-Type"), "image/svg+xml");
  EXPECT_EQ(get("/dashboard/data.bin").headers.at("Content-Type"), "application/octet-stream");
  EXPECT_EQ(get("/dashboard/main%2Ejs").body, "console.log(1);");  // an encoded plain name
  const auto redirect = get("/dashboard");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(redirect.headers.at("Location"), "/dashboard/");
  EXPECT_EQ(get("/dashboard/missing.js").status, 404);
  EXPECT_EQ(get("/dashboard/assets").status, 404);  // a directory is not a file
  EXPECT_EQ(get("/dashboard/main.js", "POST").status, 405);
  HttpRequest other;
  other.method = "GET";
  other.target = "/dashboards/main.js";
  EXPECT_FALSE(files_.answer(other));
}

TEST_F(StaticFilesTest, NoPathLeadsOutOfTheDirectory) {
  for (const std::string target :
       {"/dashboard/../secret.txt", "/dashboard/%2e%2e/secret.txt", "/dashboard/%2E%2E/secret.txt",
        "/dashboard/assets/../../secret.txt", "/dashboard/..%2fsecret.txt",
        "/dashboard/..%2Fsecret.txt", "/dashboard/..%5csecret.txt", "/dashboard/..\\secret.txt",
        "/dashboard//etc/passwd", "/dashboard/%2fetc%2fpasswd", "/dashboard/./index.html",
        "/dashboard/main.js%00.html", "/dashboard/%zz"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(response.body.find("outside"), std::string::npos) << target;
  }
  const auto link = get("/dashboard/link.txt");  // a symbolic link out of the directory
  EXPECT_EQ(link.status, 404);
  EXPECT_EQ(link.body.find("outside"), std::string::npos);
}

TEST(StaticFiles, UnbuiltAssetsAre503SayingHowToBuildThem) {
  const StaticFiles files(std::filesystem::temp_directory_path() / "ptwin-no-such-dashboard",
                          "/dashboard/");
  HttpRequest request;
  request.method = "GET";
  request.target = "/dashboard/";
  const auto response = files.answer(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  EXPECT_NE(response->body.find("scripts/build_dashboard.sh"), std::string::npos);
  EXPECT_FALSE(files.has_index());
}

}  // namespace
