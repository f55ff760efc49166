// SPDX-License-Identifier: Apache-2.0
#pragma once
// A blocking MLLP client for tests (Boost.Asio): sends bytes or framed messages
// to a listener on 127.0.0.1 and reads its ACK frames.

// Boost 1.74's asio uses std::exchange without including <utility> (GCC 12, C++20).
#include <utility>

#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/mllp_framer.hpp"
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"

namespace ptwin::testing {

class MllpTestClient {
 public:
  explicit MllpTestClient(std::uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void send(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  void send_message(const std::string& message) { send(ingest::hl7v2::mllp_frame(message)); }
  /// The next ACK, parsed; throws when the connection ends first.
  ingest::hl7v2::Message next_ack() {
    while (pending_.empty()) {
      std::array<char, 4096> buffer{};
      boost::system::error_code error;
      const auto size = socket_.read_some(boost::asio::buffer(buffer), error);
      if (error) throw std::runtime_error("connection ended before the ACK: " + error.message());
      framer_.feed(std::string_view(buffer.data(), size), pending_);
    }
    auto frame = std::move(pending_.front());
    pending_.erase(pending_.begin());
    EXPECT_EQ(frame.kind, ingest::hl7v2::FrameKind::Message);
    return ingest::hl7v2::Message::parse(frame.bytes, "ack");
  }
  /// MSA-1 of the ACK to `message`.
  std::string ack_code(const std::string& message) {
    send_message(message);
    return next_ack().field("MSA", 1);
  }
  /// True when the listener closes the connection (read ends with EOF or a
  /// reset).
  bool is_closed_by_listener() {
    std::array<char, 4096> buffer{};
    boost::system::error_code error;
    while (!error) (void)socket_.read_some(boost::asio::buffer(buffer), error);
    return error == boost::asio::error::eof || error == boost::asio::error::connection_reset;
  }
  void close() { socket_.close(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  ingest::hl7v2::MllpFramer framer_{1U << 20U};
  std::vector<ingest::hl7v2::Frame> pending_;
};

}  // namespace ptwin::testing
