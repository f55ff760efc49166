// SPDX-License-Identifier: Apache-2.0
#pragma once
// A one-line progress bar on stderr. On a terminal it redraws in place; otherwise (CI logs) it
// prints a line at every 10 %, so logs stay short.

#include <cstdint>
#include <string>

namespace ptwin::app {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  /// Shows done/total and a short status text (e.g. "change 3.1e-3").
  void update(std::int64_t done, std::int64_t total, const std::string& status);
  /// Ends the line with a final status.
  void finish(const std::string& status);

 private:
  std::string label_;
  bool is_terminal_;
  int last_decile_ = -1;
};

}  // namespace ptwin::app
