# SPDX-License-Identifier: Apache-2.0
# Recordings of the MQTT biosensor feed (docs/recording.md): NDJSON, read with simdjson (the
# payload's received bytes are handed to the MQTT payload parser unchanged).
list(APPEND ingest_sources
  recording/mqtt_recording_reader.cpp
  recording/mqtt_recording_writer.cpp)
