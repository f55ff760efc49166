// SPDX-License-Identifier: Apache-2.0
// write_html() against the real file system, and the sample report checked by xmllint.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "integration/clinical/sample_report.hpp"
#include "ptwin/clinical/report/html_report.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

namespace fs = std::filesystem;

/// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("ptwin-clinical-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

TEST(WriteHtml, WritesTheRenderedReportAndNoPartialFile) {
  const TempDir dir;
  const Report report = sample::make_sample_report();
  const fs::path path = dir.path() / "report.html";
  write_html(report, path);
  EXPECT_EQ(read_file(path), render_html(report));
  EXPECT_FALSE(fs::exists(dir.path() / "report.html.partial"));
}

TEST(WriteHtml, ReplacesAnExistingFile) {
  const TempDir dir;
  const fs::path path = dir.path() / "report.html";
  std::ofstream(path) << "old";
  write_html(Report("New"), path);
  EXPECT_NE(read_file(path).find("<h1>New</h1>"), std::string::npos);
}

TEST(WriteHtml, MissingDirectoryThrowsIoErrorNamingThePath) {
  const TempDir dir;
  const fs::path path = dir.path() / "no-such-dir" / "report.html";
  try {
    write_html(Report("R"), path);
    FAIL() << "expected ptwin::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::Io);
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("No such file or directory"), std::string::npos)
        << error.what();
  }
}

TEST(SampleReport, IsWellFormedPerXmllint) {
  // scripts/install_deps.sh installs xmllint (libxml2-utils).
  ASSERT_EQ(std::system("command -v xmllint > /dev/null 2>&1"), 0)
      << "xmllint is missing: run scripts/install_deps.sh";
  const TempDir dir;
  const fs::path path = dir.path() / "sample.html";
  write_html(sample::make_sample_report(), path);
  const std::string command = "xmllint --noout '" + path.string() + "' 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(SampleReport, IsWrittenToTheBuildTreeForVisualReview) {
  // Open this file in a browser (or print it) to review the report's look.
  const fs::path path = fs::path(PTWIN_BINARY_DIR) / "clinical_report_sample.html";
  write_html(sample::make_sample_report(), path);
  EXPECT_GT(fs::file_size(path), 10'000u);
}

}  // namespace
}  // namespace ptwin::clinical::report
