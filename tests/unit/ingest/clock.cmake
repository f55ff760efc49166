# SPDX-License-Identifier: Apache-2.0
# Source clock offset and drift (src/ptwin/ingest/clock).
ptwin_add_test(ingest_clock_test LABEL unit SOURCES clock_model_test.cpp LIBS ptwin::ingest)
