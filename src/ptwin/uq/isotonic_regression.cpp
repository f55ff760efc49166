// SPDX-License-Identifier: Apache-2.0
#include "ptwin/uq/isotonic_regression.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::uq {

std::vector<double> pool_adjacent_violators(std::span<const double> values,
                                            std::span<const double> weights) {
  if (!weights.empty() && weights.size() != values.size()) {
    throw InputError(ErrorCode::BadInput, "isotonic regression: weights",
                     fmt::format("{} weights for {} values", weights.size(), values.size()),
                     "must be empty or one per value");
  }
  struct Block {
    double mean = 0.0;
    double weight = 0.0;
    std::size_t count = 0;
  };
  std::vector<Block> blocks;
  blocks.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!std::isfinite(values[i])) {
      throw InputError(ErrorCode::BadInput, fmt::format("isotonic regression: values[{}]", i),
                       fmt::format("{}", values[i]), "must be a finite number");
    }
    if (!(w > 0.0 && std::isfinite(w))) {
      throw InputError(ErrorCode::BadInput, fmt::format("isotonic regression: weights[{}]", i),
                       fmt::format("{}", w), "must be positive and finite");
    }
    blocks.push_back({values[i], w, 1});
    // Pool backwards while the last block is below the one before it.
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean > blocks.back().mean) {
      const Block last = blocks.back();
      blocks.pop_back();
      Block& previous = blocks.back();
      const double total = previous.weight + last.weight;
      previous.mean = (previous.mean * previous.weight + last.mean * last.weight) / total;
      previous.weight = total;
      previous.count += last.count;
    }
  }
  std::vector<double> fitted;
  fitted.reserve(values.size());
  for (const Block& b : blocks) fitted.insert(fitted.end(), b.count, b.mean);
  return fitted;
}

}  // namespace ptwin::uq
