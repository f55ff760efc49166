# SPDX-License-Identifier: Apache-2.0
# MQTT biosensor ingestion (docs/mqtt.md) with libmosquitto (Debian's libmosquitto-dev).
# GLOBAL: the integration tests publish with libmosquitto too and link the same target.
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET GLOBAL libmosquitto)
list(APPEND ingest_sources
  mqtt/quantity_table.cpp
  mqtt/payload_parser.cpp
  mqtt/subscriber_settings.cpp
  mqtt/biosensor_subscriber.cpp
  mqtt/biosensor_publisher.cpp
  mqtt/detail/batch_writer.cpp
  mqtt/detail/message_queue.cpp
  mqtt/detail/mosquitto_handle.cpp)
list(APPEND ingest_public_libs ptwin::store)
list(APPEND ingest_private_libs PkgConfig::MOSQUITTO Threads::Threads spdlog::spdlog)
