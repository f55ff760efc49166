// SPDX-License-Identifier: Apache-2.0
#include "integration/clinical/sample_report.hpp"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/clinical/report/svg_bar_chart.hpp"
#include "ptwin/clinical/report/svg_plot.hpp"

namespace ptwin::clinical::report::sample {
namespace {

constexpr double kBeatPeriod_s = 0.8;

/// Synthetic aortic pressure: systolic hump, dicrotic notch, diastolic decay.
double aortic_pressure_mmhg(double time_s, double systolic_mmhg, double diastolic_mmhg) {
  const double phase = std::fmod(time_s, kBeatPeriod_s) / kBeatPeriod_s;
  const double pulse_mmhg = systolic_mmhg - diastolic_mmhg;
  if (phase < 0.32) {
    return diastolic_mmhg + pulse_mmhg * std::pow(std::sin(std::numbers::pi * phase / 0.36), 1.6);
  }
  const double notch_mmhg = 0.06 * pulse_mmhg * std::exp(-std::pow((phase - 0.37) / 0.04, 2.0));
  const double decay = std::exp(-(phase - 0.32) / 0.45);
  const double start_mmhg =
      diastolic_mmhg + pulse_mmhg * std::pow(std::sin(std::numbers::pi * 0.32 / 0.36), 1.6);
  return diastolic_mmhg + (start_mmhg - diastolic_mmhg) * decay * 0.9 + notch_mmhg -
         0.08 * pulse_mmhg * (phase - 0.32);
}

/// A pressure–volume loop: filling along a passive curve, isovolumic contraction, ejection
/// (pressure peaks, then falls to the end-systolic pressure), isovolumic relaxation.
Series pv_loop(std::string name, double edv_ml, double esv_ml, double esp_mmhg, LineDash dash) {
  Series loop{.name = std::move(name), .dash = dash, .is_closed = true};
  const auto add = [&](double volume_ml, double pressure_mmhg) {
    loop.x.push_back(volume_ml);
    loop.y.push_back(pressure_mmhg);
  };
  constexpr int kSteps = 40;
  const double opening_mmhg = 0.7 * esp_mmhg;   // aortic valve opens at diastolic pressure
  const double control_mmhg = 1.45 * esp_mmhg;  // shapes the systolic peak
  for (int i = 0; i <= kSteps; ++i) {
    const double s = static_cast<double>(i) / kSteps;
    add(esv_ml + s * (edv_ml - esv_ml), 4.0 + 8.0 * std::pow(s, 2.5));
  }
  for (int i = 1; i <= kSteps / 4; ++i) {
    const double s = static_cast<double>(i) / (kSteps / 4);
    add(edv_ml - 1.5 * s, 12.0 + s * (opening_mmhg - 12.0));
  }
  for (int i = 1; i <= kSteps; ++i) {
    const double s = static_cast<double>(i) / kSteps;
    add(edv_ml - 1.5 - (edv_ml - 1.5 - esv_ml) * std::pow(s, 0.85),
        (1 - s) * (1 - s) * opening_mmhg + 2 * s * (1 - s) * control_mmhg + s * s * esp_mmhg);
  }
  for (int i = 1; i < kSteps / 4; ++i) {
    const double s = static_cast<double>(i) / (kSteps / 4);
    add(esv_ml, esp_mmhg + s * (4.0 - esp_mmhg));
  }
  return loop;
}

std::string pressure_figure() {
  XyChart chart{.title = "Aortic pressure, last three beats",
                .x_axis = {.label = "Time", .unit = "s"},
                .y_axis = {.label = "Aortic pressure", .unit = "mmHg"}};
  Series model{.name = "Model (posterior mean)"};
  Series lower{.name = "2.5 %"};
  Series upper{.name = "97.5 %"};
  for (int i = 0; i <= 240; ++i) {
    const double time_s = 0.01 * i;
    const double mean_mmhg = aortic_pressure_mmhg(time_s, 121.0, 78.0);
    const double spread_mmhg = 3.0 + 0.05 * (mean_mmhg - 78.0);
    for (Series* series : {&model, &lower, &upper}) series->x.push_back(time_s);
    model.y.push_back(mean_mmhg);
    lower.y.push_back(mean_mmhg - spread_mmhg);
    upper.y.push_back(mean_mmhg + spread_mmhg);
  }
  chart.bands.push_back(band_between("95 % prediction interval", lower, upper));
  chart.series.push_back(std::move(model));
  Series measured{.name = "Arterial line (measured)",
                  .style = SeriesStyle::Markers,
                  .colour = PaletteColour::Vermillion};
  // Samples every 70 ms with a fixed, bounded deviation from the model (no random numbers, so
  // the report is reproducible byte for byte).
  for (int i = 0; i < 34; ++i) {
    const double time_s = 0.03 + 0.07 * i;
    measured.x.push_back(time_s);
    measured.y.push_back(aortic_pressure_mmhg(time_s, 121.0, 78.0) + 2.5 * std::sin(1.7 * i));
  }
  chart.series.push_back(std::move(measured));
  chart.y_references.push_back({.label = "Measured MAP (93 mmHg)", .value = 93.0});
  chart.x_references.push_back({.label = "Vasopressor bolus", .value = 1.6});
  return render_svg(chart);
}

std::string pv_loop_figure() {
  XyChart chart{
      .title = "Left-ventricular pressure\u2013volume loops",
      .x_axis = {.label = "Left-ventricular volume", .unit = "mL"},
      .y_axis = {.label = "Left-ventricular pressure", .unit = "mmHg", .includes_zero = true},
      .size = {.width_px = 720.0, .height_px = 480.0}};
  chart.series.push_back(pv_loop("Baseline", 122.0, 54.0, 112.0, LineDash::Solid));
  chart.series.push_back(pv_loop("After vasopressor", 128.0, 63.0, 131.0, LineDash::Dashed));
  chart.y_references.push_back({.label = "Measured end-systolic pressure", .value = 118.0});
  return render_svg(chart);
}

struct Target {
  const char* quantity;
  const char* unit;
  double measured;
  double model;
};

const std::vector<Target>& targets() {
  static const std::vector<Target> kTargets{
      {"Systolic arterial pressure", "mmHg", 118.0, 120.8},
      {"Diastolic arterial pressure", "mmHg", 79.0, 77.6},
      {"Mean arterial pressure", "mmHg", 93.0, 92.1},
      {"Cardiac output", "L/min", 5.10, 4.89},
      {"Left-ventricular ejection fraction", "%", 56.0, 55.7},
      {"Central venous pressure", "mmHg", 7.0, 7.42},
  };
  return kTargets;
}

double residual_percent(const Target& target) {
  return 100.0 * (target.model - target.measured) / target.measured;
}

std::string residual_figure() {
  BarChart chart{
      .title = "Calibration residuals",
      .value_axis = {.label = "Residual (model \u2212 measured) / measured", .unit = "%"}};
  for (const auto& target : targets()) {
    chart.bars.push_back({target.quantity, residual_percent(target)});
  }
  chart.references = {{.label = "\u22125 %", .value = -5.0}, {.label = "+5 %", .value = 5.0}};
  return render_svg(chart);
}

/// "+2.4", "−1.8": the typographic minus matches the figures' tick labels.
std::string signed_percent(double value) {
  const std::string text = format_tick(value, 1);
  return value > 0.0 ? "+" + text : text;
}

Table target_table() {
  Table table{.caption = "Calibration targets and model values",
              .header = {"Quantity", "Unit", "Measured", "Model", "Residual (%)", "Within 5 %"}};
  for (const auto& target : targets()) {
    const double residual = residual_percent(target);
    table.rows.push_back({target.quantity, target.unit, fmt::format("{:.2f}", target.measured),
                          fmt::format("{:.2f}", target.model), signed_percent(residual),
                          std::abs(residual) <= 5.0 ? "yes" : "no"});
  }
  return table;
}

}  // namespace

Report make_sample_report() {
  Section summary("Summary");
  summary.add_paragraph(
      "The twin was calibrated to six haemodynamic targets from the arterial line, the "
      "echocardiogram and the central venous catheter. Five of six model values lie within "
      "\u00b15 % of the measurement; central venous pressure is over-estimated by 6.0 %.");
  Section calibration("Calibration");
  calibration.add_table(target_table())
      .add_figure({.svg = residual_figure(),
                   .caption = "Relative residual of each target; dashed lines mark the "
                              "\u00b15 % acceptance band."});
  Section haemodynamics("Haemodynamics");
  haemodynamics
      .add_paragraph(
          "Simulated aortic pressure with its 95 % prediction interval, compared "
          "with the arterial-line samples of the same period.")
      .add_figure({.svg = pressure_figure(),
                   .caption = "Aortic pressure: model mean, 95 % prediction interval and "
                              "measured samples."})
      .add_figure({.svg = pv_loop_figure(),
                   .caption = "Pressure\u2013volume loops before and after the vasopressor "
                              "bolus."});
  Report report("Patient digital twin \u2014 calibration report");
  report.set_subtitle("Closed-loop 0D circulation, synthetic patient")
      .add_metadata("Twin", "twin-demo-0001")
      .add_metadata("Model", "closed_loop_0d v0.1 (4-chamber, RCR systemic)")
      .add_metadata("Data window", "2024-03-01T08:00:00Z \u2013 2024-03-01T12:00:00Z")
      .add_metadata("Calibrated", "2024-03-01T12:04:31Z")
      .add_section(std::move(summary))
      .add_section(std::move(calibration))
      .add_section(std::move(haemodynamics));
  return report;
}

}  // namespace ptwin::clinical::report::sample
