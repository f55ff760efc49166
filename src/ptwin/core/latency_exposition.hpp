// SPDX-License-Identifier: Apache-2.0
#pragma once
// LatencyHistograms in the Prometheus text exposition format 0.0.4, both ways: `ptwin serve`
// writes its per-stage histograms with append_prometheus_histogram, and `ptwin load-test`
// reads them back from /metrics before and after a load, subtracts, and reports the quantiles
// of the load alone.
//
// What the text keeps: the cumulative bucket counts, _sum and _count. It does not keep the
// smallest and largest value, so a histogram read back takes them as the bounds of its first
// and last non-empty buckets; a quantile read from it is exact to within its bucket (bounds a
// factor 10^(1/5) = 1.58 apart), interpolated geometrically inside it.

#include <map>
#include <string>
#include <string_view>

#include "ptwin/core/latency_histogram.hpp"

namespace ptwin {

/// Appends one histogram: `<metric>_bucket{<labels>,le="..."}` for every bound and +Inf,
/// `<metric>_sum{<labels>}` and `<metric>_count{<labels>}`. `labels` is the label list without
/// braces, e.g. `feed="mqtt",stage="ingest"` (values already escaped).
void append_prometheus_histogram(std::string& out, std::string_view metric, std::string_view labels,
                                 const LatencyHistogram::Snapshot& snapshot);

/// Every histogram named `metric` in an exposition text, keyed by its label list without `le`
/// as written (e.g. `feed="mqtt",stage="ingest"`). Only histograms with ptwin's bucket bounds
/// are accepted. Other metrics and comments are skipped. Throws InputError naming the line for
/// a malformed line of `metric`, a bound that is not one of LatencyHistogram's, cumulative
/// counts that decrease, or a +Inf count that differs from _count.
[[nodiscard]] std::map<std::string, LatencyHistogram::Snapshot> read_prometheus_histograms(
    std::string_view text, std::string_view metric);

/// Every sample of the counter or gauge `metric`, keyed by its label list as written
/// (`feed="mqtt"`; empty without labels). Throws InputError naming the line for a malformed
/// line of `metric`.
[[nodiscard]] std::map<std::string, double> read_prometheus_samples(std::string_view text,
                                                                    std::string_view metric);

/// The values recorded between two readings of one histogram (`after` - `before`). Throws
/// InputError when a count went down (the process was restarted between the readings).
[[nodiscard]] LatencyHistogram::Snapshot histogram_difference(
    const LatencyHistogram::Snapshot& after, const LatencyHistogram::Snapshot& before);

}  // namespace ptwin
