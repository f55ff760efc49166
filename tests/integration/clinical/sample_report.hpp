// SPDX-License-Identifier: Apache-2.0
#pragma once
// A report with every kind of content, on synthetic data shaped like a calibrated 0D
// circulation: an aortic pressure waveform with an interval band and cuff readings, two
// pressure–volume loops, fit residuals and a target table. Used to check the file output and,
// opened in a browser, to review the look of the report.

#include "ptwin/clinical/report/html_report.hpp"

namespace ptwin::clinical::report::sample {

[[nodiscard]] Report make_sample_report();

}  // namespace ptwin::clinical::report::sample
