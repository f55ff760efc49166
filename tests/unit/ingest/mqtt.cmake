# SPDX-License-Identifier: Apache-2.0
# MQTT biosensor ingestion: payload parser, its bad-input corpus, settings, the bounded queue.
ptwin_add_test(ingest_mqtt_unit_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_payload_parser_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_bad_inputs_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_settings_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/mqtt_message_queue_test.cpp
  LIBS ptwin::ingest)
