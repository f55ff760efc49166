// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/latency_exposition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <cmath>
#include <optional>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin {
namespace {

constexpr std::size_t kInfBucket = LatencyHistogram::kBucketCount - 1;

std::chrono::nanoseconds to_ns(double seconds) {
  return std::chrono::nanoseconds{std::llround(seconds * 1e9)};
}

[[noreturn]] void malformed(std::size_t line_number, std::string_view line, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("metrics line {}", line_number),
                   std::string(line.substr(0, 120)), std::move(rule));
}

struct Label {
  std::string name;
  std::string value_as_written;  // with its escapes, as it appeared between the quotes
};

// `name="value",name="value"` (a trailing comma allowed, as the format allows).
std::optional<std::vector<Label>> parse_labels(std::string_view text) {
  std::vector<Label> labels;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto eq = text.find('=', i);
    if (eq == std::string_view::npos || eq == i) return std::nullopt;
    Label label{std::string(text.substr(i, eq - i)), {}};
    i = eq + 1;
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    ++i;
    const auto start = i;
    while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
    if (i >= text.size()) return std::nullopt;
    label.value_as_written = std::string(text.substr(start, i - start));
    labels.push_back(std::move(label));
    ++i;  // closing quote
    if (i < text.size()) {
      if (text[i] != ',') return std::nullopt;
      ++i;
    }
  }
  return labels;
}

std::optional<double> parse_number(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return INFINITY;
  double value = 0.0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// The bucket whose upper bound `le` is, or nullopt when it is none of ptwin's bounds.
std::optional<std::size_t> bucket_of_bound(double le) {
  if (std::isinf(le)) return kInfBucket;
  const auto& bounds = LatencyHistogram::upper_bounds_s();
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    if (std::abs(le - bounds[k]) <= 1e-5 * bounds[k]) return k;
  }
  return std::nullopt;
}

struct Reading {
  std::array<std::optional<std::uint64_t>, LatencyHistogram::kBucketCount> cumulative;
  std::optional<std::uint64_t> count;
  std::optional<double> sum_s;
};

std::uint64_t to_count(double value, std::size_t line_number, std::string_view line) {
  if (!(value >= 0.0) || value != std::floor(value) || value > 9.0e15) {
    malformed(line_number, line, "a histogram count must be a whole number >= 0");
  }
  return static_cast<std::uint64_t>(value);
}

// The smallest and largest value a histogram read back can have held: the bounds of its
// first and last non-empty buckets.
void set_extremes(LatencyHistogram::Snapshot& s) {
  const auto& bounds = LatencyHistogram::upper_bounds_s();
  std::optional<std::size_t> first, last;
  for (std::size_t k = 0; k < s.bucket_counts.size(); ++k) {
    if (s.bucket_counts[k] == 0) continue;
    if (!first) first = k;
    last = k;
  }
  if (!first) return;
  s.min = to_ns(*first == 0 ? 0.0 : bounds[*first - 1]);
  s.max = to_ns(*last < bounds.size() ? bounds[*last] : bounds.back());
}

}  // namespace

void append_prometheus_histogram(std::string& out, std::string_view metric, std::string_view labels,
                                 const LatencyHistogram::Snapshot& snapshot) {
  const auto& bounds = LatencyHistogram::upper_bounds_s();
  const std::string_view comma = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += snapshot.bucket_counts[i];
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"{:.6g}\"}} {}\n", metric, labels,
                   comma, bounds[i], cumulative);
  }
  fmt::format_to(std::back_inserter(out),
                 "{}_bucket{{{}{}le=\"+Inf\"}} {}\n{}_sum{{{}}} {:.9g}\n{}_count{{{}}} {}\n", metric,
                 labels, comma, snapshot.count, metric, labels, snapshot.sum_s, metric, labels,
                 snapshot.count);
}

