# SPDX-License-Identifier: Apache-2.0
# The stream of stored samples that later stages attach to (docs/serve.md#sample-stream).
list(APPEND ingest_sources stream/sample_stream.cpp stream/sample_tap_store.cpp)
