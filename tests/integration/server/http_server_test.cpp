// SPDX-License-Identifier: Apache-2.0
// HttpServer on 127.0.0.1 driven by raw sockets, so that the protocol limits (body size,
// malformed requests, keep-alive, handler failures) are exercised exactly as a client sends them.

#include "ptwin/server/http/http_server.hpp"

#include "ptwin/core/error.hpp"

#include <gtest/gtest.h>

// Boost 1.74's asio needs <utility> first under GCC 12 / C++20.
#include <utility>

#include <boost/asio.hpp>

#include <atomic>
#include <array>
#include <string>

namespace ptwin::server {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Sends raw bytes and reads until the server closes the connection or `responses` HTTP
// responses have arrived (counted by their status lines).
std::string exchange(std::uint16_t port, const std::string& bytes, int responses = 1) {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(socket, asio::buffer(bytes));
  std::string received;
  std::array<char, 4096> chunk{};
  boost::system::error_code error;
  while (true) {
    const auto n = socket.read_some(asio::buffer(chunk), error);
    received.append(chunk.data(), n);
    if (error) break;
    int seen = 0;
    for (auto at = received.find("HTTP/1.1 "); at != std::string::npos;
         at = received.find("HTTP/1.1 ", at + 1)) {
      ++seen;
    }
    const auto last_body_end = received.rfind("\r\n\r\n");
    if (seen >= responses && last_body_end != std::string::npos) {
      // Enough when the last response's declared body has arrived.
      const auto length_at = received.rfind("Content-Length: ");
      if (length_at != std::string::npos) {
        const auto length = std::stoul(received.substr(length_at + 16));
        if (received.size() >= last_body_end + 4 + length) break;
      }
    }
  }
  return received;
}

HttpServerSettings small_limits() {
  HttpServerSettings settings;
  settings.max_body_bytes = 1000;
  settings.read_timeout = std::chrono::milliseconds(500);
  return settings;
}

HttpResponse echo(const HttpRequest& request) {
  return HttpResponse::with_body(200, "text/plain",
                                 request.method + " " + std::string(request.path()) + " [" +
                                     std::string(request.query()) + "] " + request.body);
}

TEST(HttpServer, AnswersARequestWithTheHandlersResponse) {
  HttpServer server(small_limits(), echo);
  const auto reply = exchange(server.port(),
                              "POST /fhir/Patient?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                              "Connection: close\r\n\r\nhello");
  EXPECT_NE(reply.find("HTTP/1.1 200"), std::string::npos) << reply;
  EXPECT_NE(reply.find("POST /fhir/Patient [x=1] hello"), std::string::npos) << reply;
}

TEST(HttpServer, KeepsAConnectionAliveForSeveralRequests) {
  std::atomic<int> calls{0};
  HttpServer server(small_limits(), [&calls](const HttpRequest& request) {
    ++calls;
    return echo(request);
  });
  const std::string one = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n";
  const auto reply = exchange(server.port(), one + one, 2);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_NE(reply.find("GET /a [] "), reply.rfind("GET /a [] ")) << reply;
}

TEST(HttpServer, AHeadRequestGetsTheHeadersOfAGetAndNoContent) {
  HttpServer server(small_limits(), echo);
  // Two requests on one connection: had the HEAD response carried content, those bytes would be
  // read as the start of the next response.
  const auto reply = exchange(server.port(),
                              "HEAD /a HTTP/1.1\r\nHost: t\r\n\r\n"
                              "GET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                              2);
  const auto second = reply.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos) << reply;
  const std::string head = reply.substr(0, second);
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << reply;
  // The length of "HEAD /a [] ", the body a GET-like answer would have had.
  EXPECT_NE(head.find("Content-Length: 11\r\n"), std::string::npos) << reply;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << "content after the headers: " << reply;
  EXPECT_NE(reply.find("GET /b [] ", second), std::string::npos) << reply;
}

TEST(HttpServer, ABodyOverTheLimitIsRefusedWith413BeforeTheHandler) {
  std::atomic<int> calls{0};
  HttpServer server(small_limits(), [&calls](const HttpRequest& request) {
    ++calls;
    return echo(request);
  });
  const auto reply = exchange(server.port(),
                              "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                                  std::string(5000, 'a'));
  EXPECT_NE(reply.find("HTTP/1.1 413"), std::string::npos) << reply;
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServer, AMalformedRequestGets400) {
  HttpServer server(small_limits(), echo);
  const auto reply = exchange(server.port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << reply;
}

TEST(HttpServer, AThrowingHandlerGivesA500WithoutItsMessage) {
  HttpServer server(small_limits(), [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("secret patient detail");
  });
  const auto reply =
      exchange(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_NE(reply.find("HTTP/1.1 500"), std::string::npos) << reply;
  EXPECT_EQ(reply.find("secret"), std::string::npos) << reply;
}

TEST(HttpServer, AnIncompleteRequestIsDroppedAfterTheReadTimeout) {
  HttpServer server(small_limits(), echo);
  const auto started = std::chrono::steady_clock::now();
  const auto reply = exchange(server.port(), "GET / HTTP/1.1\r\nHost: t\r\n");  // no blank line
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply, "");
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(HttpServer, BadSettingsAreRefusedNamingTheField) {
  HttpServerSettings settings;
  settings.address = "not-an-ip";
  EXPECT_THROW(HttpServer(settings, echo), InputError);
  settings.address = "127.0.0.1";
  settings.threads = 0;
  EXPECT_THROW(HttpServer(settings, echo), InputError);
}

TEST(HttpServer, APortInUseIsAnIoErrorSayingWhatToDo) {
  HttpServer first(small_limits(), echo);
  HttpServerSettings settings = small_limits();
  settings.port = first.port();
  try {
    HttpServer second(settings, echo);
    FAIL() << "expected Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot listen"), std::string::npos);
  }
}

}  // namespace
}  // namespace ptwin::server
