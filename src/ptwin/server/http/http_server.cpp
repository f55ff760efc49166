// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/http/http_server.hpp"

// Boost 1.74's asio uses std::exchange without including <utility>; GCC 12 in C++20 mode
// does not pull it in transitively.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <optional>
#include <thread>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

HttpRequest to_request(const http::request<http::string_body>& in, std::string remote) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) out.headers[std::string(field.name_string())] = std::string(field.value());
  out.body = in.body();
  out.remote_address = std::move(remote);
  return out;
}

// A protocol-level refusal, answered before (or instead of) the handler.
HttpResponse refusal(int status, std::string_view text) {
  return HttpResponse::with_body(status, "text/plain; charset=utf-8", std::string(text) + "\n");
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerSettings& settings, const HttpHandler& handler)
      : stream_(std::move(socket)), settings_(settings), handler_(handler) {
    beast::error_code error;
    const auto endpoint = stream_.socket().remote_endpoint(error);
    if (!error) remote_ = endpoint.address().to_string();
  }

  void start() { read(settings_.read_timeout); }

 private:
  void read(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->body_limit(settings_.max_body_bytes);
    parser_->header_limit(64U * 1024U);
    stream_.expires_after(timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       self->on_read(error);
                     });
  }

  void on_read(beast::error_code error) {
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::operation_aborted || error == asio::error::connection_reset ||
        error == asio::error::eof) {
      close();
      return;
    }
    if (error == http::error::body_limit) {
      write(refusal(413, fmt::format("request body larger than {} bytes",
                                     settings_.max_body_bytes)),
            false, 11);
      return;
    }
    if (error) {
      write(refusal(400, fmt::format("malformed HTTP request: {}", error.message())), false, 11);
      return;
    }
    const auto& request = parser_->get();
    HttpResponse response;
    try {
      response = handler_(to_request(request, remote_));
    } catch (const std::exception& failure) {
      logging::zone_logger("server")->error("handler failed method={} target={} error={}",
                                            std::string(request.method_string()),
                                            printable_value(std::string(request.target())), failure.what());
      response = refusal(500, "internal server error");
    }
    write(std::move(response), request.keep_alive(), request.version(),
          request.method() == http::verb::head);
  }

  void write(HttpResponse response, bool keep_alive, unsigned version, bool is_head = false) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers) response_.set(name, value);
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    // HEAD: the headers a GET would get, Content-Length included, and no content (RFC 9110
    // section 9.3.2).
    if (is_head) response_.body().clear();
    stream_.expires_after(settings_.read_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                        if (error || !keep_alive) {
                          self->close();
                          return;
                        }
                        self->read(self->settings_.idle_timeout);
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  const HttpServerSettings& settings_;
  const HttpHandler& handler_;
  std::string remote_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerSettings s, HttpHandler h)
      : settings(std::move(s)), handler(std::move(h)), acceptor(context) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
      if (error) {
        if (error != asio::error::operation_aborted) accept();
        return;
      }
      std::make_shared<Session>(std::move(socket), settings, handler)->start();
      accept();
    });
  }

  HttpServerSettings settings;
  HttpHandler handler;
  asio::io_context context;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  bool is_stopped = false;
};

HttpServer::HttpServer(HttpServerSettings settings, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler))) {
  auto& s = impl_->settings;
  if (s.threads < 1 || s.threads > 256) {
    throw InputError(ErrorCode::BadInput, "server.threads", fmt::format("{}", s.threads),
                     "must be from 1 to 256");
  }
  beast::error_code error;
  const auto address = asio::ip::make_address(s.address, error);
  if (error) {
    throw InputError(ErrorCode::BadInput, "server.address", printable_value(s.address),
                     "is not an IP address");
  }
  const tcp::endpoint endpoint(address, s.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw Error(ErrorCode::Io, fmt::format("cannot listen on {}:{}: {}; choose another port or "
                                           "stop the process that holds it",
                                           s.address, s.port, error.message()));
  }
  impl_->accept();
  for (int i = 0; i < s.threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->context.run(); });
  }
  logging::zone_logger("server")->info("http listening address={} port={} threads={}", s.address,
                                       port(), s.threads);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::stop() {
  if (impl_->is_stopped) return;
  impl_->is_stopped = true;
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->context.stop();
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

std::uint16_t HttpServer::port() const {
  beast::error_code error;
  const auto endpoint = impl_->acceptor.local_endpoint(error);
  return error ? impl_->settings.port : endpoint.port();
}

std::string HttpServer::origin() const {
  return fmt::format("http://{}:{}", impl_->settings.address, port());
}

}  // namespace ptwin::server
