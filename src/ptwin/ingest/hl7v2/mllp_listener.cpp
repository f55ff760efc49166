// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"

// Boost 1.74's asio uses std::exchange without including <utility>; GCC 12 in C++20 mode
// does not pull it in transitively.
#include <utility>

#include <boost/asio.hpp>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::ingest::hl7v2 {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

// What connections share with the listener; outlives every connection.
struct ListenerState {
  ListenerState(MllpSettings s, FrameHandler h, const time::Clock& c)
      : settings(std::move(s)), handler(std::move(h)), clock(c) {}

  std::string next_control_id() {
    const auto milliseconds = time::to_epoch_ns(clock.now()) / 1'000'000;
    return fmt::format("{}{:06}", milliseconds, ack_counter.fetch_add(1) % 1'000'000);
  }

  MllpSettings settings;
  FrameHandler handler;
  const time::Clock& clock;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::uint64_t> ack_counter{0};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ListenerState& owner)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        framer_(owner.settings.max_frame_bytes),
        owner_(owner) {
    error_code error;
    const auto endpoint = socket_.remote_endpoint(error);
    peer_ = error ? std::string("unknown")
                  : fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
  }
  ~Connection() { --owner_.connections; }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;

  void start() { read(); }

 private:
  void arm_timer() {
    arm_timer(framer_.is_inside_frame() ? owner_.settings.frame_timeout
                                        : owner_.settings.idle_timeout);
  }

  void arm_timer(std::chrono::milliseconds timeout) {
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](error_code error) {
      if (!error) self->close();  // the pending read fails and end() runs
    });
  }

  void read() {
    arm_timer();
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](error_code error, std::size_t size) {
                              self->on_read(error, size);
                            });
  }

  void on_read(error_code error, std::size_t size) {
    if (error) {
      end();
      return;
    }
    std::vector<Frame> frames;
    framer_.feed(std::string_view(buffer_.data(), size), frames);
    std::string replies;
    bool must_close = false;
    for (auto& frame : frames) {
      must_close = frame.kind == FrameKind::Oversized;
      replies += answer(std::move(frame), true);
      // Frames after an oversized one are neither handled nor acknowledged: the connection
      // closes and their sender sends them again.
      if (must_close) break;
    }
    if (replies.empty()) {
      if (must_close) {
        close();
      } else {
        read();
      }
      return;
    }
    out_ = std::move(replies);
    arm_timer();
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), must_close](error_code write_error, std::size_t) {
                        if (write_error) {
                          self->end();
                        } else if (must_close) {
                          self->drain();
                        } else {
                          self->read();
                        }
                      });
  }

  // Hands one frame to the handler and returns the ACK bytes (MLLP-framed) to send back.
  std::string answer(Frame frame, bool is_connected) {
    const InboundFrame inbound{frame.kind, std::move(frame.bytes), peer_};
    Disposition disposition;
    bool is_stored = true;
    try {
      disposition = owner_.handler(inbound);
    } catch (const std::exception& failure) {
      is_stored = false;
      logging::zone_logger("ingest")->error("hl7v2 frame not stored peer={} bytes={} error={}",
                                            peer_, inbound.bytes.size(), failure.what());
    }
    if (!is_connected || inbound.kind == FrameKind::StrayBytes) return {};
    if (inbound.kind != FrameKind::Message) {
      auto text = std::string(frame_problem(inbound.kind));
      if (inbound.kind == FrameKind::Oversized) {
        text += fmt::format(" (the bound is {} bytes; the connection is closed)",
                            owner_.settings.max_frame_bytes);
      }
      disposition = {AckStatus::Rejected,
                     {Problem{std::move(text), ErrorCode::BadInput,
                              ConditionCode::SegmentSequenceError, {}}},
                     true};
    }
    if (!is_stored) {
      disposition = {AckStatus::Rejected,
                     {Problem{"the receiver could not store the message; send it again",
                              ErrorCode::StoreFailure, ConditionCode::ApplicationInternalError,
                              {}}},
                     false};
    }
    std::string replies;
    const auto context = read_ack_context(inbound.bytes);
    for (const auto& ack : build_acks(context, disposition,
                                      [this] { return owner_.next_control_id(); },
                                      owner_.clock.now())) {
      replies += mllp_frame(ack);
    }
    return replies;
  }

  // Closes after an oversized frame without losing the AR already written: closing a socket
  // with unread input makes TCP send a reset, which may destroy the AR before the sender reads
  // it. So the sending side is shut first and the rest of the input read and dropped (frames
  // after an oversized one are not handled; they were never acknowledged) until the sender
  // closes or a timeout ends it.
  void drain() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    arm_timer(owner_.settings.frame_timeout);
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](error_code error, std::size_t) {
                              if (error) {
                                self->close();
                              } else {
                                self->drain();
                              }
                            });
  }

  // The connection is over: what the framer still holds is handed on, unacknowledged.
  void end() {
    if (is_ended_) return;
    is_ended_ = true;
    std::vector<Frame> frames;
    framer_.finish(frames);
    for (auto& frame : frames) (void)answer(std::move(frame), false);
    close();
  }

  void close() {
    error_code ignored;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  MllpFramer framer_;
  ListenerState& owner_;
  std::string peer_;
  std::array<char, 64U * 1024U> buffer_{};
  std::string out_;
  bool is_ended_ = false;
};

}  // namespace

