// SPDX-License-Identifier: Apache-2.0
#pragma once
// The HL7 v2 reading pipeline in its two stages, which an acknowledgement tells apart:
//   1. accept_message: parse the ER7 text and read the MSH. A failure refuses the message
//      whole: it is not processed (ACK AR).
//   2. map_message: map an accepted ORU^R01 to Samples and rejected OBX, or an ADT to FHIR
//      resources. A failure of the message as a whole (ADT) is an application error (ACK AE);
//      rejected OBX leave the rest of an ORU standing (ACK AE, the accepted samples kept).
// No I/O happens here: Hl7v2Ingestor stores what these return.

#include <optional>
#include <string_view>

#include "ptwin/ingest/hl7v2/adt_mapper.hpp"
#include "ptwin/ingest/hl7v2/header.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/oru_mapper.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"

namespace ptwin::ingest::hl7v2 {

struct AcceptedMessage {
  Message message;  // renamed to "hl7v2:<app>/<facility> message <control id>" for errors
  MessageHeader header;
};

struct MappedMessage {
  std::optional<OruResult> observations;  // ORU^R01
  std::optional<AdtResources> admission;  // ADT^A01/A03/A08
};

/// Stage 1. `source` names the message in errors until its MSH has been read (a file name, the
/// peer address). Throws Hl7v2Error as Message::parse and read_header do.
[[nodiscard]] AcceptedMessage accept_message(std::string_view bytes, std::string_view source,
                                             const Hl7v2Settings& settings);

/// Stage 2. Throws InputError for an ADT message that cannot be mapped (see map_adt); never for
/// an ORU, whose problems are rejected segments.
[[nodiscard]] MappedMessage map_message(const AcceptedMessage& accepted,
                                        const Hl7v2Settings& settings);

}  // namespace ptwin::ingest::hl7v2
