// SPDX-License-Identifier: Apache-2.0
#pragma once
// The websocket channel of topic-based subscriptions (R5 subscriptions.html#websockets), on
// its own listening port (Boost.Beast):
//   1. the client asks the facade for Subscription/[id]/$get-ws-binding-token and gets a token,
//      its expiration and the websocket URL;
//   2. it connects and sends the text "bind-with-token: <token>";
//   3. the server answers with a handshake Bundle per subscription the token covers, then
//      sends event-notification and heartbeat Bundles as text frames (RestHookDelivery does,
//      for websocket subscriptions, through send()).
// A token is single-use and expires after token_lifetime. A refused bind (unknown, used or
// expired token, or a first message that is not a bind) is answered with a close frame whose
// reason says why. After binding the server only writes; a dropped connection is noticed at
// the next write and unbound. Websocket delivery is best effort by nature: what a client
// missed while not bound stays in the outbox and is sent when it binds again, and $events
// answers for any number.
//
// Thread-safety: every member may be called from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir::subscriptions {

struct WebsocketSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (see url())
  std::chrono::seconds token_lifetime{300};
  /// The FHIR base URL subscribers use (subscription references in handshakes).
  std::string base_url{};
};

struct BindingToken {
  std::string token{};
  time::Instant expiration{};
  std::vector<std::string> subscription_ids{};
  std::string websocket_url{};
};

class WebsocketChannel {
 public:
  /// Binds and listens at once; throws Error(Io) naming the address when it cannot. `store`
  /// (read for handshakes) and `clock` must outlive the channel.
  WebsocketChannel(store::fhir::ResourceStore& store, const time::Clock& clock,
                   WebsocketSettings settings);
  ~WebsocketChannel();
  WebsocketChannel(const WebsocketChannel&) = delete;
  WebsocketChannel& operator=(const WebsocketChannel&) = delete;

  /// A new random token for `subscription_ids` (already checked by the caller).
  [[nodiscard]] BindingToken issue_token(std::vector<std::string> subscription_ids);
  /// "ws://<address>:<port>"
  [[nodiscard]] std::string url() const;
  [[nodiscard]] bool is_bound(std::string_view subscription_id) const;
  /// Writes `text` to every connection bound to the subscription; connections whose write
  /// fails are unbound. True when at least one write succeeded.
  [[nodiscard]] bool send(std::string_view subscription_id, const std::string& text);
  /// Closes the listener and every connection; the destructor calls it too.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::server::fhir::subscriptions
