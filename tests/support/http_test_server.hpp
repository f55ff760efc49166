// SPDX-License-Identifier: Apache-2.0
#pragma once
// A scripted HTTP server on 127.0.0.1 for client tests: ptwin's own HttpServer with a handler
// the test supplies, recording every request, so that a test can serve recorded answers of a
// real server and check exactly what the client sent. Listens on a free port; stops in the
// destructor.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ptwin/server/http/http_message.hpp"
#include "ptwin/server/http/http_server.hpp"

namespace ptwin::testing {

using HttpRequest = ptwin::server::HttpRequest;

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

  [[nodiscard]] int port() const { return server_->port(); }
  /// "http://127.0.0.1:<port>"
  [[nodiscard]] std::string origin() const { return server_->origin(); }
  /// Every request received so far, in order.
  [[nodiscard]] std::vector<HttpRequest> requests() const;

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<HttpRequest> requests_;
  std::unique_ptr<ptwin::server::HttpServer> server_;  // last: stops before the rest goes
};

}  // namespace ptwin::testing
