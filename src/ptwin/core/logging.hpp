// SPDX-License-Identifier: Apache-2.0
#pragma once
// One named spdlog logger per zone ("ptwin.physics", ...). The spdlog registry is the one
// allowed global (STYLE.md §6). Never log PHI: use pseudonymous ids.

#include <memory>
#include <string_view>

#include <spdlog/logger.h>

namespace ptwin::logging {

/// The logger of a zone, created on first use and writing to stderr.
[[nodiscard]] std::shared_ptr<spdlog::logger> zone_logger(std::string_view zone);

/// Sets the level of every ptwin logger ("trace", "debug", "info", "warn", "error", "off").
/// Throws InputError on an unknown level name.
void set_level(std::string_view level);

}  // namespace ptwin::logging
