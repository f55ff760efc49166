# SPDX-License-Identifier: Apache-2.0
# Stages `ptwin serve` attaches to the stream of stored samples (docs/serve.md, docs/twin.md).
list(APPEND twin_sources
  live/estimate_point.cpp
  live/hypotension_risk_stage.cpp)
