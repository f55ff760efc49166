# SPDX-License-Identifier: Apache-2.0
# Per-source clock offset and drift from paired events (docs/ingest.md#source-clocks).
list(APPEND ingest_sources clock/clock_model.cpp clock/source_clock_tracker.cpp)
