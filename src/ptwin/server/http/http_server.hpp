// SPDX-License-Identifier: Apache-2.0
#pragma once
// An HTTP/1.1 server (Boost.Beast over Asio) that hands every request to one handler. It owns
// the protocol limits, so that a handler only sees requests that are complete and bounded:
// body size, header size, and read/idle timeouts are enforced here and answered with 413 / 408
// / 400 before the handler runs. Keep-alive is supported; each connection is served in order.
//
// Handlers run on the server's worker threads and may block (a database call); give the server
// as many threads as concurrent requests it should serve. A handler that throws gets a 500 with
// a generic body; the exception's message goes to the log, never to the client.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ptwin/server/http/http_message.hpp"

namespace ptwin::server {

struct HttpServerSettings {
  std::string address = "127.0.0.1";  // loopback unless the deployment says otherwise
  std::uint16_t port = 0;              // 0: any free port (see HttpServer::port)
  int threads = 2;
  std::size_t max_body_bytes = 64U * 1024U * 1024U;
  std::chrono::milliseconds read_timeout{30'000};  // a request must arrive within this
  std::chrono::milliseconds idle_timeout{60'000};  // a kept-alive connection closes after this
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  /// Binds and starts listening at once; throws Error(Io) naming the address when it cannot.
  HttpServer(HttpServerSettings settings, HttpHandler handler);
  /// Stops accepting, closes connections and joins the worker threads.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port actually bound (useful with port 0).
  [[nodiscard]] std::uint16_t port() const;
  /// "http://<address>:<port>"
  [[nodiscard]] std::string origin() const;
  /// Stops early; the destructor calls it too.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::server
