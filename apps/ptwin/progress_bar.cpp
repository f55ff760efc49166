// SPDX-License-Identifier: Apache-2.0
#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace ptwin::app {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), is_terminal_(isatty(fileno(stderr)) == 1) {}

void ProgressBar::update(std::int64_t done, std::int64_t total, const std::string& status) {
  const double fraction = total > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0) : 0.0;
  if (is_terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stderr, "\r{:<16} [{}{}] {:>5}/{:<5} {}\033[K", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '.'), done, total, status);
    std::fflush(stderr);
    return;
  }
  const int decile = static_cast<int>(fraction * 10);
  if (decile != last_decile_) {
    last_decile_ = decile;
    fmt::print(stderr, "{:<16} {:>3}% ({}/{}) {}\n", label_, decile * 10, done, total, status);
  }
}

void ProgressBar::finish(const std::string& status) {
  if (is_terminal_) fmt::print(stderr, "\r{:<16} {}\033[K\n", label_, status);
  else fmt::print(stderr, "{:<16} {}\n", label_, status);
}

}  // namespace ptwin::app
