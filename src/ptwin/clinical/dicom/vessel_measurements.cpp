// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/dicom/vessel_measurements.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::dicom {
namespace {

constexpr std::size_t kMaxLoLength = 64;  // PS3.5 Table 6.2-1, LO

[[noreturn]] void refuse(std::size_t index, const std::string& name, const char* field,
                         const std::string& value, const std::string& rule) {
  throw InputError(ErrorCode::BadInput,
                   fmt::format("vessel measurement {} ('{}'): {}", index, name, field), value,
                   rule);
}

}  // namespace

void check_vessel_measurements(const std::vector<VesselSegmentMeasurement>& measurements) {
  std::set<std::string> names;
  for (std::size_t n = 0; n < measurements.size(); ++n) {
    const auto& m = measurements[n];
    if (m.name.empty() || m.name.size() > kMaxLoLength || m.name.find('\\') != std::string::npos) {
      refuse(n, m.name, "name", m.name,
             "1 to 64 characters without backslash (Tracking Identifier, LO)");
    }
    if (!names.insert(m.name).second) refuse(n, m.name, "name", m.name, "unique within the report");
    const double mean_mm = m.mean_diameter.in(units::mm);
    const double minimal_mm = m.minimal_diameter.in(units::mm);
    if (!std::isfinite(mean_mm) || mean_mm <= 0.0) {
      refuse(n, m.name, "mean_diameter", fmt::format("{} mm", mean_mm), "a positive finite length");
    }
    // A mean of equal radii can round a few ulp below them: compare with a relative slack.
    if (!std::isfinite(minimal_mm) || minimal_mm <= 0.0 || minimal_mm > mean_mm * (1.0 + 1e-12)) {
      refuse(n, m.name, "minimal_diameter", fmt::format("{} mm", minimal_mm),
             fmt::format("a positive length at most the mean diameter ({} mm)", mean_mm));
    }
    const double stenosis = m.stenosis_diameter_reduction.si();
    if (!std::isfinite(stenosis) || stenosis < 0.0 || stenosis > 1.0) {
      refuse(n, m.name, "stenosis_diameter_reduction", fmt::format("{}", stenosis),
             "a fraction from 0 to 1");
    }
    if (m.finding_site && (m.finding_site->value.empty() || m.finding_site->scheme.empty() ||
                           m.finding_site->meaning.empty())) {
      refuse(n, m.name, "finding_site", m.finding_site->value,
             "a code with value, scheme and meaning");
    }
    if (const auto& drop = m.predicted_pressure_drop) {
      if (!std::isfinite(drop->mean_drop.si())) {
        refuse(n, m.name, "predicted_pressure_drop", fmt::format("{} Pa", drop->mean_drop.si()),
               "a finite pressure");
      }
      if (drop->peak_drop) {
        const double peak_pa = drop->peak_drop->si(), mean_pa = drop->mean_drop.si();
        // The mean of a cycle cannot exceed its largest value; the slack covers rounding.
        if (!std::isfinite(peak_pa) || peak_pa < mean_pa - 1e-9 * std::abs(mean_pa)) {
          refuse(n, m.name, "predicted_pressure_drop.peak_drop", fmt::format("{} Pa", peak_pa),
                 fmt::format("a finite pressure at least the mean drop ({} Pa)", mean_pa));
        }
      }
      if (drop->model.name.empty() || drop->model.version.empty()) {
        refuse(n, m.name, "predicted_pressure_drop.model",
               drop->model.name + " " + drop->model.version,
               "a model name and version (a prediction names the model that made it)");
      }
    }
  }
}

}  // namespace ptwin::clinical::dicom
