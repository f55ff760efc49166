# SPDX-License-Identifier: Apache-2.0
# The model gate: identity, verification cases and records, and the emit decision (docs/vv.md).
list(APPEND vv_sources
  gate/model_identity.cpp
  gate/verification_record.cpp
  gate/hypotension_model_verification.cpp
  gate/model_gate.cpp
  gate/recalibration_file.cpp)
