// SPDX-License-Identifier: Apache-2.0
#include "image_stages.hpp"

#include <fmt/format.h>

#include <chrono>

#include "ptwin/core/error.hpp"

namespace ptwin::app {

std::vector<ImageStageRecord> run_image_stages(const std::vector<ImageStage>& stages,
                                               ProgressBar& bar) {
  std::vector<ImageStageRecord> records;
  const auto total = static_cast<std::int64_t>(stages.size());
  for (std::size_t s = 0; s < stages.size(); ++s) {
    bar.update(static_cast<std::int64_t>(s), total, stages[s].name);
    ImageStageRecord record{stages[s].name, 0.0, {}};
    const auto start = std::chrono::steady_clock::now();
    try {
      stages[s].run(record.outputs);
    } catch (const Error& error) {
      bar.finish(fmt::format("failed in stage '{}'", stages[s].name));
      throw Error(error.code(), fmt::format("stage '{}': {}", stages[s].name, error.what()));
    }
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    records.push_back(std::move(record));
  }
  bar.update(total, total, "done");
  return records;
}

std::string format_stage_table(const std::vector<ImageStageRecord>& records) {
  std::string table = fmt::format("{:<12} {:>10}\n", "stage", "seconds");
  double total_s = 0.0;
  for (const auto& record : records) {
    table.append(fmt::format("{:<12} {:>10.3f}\n", record.name, record.seconds));
    total_s += record.seconds;
  }
  table.append(fmt::format("{:<12} {:>10.3f}\n", "total", total_s));
  return table;
}

}  // namespace ptwin::app
