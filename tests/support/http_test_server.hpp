// SPDX-License-Identifier: Apache-2.0
#pragma once
// A scripted HTTP/1.1 server on 127.0.0.1 (Boost.Beast) for client tests: every request is
// recorded and answered by a handler the test supplies, so a test can serve recorded answers of
// a real server and check exactly what the client sent. Listens on a free port; stops in the
// destructor.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ptwin::testing {

struct HttpRequest {
  std::string method;
  std::string target;                         // path and query, as sent
  std::map<std::string, std::string> headers; // names lower-cased
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/fhir+json";
  std::map<std::string, std::string> headers;
};

class HttpTestServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  explicit HttpTestServer(Handler handler);
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  [[nodiscard]] int port() const;
  /// "http://127.0.0.1:<port>"
  [[nodiscard]] std::string origin() const;
  /// Every request received so far, in order.
  [[nodiscard]] std::vector<HttpRequest> requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::testing
