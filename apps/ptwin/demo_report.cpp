// SPDX-License-Identifier: Apache-2.0
#include "demo_report.hpp"

#include <fmt/format.h>

#include "ptwin/clinical/report/html_report.hpp"
#include "ptwin/clinical/report/svg_bar_chart.hpp"
#include "ptwin/clinical/report/svg_plot.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::app {
namespace report = clinical::report;

namespace {
std::vector<double> scaled(const std::vector<double>& values, double divisor, double offset = 0) {
  std::vector<double> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i] / divisor - offset;
  return out;
}
}  // namespace

void write_demo_report(const DemoReportInput& input, const std::filesystem::path& path) {
  const auto& fit = *input.fit;
  const auto& run = fit.final_run;
  const auto& s = fit.summary;
  report::Report doc("Patient digital twin: personalised 0D circulation");
  doc.set_subtitle("Closed-loop lumped-parameter model fitted to the patient's vital signs")
      .add_metadata("Twin", input.twin_id)
      .add_metadata("Model", input.model_name)
      .add_metadata("Model SHA-256", input.model_digest.substr(0, 16) + "…")
      .add_metadata("Generated (UTC)", input.generated_at);

  report::Section summary("Haemodynamic summary (periodic steady state)");
  summary.add_table({.caption = "Model outputs after personalisation",
                     .header = {"Quantity", "Value", "Unit"},
                     .rows = {
                         {"Heart rate", fmt::format("{:.0f}", s.heart_rate_hz * 60), "/min"},
                         {"Systolic pressure", fmt::format("{:.1f}", s.systolic_pressure_pa / units::kPaPerMmHg), "mmHg"},
                         {"Diastolic pressure", fmt::format("{:.1f}", s.diastolic_pressure_pa / units::kPaPerMmHg), "mmHg"},
                         {"Mean arterial pressure (MAP)", fmt::format("{:.1f}", s.mean_arterial_pressure_pa / units::kPaPerMmHg), "mmHg"},
                         {"Cardiac output (CO)", fmt::format("{:.2f}", s.cardiac_output_m3_per_s * 6e4), "L/min"},
                         {"Stroke volume (SV)", fmt::format("{:.1f}", s.stroke_volume_m3 * 1e6), "mL"},
                         {"Ejection fraction (EF)", fmt::format("{:.1f}", s.ejection_fraction * 100), "%"},
                         {"End-diastolic volume", fmt::format("{:.1f}", s.end_diastolic_volume_m3 * 1e6), "mL"},
                         {"End-systolic volume", fmt::format("{:.1f}", s.end_systolic_volume_m3 * 1e6), "mL"},
                     }});
  doc.add_section(std::move(summary));

  report::Section fit_section("Personalisation");
  fit_section.add_paragraph(fmt::format(
      "BOBYQA minimised the weighted squared residuals in {} model evaluations ({} failed) in "
      "{:.1f} s; cost {:.3g} (from {:.3g}). Collinearity index of the parameter set: {:.1f} "
      "(values above 10-15 indicate poor identifiability, Brun et al. 2001).",
      fit.evaluations, fit.failed_evaluations, fit.wall_time_s, fit.cost, fit.initial_cost,
      fit.collinearity_index));
  std::vector<std::vector<std::string>> residual_rows;
  report::BarChart bars{.title = "Fit residuals", .value_axis = {"Model − measured, relative to measurement uncertainty", "σ"}};
  for (const auto& r : fit.residuals) {
    const bool is_pressure = r.name.find("pressure") != std::string::npos;
    const bool is_flow = r.name == "cardiac_output";
    const double factor = is_pressure ? units::kPaPerMmHg : (is_flow ? 1e-3 / 60 : 0.01);
    const char* unit = is_pressure ? "mmHg" : (is_flow ? "L/min" : "%");
    residual_rows.push_back({r.name, fmt::format("{:.2f}", r.measured_si / factor),
                             fmt::format("{:.2f}", r.model_si / factor),
                             fmt::format("{:.2f}", r.uncertainty_si / factor), unit,
                             fmt::format("{:+.2f}", r.normalised())});
    bars.bars.push_back({r.name, r.normalised()});
  }
  fit_section.add_table({.caption = "Targets: measured vs model",
                         .header = {"Target", "Measured", "Model", "Uncertainty (1σ)", "Unit", "Residual (σ)"},
                         .rows = residual_rows});
  fit_section.add_figure({.svg = report::render_svg(bars), .caption = "Normalised fit residuals"});
  std::vector<std::vector<std::string>> parameter_rows;
  for (const auto& p : fit.parameters) {
    parameter_rows.push_back({p.name, fmt::format("{:.3f}", p.multiplier),
                              fmt::format("[{:.2g}, {:.2g}]", p.lower_bound, p.upper_bound),
                              fmt::format("{:.2f}", p.sensitivity_norm),
                              fmt::format("{:.1f} %", 100 * p.relative_standard_error),
                              p.is_identifiable ? (p.is_at_bound ? "yes (at bound)" : "yes") : "no"});
  }
  fit_section.add_table({.caption = "Fitted parameters (multipliers of the reference model)",
                         .header = {"Parameter", "Multiplier", "Bounds", "Sensitivity", "Rel. std. error", "Identifiable"},
                         .rows = parameter_rows});
  doc.add_section(std::move(fit_section));

  report::Section waves("Waveforms over one cardiac cycle");
  const auto& t = run.times_s;
  const auto t0 = t.front();
  const auto time = scaled(t, 1.0, t0);
  report::XyChart pressure{.title = "Pressures",
                           .x_axis = {"Time", "s"},
                           .y_axis = {"Pressure", "mmHg"},
                           .series = {{.name = "Arterial", .x = time, .y = scaled(run.series(input.observables.arterial_pressure), units::kPaPerMmHg)},
                                      {.name = "Left ventricle", .x = time, .y = scaled(run.series(input.observables.lv_pressure), units::kPaPerMmHg), .dash = report::LineDash::Dashed}}};
  waves.add_figure({.svg = report::render_svg(pressure), .caption = "Arterial and left-ventricular pressure"});
  report::XyChart loop{.title = "Left-ventricular pressure–volume loop",
                       .x_axis = {"Volume", "mL"},
                       .y_axis = {"Pressure", "mmHg"},
                       .series = {{.name = "PV loop", .x = scaled(run.series(input.observables.lv_volume), 1e-6), .y = scaled(run.series(input.observables.lv_pressure), units::kPaPerMmHg), .is_closed = true}}};
  waves.add_figure({.svg = report::render_svg(loop), .caption = "Pressure–volume loop of the left ventricle"});
  doc.add_section(std::move(waves));
  report::write_html(doc, path);
}

}  // namespace ptwin::app
