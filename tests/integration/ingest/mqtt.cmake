# SPDX-License-Identifier: Apache-2.0
# MQTT biosensor subscriber against mosquitto on 127.0.0.1: run under scripts/with_mosquitto.sh
# (PTWIN_TEST_MQTT_URL, PTWIN_TEST_MOSQUITTO_BIN); without it the tests skip and say why.
# PkgConfig::MOSQUITTO is the GLOBAL target of src/ptwin/ingest/mqtt/sources.cmake.
ptwin_add_test(ingest_mqtt_subscriber_test LABEL integration TIMEOUT 120
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_subscriber_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_subscriber_connection_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_test_publisher.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_test_broker.cpp
  LIBS ptwin::ingest ptwin::store PkgConfig::MOSQUITTO fmt::fmt)
# The durable inbox: a subscriber killed with SIGKILL mid-stream, repeats, replay after a crash
# (docs/mqtt.md#durability). The replay case needs no broker.
ptwin_add_test(ingest_mqtt_inbox_test LABEL integration TIMEOUT 180
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_inbox_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_test_publisher.cpp
  LIBS ptwin::ingest ptwin::store PkgConfig::MOSQUITTO fmt::fmt)
