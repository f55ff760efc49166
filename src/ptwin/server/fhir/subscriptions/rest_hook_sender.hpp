// SPDX-License-Identifier: Apache-2.0
#pragma once
// POSTs one notification Bundle to a rest-hook endpoint (R5 subscriptions.html#rest-hook) with
// libcurl: Content-Type application/fhir+json, the Subscription's headers, and its timeout.
// A 2xx answer is a delivery; anything else (no connection, a timeout, another status) is a
// failure the caller retries. One sender holds one libcurl handle: not thread-safe.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ptwin::server::fhir::subscriptions {

struct SendOutcome {
  bool is_delivered = false;
  long http_status = 0;  // 0 when no answer arrived
  std::string detail{};  // why it failed (libcurl's message or the status), for the log
};

class RestHookSender {
 public:
  RestHookSender();
  ~RestHookSender();
  RestHookSender(const RestHookSender&) = delete;
  RestHookSender& operator=(const RestHookSender&) = delete;

  /// Never throws for a network or HTTP failure: it is reported in the outcome.
  [[nodiscard]] SendOutcome post(const std::string& endpoint,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body, std::chrono::milliseconds timeout);

 private:
  struct Curl;
  std::unique_ptr<Curl> curl_;
};

}  // namespace ptwin::server::fhir::subscriptions
