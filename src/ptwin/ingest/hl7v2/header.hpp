// SPDX-License-Identifier: Apache-2.0
#pragma once
// The typed MSH of a message (v2.5.1 chapter 2, MSH): who sent it, when, what it is, its
// control id and version. Reading it is where a message is accepted for processing or
// refused whole (an ACK with AR).

#include <string>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/hl7v2/charset.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"

namespace ptwin::ingest::hl7v2 {

/// MSH-9 (MSG): message code, trigger event, message structure.
struct MessageType {
  std::string code;       // "ORU", "ADT"
  std::string trigger;    // "R01", "A01"
  std::string structure;  // "ORU_R01", "ADT_A01"; may be empty before v2.3.1
  friend bool operator==(const MessageType&, const MessageType&) = default;
};

struct MessageHeader {
  std::string sending_application;    // MSH-3.1 (namespace id), else MSH-3.2
  std::string sending_facility;       // MSH-4.1, else MSH-4.2
  std::string receiving_application;  // MSH-5.1, else MSH-5.2
  std::string receiving_facility;     // MSH-6.1, else MSH-6.2
  time::Instant time{};               // MSH-7, UTC
  MessageType type;                   // MSH-9
  std::string control_id;             // MSH-10
  std::string processing_id;          // MSH-11.1
  std::string version;                // MSH-12.1
  std::string accept_ack_type;        // MSH-15 (enhanced mode; "" in original mode)
  std::string application_ack_type;   // MSH-16
  Charset charset = Charset::Ascii;   // MSH-18

  /// "<app>/<facility>": the key of Hl7v2Settings::zone_offsets.
  [[nodiscard]] std::string source_key() const;
  /// "hl7v2:<app>/<facility>": the source of samples and quarantined input.
  [[nodiscard]] std::string source() const;
};

/// HL7 versions ptwin reads (MSH-12.1): 2.3 to 2.9.
[[nodiscard]] bool is_supported_version(std::string_view version);

/// Reads and checks the MSH of a parsed message. MSH-7 uses the offset configured for the
/// source when it carries none. Throws Hl7v2Error naming `<source>: MSH-<n>`: MissingField for
/// an empty MSH-7, MSH-9.1, MSH-9.2, MSH-10, MSH-11 or MSH-12; BadInput with condition 203 for
/// a version outside 2.3-2.9, 202 for a processing id not in the settings, 200 / 201 for a
/// message type or trigger ptwin does not read (ORU^R01, ADT^A01/A03/A08); MSH-7 errors as
/// parse_dtm.
[[nodiscard]] MessageHeader read_header(const Message& message, const Hl7v2Settings& settings);

}  // namespace ptwin::ingest::hl7v2
