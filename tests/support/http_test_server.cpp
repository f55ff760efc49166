// SPDX-License-Identifier: Apache-2.0
#include "support/http_test_server.hpp"

namespace ptwin::testing {

HttpTestServer::HttpTestServer(Handler handler) : handler_(std::move(handler)) {
  ptwin::server::HttpServerSettings settings;
  settings.threads = 1;  // requests answered in arrival order
  server_ = std::make_unique<ptwin::server::HttpServer>(settings, [this](const HttpRequest& request) {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const auto reply = handler_(request);
    auto response = ptwin::server::HttpResponse::with_body(reply.status, reply.content_type, reply.body);
    for (const auto& [name, value] : reply.headers) response.headers[name] = value;
    return response;
  });
}

std::vector<HttpRequest> HttpTestServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

}  // namespace ptwin::testing
