// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/rest_hook_sender.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

struct HeaderList {
  curl_slist* list = nullptr;
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (grown == nullptr) throw Error(ErrorCode::Internal, "curl_slist_append: out of memory");
    list = grown;
  }
};

std::size_t discard(char* /*data*/, std::size_t size, std::size_t count, void* /*user*/) {
  return size * count;  // the receiver's answer body is not used
}

}  // namespace

struct RestHookSender::Curl {
  CURL* handle = nullptr;
};

RestHookSender::RestHookSender() : curl_(std::make_unique<Curl>()) {
  curl_->handle = curl_easy_init();
  if (curl_->handle == nullptr) throw Error(ErrorCode::Internal, "curl_easy_init failed");
}

RestHookSender::~RestHookSender() { curl_easy_cleanup(curl_->handle); }

SendOutcome RestHookSender::post(const std::string& endpoint,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body, std::chrono::milliseconds timeout) {
  CURL* curl = curl_->handle;
  curl_easy_reset(curl);
  HeaderList list;
  list.add("Content-Type: application/fhir+json");
  list.add("Accept: application/fhir+json");
  for (const auto& [name, value] : headers) list.add(fmt::format("{}: {}", name, value));
  curl_easy_setopt(curl, CURLOPT_URL, endpoint.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list.list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard);
  const CURLcode code = curl_easy_perform(curl);
  SendOutcome outcome;
  if (code != CURLE_OK) {
    outcome.detail = curl_easy_strerror(code);
    return outcome;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &outcome.http_status);
  outcome.is_delivered = outcome.http_status >= 200 && outcome.http_status < 300;
  if (!outcome.is_delivered) outcome.detail = fmt::format("HTTP {}", outcome.http_status);
  return outcome;
}

}  // namespace ptwin::server::fhir::subscriptions
