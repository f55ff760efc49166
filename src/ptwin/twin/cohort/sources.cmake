# SPDX-License-Identifier: Apache-2.0
# Synthetic cohorts with stated generation rules, for evaluating predictors (docs/twin.md).
list(APPEND twin_sources
  cohort/hypotension_cohort.cpp
  cohort/deterioration_recording.cpp)
