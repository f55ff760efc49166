# SPDX-License-Identifier: Apache-2.0
# HL7 v2 (ER7) parser, ORU/ADT mappers, ACKs, the MLLP listener (Boost.Asio) and the ingestor
# that stores what they read (docs/hl7v2.md).
list(APPEND ingest_sources
  hl7v2/hl7v2_error.cpp
  hl7v2/delimiters.cpp
  hl7v2/charset.cpp
  hl7v2/escapes.cpp
  hl7v2/message.cpp
  hl7v2/dtm.cpp
  hl7v2/settings.cpp
  hl7v2/header.cpp
  hl7v2/observation_codes.cpp
  hl7v2/patient_identity.cpp
  hl7v2/oru_mapper.cpp
  hl7v2/adt_mapper.cpp
  hl7v2/reader.cpp
  hl7v2/problem.cpp
  hl7v2/ack.cpp
  hl7v2/mllp_framer.cpp
  hl7v2/file_splitter.cpp
  hl7v2/mllp_listener.cpp
  hl7v2/ingestor.cpp)
list(APPEND ingest_public_libs ptwin::store)
list(APPEND ingest_private_libs Boost::headers Threads::Threads)
