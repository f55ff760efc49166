// SPDX-License-Identifier: Apache-2.0
#include "support/http_test_server.hpp"

// Boost 1.74's asio uses std::exchange without including <utility>; GCC 12 in C++20 mode
// does not pull it in transitively.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

namespace ptwin::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpTestServer::Impl {
  explicit Impl(Handler h)
      : handler(std::move(h)), acceptor(context, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) return;
      serve(std::make_shared<Session>(std::move(socket)));
      accept();
    });
  }

  struct Session {
    explicit Session(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void serve(const std::shared_ptr<Session>& session) {
    session->request = {};
    http::async_read(session->stream, session->buffer, session->request,
                     [this, session](beast::error_code error, std::size_t) {
                       if (error) return;  // closed by the client
                       answer(session);
                     });
  }

  void answer(const std::shared_ptr<Session>& session) {
    HttpRequest recorded;
    recorded.method = std::string(session->request.method_string());
    recorded.target = std::string(session->request.target());
    for (const auto& field : session->request) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      recorded.headers[name] = std::string(field.value());
    }
    recorded.body = session->request.body();
    {
      std::lock_guard lock(mutex);
      requests.push_back(recorded);
    }
    HttpResponse reply;
    try {
      reply = handler(recorded);
    } catch (const std::exception& error) {
      reply = {500, error.what(), "text/plain", {}};
    }
    auto& response = session->response;
    response = {};
    response.version(session->request.version());
    response.result(static_cast<unsigned>(reply.status));
    response.set(http::field::content_type, reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.body() = std::move(reply.body);
    response.keep_alive(session->request.keep_alive());
    response.prepare_payload();
    http::async_write(session->stream, response,
                      [this, session](beast::error_code error, std::size_t) {
                        if (error || !session->response.keep_alive()) {
                          beast::error_code ignored;
                          session->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        serve(session);
                      });
  }

  Handler handler;
  asio::io_context context;
  tcp::acceptor acceptor;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<HttpRequest> requests;
};

HttpTestServer::HttpTestServer(Handler handler) : impl_(std::make_unique<Impl>(std::move(handler))) {
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->context.run(); });
}

HttpTestServer::~HttpTestServer() {
  impl_->context.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int HttpTestServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string HttpTestServer::origin() const {
  return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<HttpRequest> HttpTestServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

}  // namespace ptwin::testing