namespace {

struct ExpositionSample {
  std::string_view name;
  std::string key;  // the labels but `le`, as written
  std::optional<double> le;
  double value = 0.0;
  std::size_t line_number = 0;
  std::string_view line;
};

// Calls `use` for every sample line whose metric name is in `names`; other lines are skipped
// unread, so that a malformed line of another metric does not stop the reading.
template <typename Use>
void for_each_sample(std::string_view text, std::initializer_list<std::string_view> names,
                     Use&& use) {
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto name_end = line.find_first_of("{ ");
    const std::string_view name = line.substr(0, name_end);
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    std::string_view labels_text;
    std::string_view rest = name_end == std::string_view::npos ? "" : line.substr(name_end);
    if (!rest.empty() && rest.front() == '{') {
      const auto close = rest.rfind('}');
      if (close == std::string_view::npos) malformed(line_number, line, "a label list must end with '}'");
      labels_text = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const auto value = parse_number(rest.substr(0, rest.find(' ')));  // a timestamp may follow
    if (!value) malformed(line_number, line, "the sample value must be a number");
    const auto labels = parse_labels(labels_text);
    if (!labels) malformed(line_number, line, "labels must be name=\"value\" pairs separated by ','");
    ExpositionSample sample{name, {}, std::nullopt, *value, line_number, line};
    for (const auto& label : *labels) {
      if (label.name == "le") {
        sample.le = parse_number(label.value_as_written);
        if (!sample.le) malformed(line_number, line, "le must be a number or +Inf");
        continue;
      }
      if (!sample.key.empty()) sample.key += ',';
      sample.key += fmt::format("{}=\"{}\"", label.name, label.value_as_written);
    }
    use(sample);
  }
}

}  // namespace

std::map<std::string, double> read_prometheus_samples(std::string_view text,
                                                      std::string_view metric) {
  std::map<std::string, double> out;
  for_each_sample(text, {metric}, [&out](const ExpositionSample& s) { out[s.key] = s.value; });
  return out;
}

std::map<std::string, LatencyHistogram::Snapshot> read_prometheus_histograms(
    std::string_view text, std::string_view metric) {
  std::map<std::string, Reading> readings;
  const std::string bucket_name = std::string(metric) + "_bucket";
  const std::string sum_name = std::string(metric) + "_sum";
  const std::string count_name = std::string(metric) + "_count";
  for_each_sample(text, {bucket_name, sum_name, count_name}, [&](const ExpositionSample& s) {
    Reading& reading = readings[s.key];
    if (s.name == bucket_name) {
      if (!s.le) malformed(s.line_number, s.line, "a _bucket sample must have an le label");
      const auto bucket = bucket_of_bound(*s.le);
      if (!bucket) malformed(s.line_number, s.line, "le is not one of ptwin's latency bucket bounds");
      reading.cumulative[*bucket] = to_count(s.value, s.line_number, s.line);
    } else if (s.name == count_name) {
      reading.count = to_count(s.value, s.line_number, s.line);
    } else {
      if (!std::isfinite(s.value) || s.value < 0.0) malformed(s.line_number, s.line, "_sum must be >= 0");
      reading.sum_s = s.value;
    }
  });
  std::map<std::string, LatencyHistogram::Snapshot> out;
  for (const auto& [key, reading] : readings) {
    const auto where = fmt::format("metrics {}{{{}}}", metric, key);
    if (!reading.count || !reading.sum_s) {
      throw InputError(ErrorCode::MissingField, where, "", "has no _count or no _sum");
    }
    LatencyHistogram::Snapshot snapshot;
    std::uint64_t previous = 0;
    for (std::size_t k = 0; k < reading.cumulative.size(); ++k) {
      if (!reading.cumulative[k]) {
        throw InputError(ErrorCode::MissingField, where, "",
                         fmt::format("lacks the bucket {} of {}", k + 1, reading.cumulative.size()));
      }
      if (*reading.cumulative[k] < previous) {
        throw InputError(ErrorCode::BadInput, where, std::to_string(*reading.cumulative[k]),
                         "cumulative bucket counts must not decrease");
      }
      snapshot.bucket_counts[k] = *reading.cumulative[k] - previous;
      previous = *reading.cumulative[k];
    }
    if (previous != *reading.count) {
      throw InputError(ErrorCode::BadInput, where, std::to_string(*reading.count),
                       fmt::format("_count differs from the +Inf bucket ({})", previous));
    }
    snapshot.count = *reading.count;
    snapshot.sum_s = *reading.sum_s;
    set_extremes(snapshot);
    out.emplace(key, snapshot);
  }
  return out;
}

LatencyHistogram::Snapshot histogram_difference(const LatencyHistogram::Snapshot& after,
                                                const LatencyHistogram::Snapshot& before) {
  LatencyHistogram::Snapshot out;
  for (std::size_t k = 0; k < out.bucket_counts.size(); ++k) {
    if (after.bucket_counts[k] < before.bucket_counts[k]) {
      throw InputError(ErrorCode::BadInput, "latency histogram", std::to_string(after.count),
                       "has fewer values than at the first reading; was the process restarted "
                       "between the two readings?");
    }
    out.bucket_counts[k] = after.bucket_counts[k] - before.bucket_counts[k];
    out.count += out.bucket_counts[k];
  }
  out.sum_s = std::max(0.0, after.sum_s - before.sum_s);
  out.negative = after.negative >= before.negative ? after.negative - before.negative : 0;
  set_extremes(out);
  return out;
}

}  // namespace ptwin
