// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/logging.hpp"

#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "ptwin/core/error.hpp"

namespace ptwin::logging {

std::shared_ptr<spdlog::logger> zone_logger(std::string_view zone) {
  const std::string name = "ptwin." + std::string(zone);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v", spdlog::pattern_time_type::utc);
  return logger;
}

void set_level(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw InputError(ErrorCode::BadInput, "log level", std::string(level),
                     "is not one of trace, debug, info, warn, error, off");
  }
  spdlog::set_level(parsed);
}

}  // namespace ptwin::logging
