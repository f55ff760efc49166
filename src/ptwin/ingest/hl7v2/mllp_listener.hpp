// SPDX-License-Identifier: Apache-2.0
#pragma once
// An MLLP receiver (Boost.Asio) for HL7 v2 feeds: it accepts TCP connections, cuts each byte
// stream into frames (mllp_framer.hpp), hands every frame to a FrameHandler, and acknowledges
// each message with the ACK(s) its Disposition calls for (ack.hpp). The ACK is written only
// after the handler has returned, so a message is persisted before its sender may forget it;
// a message whose handler threw is answered AR / CE so that the sender resends it.
//
// Protocol limits are enforced here: a frame larger than `max_frame_bytes` is answered with an
// AR naming the bound, its first bytes are handed to the handler, and the connection closes; a
// frame that does not end within `frame_timeout` is handed on as Incomplete and the connection
// closes; a connection idle for `idle_timeout` closes. Bytes outside frames are handed on as
// StrayBytes, without an ACK (there is no message to acknowledge).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/hl7v2/inbound_frame.hpp"

namespace ptwin::ingest::hl7v2 {

struct MllpSettings {
  std::string address = "127.0.0.1";  // loopback unless the deployment says otherwise
  std::uint16_t port = 0;             // 0: any free port (see MllpListener::port)
  int threads = 2;                    // worker threads: concurrent connections being served
  std::size_t max_frame_bytes = 4U * 1024U * 1024U;
  std::size_t max_connections = 64;   // further connections are closed at once
  std::chrono::milliseconds frame_timeout{30'000};  // a started frame must end within this
  std::chrono::milliseconds idle_timeout{600'000};  // a silent connection closes after this
};

class MllpListener {
 public:
  /// Binds and starts listening at once. `clock` (MSH-7 of ACKs, their control ids) must
  /// outlive the listener. Throws InputError for invalid settings and Error(Io) naming the
  /// address when it cannot listen.
  MllpListener(MllpSettings settings, FrameHandler handler, const time::Clock& clock);
  /// Stops accepting, closes connections and joins the worker threads. A frame not yet
  /// acknowledged is not acknowledged: its sender sends it again.
  ~MllpListener();
  MllpListener(const MllpListener&) = delete;
  MllpListener& operator=(const MllpListener&) = delete;
  MllpListener(MllpListener&&) = delete;
  MllpListener& operator=(MllpListener&&) = delete;

  /// The port actually bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  /// Stops early; the destructor calls it too.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Wraps a message in MLLP framing: 0x0B message 0x1C 0x0D (for senders and tests).
[[nodiscard]] std::string mllp_frame(std::string_view message);

}  // namespace ptwin::ingest::hl7v2
