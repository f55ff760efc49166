// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/reader.hpp"

#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::hl7v2 {

AcceptedMessage accept_message(std::string_view bytes, std::string_view source,
                               const Hl7v2Settings& settings) {
  auto message = Message::parse(bytes, source);
  auto header = read_header(message, settings);
  message.set_source(
      fmt::format("{} message {}", header.source(), printable_value(header.control_id)));
  return {std::move(message), std::move(header)};
}

MappedMessage map_message(const AcceptedMessage& accepted, const Hl7v2Settings& settings) {
  MappedMessage mapped;
  if (accepted.header.type.code == "ORU") {
    mapped.observations = map_oru_r01(accepted.message, accepted.header, settings);
  } else {
    mapped.admission = map_adt(accepted.message, accepted.header, settings);
  }
  return mapped;
}

}  // namespace ptwin::ingest::hl7v2