struct MllpListener::Impl {
  Impl(MllpSettings s, FrameHandler h, const time::Clock& c)
      : state(std::move(s), std::move(h), c), acceptor(context) {}

  void accept();

  // Declared before `context`: connections, destroyed with the context, still count down.
  ListenerState state;
  asio::io_context context;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool is_stopped = false;
};

void MllpListener::Impl::accept() {
  acceptor.async_accept(asio::make_strand(context), [this](error_code error, tcp::socket socket) {
    if (error) {
      if (error != asio::error::operation_aborted) accept();
      return;
    }
    if (state.connections.load() >= state.settings.max_connections) {
      logging::zone_logger("ingest")->warn("mllp connection refused limit={}",
                                           state.settings.max_connections);
      error_code ignored;
      socket.close(ignored);
    } else {
      ++state.connections;
      std::make_shared<Connection>(std::move(socket), state)->start();
    }
    accept();
  });
}

MllpListener::MllpListener(MllpSettings settings, FrameHandler handler, const time::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler), clock)) {
  const auto& s = impl_->state.settings;
  if (s.threads < 1 || s.threads > 256) {
    throw InputError(ErrorCode::BadInput, "mllp.threads", fmt::format("{}", s.threads),
                     "must be from 1 to 256");
  }
  if (s.max_frame_bytes == 0 || s.max_connections == 0) {
    throw InputError(ErrorCode::BadInput, "mllp.max_frame_bytes / mllp.max_connections", "0",
                     "must be positive");
  }
  if (!impl_->state.handler) {
    throw InputError(ErrorCode::MissingField, "mllp.handler", "", "a frame handler is required");
  }
  error_code error;
  const auto address = asio::ip::make_address(s.address, error);
  if (error) {
    throw InputError(ErrorCode::BadInput, "mllp.address", printable_value(s.address),
                     "is not an IP address");
  }
  const tcp::endpoint endpoint(address, s.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw Error(ErrorCode::Io, fmt::format("cannot listen for MLLP on {}:{}: {}; choose another "
                                           "port or stop the process that holds it",
                                           s.address, s.port, error.message()));
  }
  impl_->accept();
  for (int i = 0; i < s.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->context.run(); });
  }
  logging::zone_logger("ingest")->info("mllp listening address={} port={} threads={}",
                                       s.address, port(), s.threads);
}

MllpListener::~MllpListener() { stop(); }

void MllpListener::stop() {
  if (impl_->is_stopped) return;
  impl_->is_stopped = true;
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->context.stop();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

std::uint16_t MllpListener::port() const {
  error_code error;
  const auto endpoint = impl_->acceptor.local_endpoint(error);
  return error ? std::uint16_t{0} : endpoint.port();
}

std::string mllp_frame(std::string_view message) {
  std::string framed;
  framed.reserve(message.size() + 3);
  framed.push_back(kStartBlock);
  framed.append(message);
  framed.push_back(kEndBlock);
  framed.push_back(kCarriageReturn);
  return framed;
}

}  // namespace ptwin::ingest::hl7v2
