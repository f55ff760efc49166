// SPDX-License-Identifier: Apache-2.0
// The websocket channel of topic-based subscriptions with a Boost.Beast websocket client on
// loopback: $get-ws-binding-token, bind-with-token, handshake, notifications of events recorded
// before and after binding, heartbeats, and refused binds (a token used twice, no bind).
// Reads on the client socket time out after 5 s (SO_RCVTIMEO), so a missing message fails the
// test instead of hanging it.
#include <utility>  // before Boost: asio in Boost 1.74 needs std::exchange

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "subscriptions_fixture.hpp"

namespace ptwin::server::fhir::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class WebsocketClient {
 public:
  explicit WebsocketClient(const std::string& url) : stream_(context_) {
    const std::string authority = url.substr(url.find("//") + 2);
    const auto colon = authority.rfind(':');
    const tcp::endpoint endpoint(
        asio::ip::make_address(authority.substr(0, colon)),
        static_cast<unsigned short>(std::stoi(authority.substr(colon + 1))));
    stream_.next_layer().connect(endpoint);
    const timeval timeout{.tv_sec = 5, .tv_usec = 0};
    ::setsockopt(stream_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout,
                 sizeof(timeout));
    stream_.handshake(authority, "/");
  }
  void send(const std::string& text) { stream_.write(asio::buffer(text)); }
  /// The next message as JSON; throws beast::system_error on close or timeout.
  nlohmann::json read() {
    beast::flat_buffer buffer;
    stream_.read(buffer);
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
  }
  /// The reason of the server's close frame.
  [[nodiscard]] std::string reason() const {
    const auto& text = stream_.reason().reason;
    return std::string(text.data(), text.size());
  }

 private:
  asio::io_context context_;
  websocket::stream<tcp::socket> stream_;
};

std::string parameter(const nlohmann::json& parameters, const std::string& name) {
  for (const auto& parameter : parameters["parameter"]) {
    if (parameter["name"] != name) continue;
    for (const auto& [key, value] : parameter.items()) {
      if (key.starts_with("value")) return value.get<std::string>();
    }
  }
  return {};
}

class WebsocketSubscriptionTest : public SubscriptionsTest {
 protected:
  std::string websocket_subscription() {
    (void)create(topic());
    nlohmann::json feed = subscription("id-only", 5);
    feed["channelType"]["code"] = "websocket";
    feed.erase("endpoint");
    feed.erase("parameter");
    const std::string id = create(feed);
    EXPECT_EQ(delivery_->run_once().status_changes, 1);  // requested -> active, no handshake yet
    EXPECT_EQ(subscription_status(id), "active");
    return id;
  }
};

TEST_P(WebsocketSubscriptionTest, AClientBindsWithATokenAndReceivesNotificationsAndHeartbeats) {
  const std::string id = websocket_subscription();
  const std::string e1 = create(encounter("planned"));  // event 1, before any client binds
  EXPECT_EQ(delivery_->run_once().events_delivered, 0);

  const Reply reply = get("/Subscription/" + id + "/$get-ws-binding-token");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json token = reply.json();
  EXPECT_EQ(token["resourceType"], "Parameters");
  EXPECT_EQ(parameter(token, "subscription"), id);
  EXPECT_EQ(parameter(token, "websocket-url"), websocket_->url());
  EXPECT_FALSE(parameter(token, "expiration").empty());

  WebsocketClient client(parameter(token, "websocket-url"));
  client.send("bind-with-token: " + parameter(token, "token"));
  const nlohmann::json handshake = client.read();
  EXPECT_EQ(handshake["type"], "subscription-notification");
  EXPECT_EQ(handshake["entry"][0]["resource"]["type"], "handshake");
  EXPECT_EQ(handshake["entry"][0]["resource"]["subscription"]["reference"], "Subscription/" + id);
  EXPECT_EQ(handshake["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "1");
  ASSERT_TRUE(websocket_->is_bound(id));

  EXPECT_EQ(delivery_->run_once().events_delivered, 1);
  nlohmann::json notification = client.read();
  EXPECT_EQ(notification["entry"][0]["resource"]["type"], "event-notification");
  EXPECT_EQ(notification["entry"][0]["resource"]["notificationEvent"][0]["eventNumber"], "1");
  EXPECT_EQ(notification["entry"][1]["fullUrl"], base_ + "/Encounter/" + e1);

  (void)create(encounter("planned"));
  (void)create(encounter("planned"));
  EXPECT_EQ(delivery_->run_once().events_delivered, 2);
  notification = client.read();  // maxCount 5: both in one Bundle
  EXPECT_EQ(notification["entry"][0]["resource"]["notificationEvent"].size(), 2U);
  EXPECT_EQ(notification["entry"][0]["resource"]["eventsSinceSubscriptionStart"], "3");

  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(delivery_->run_once().heartbeats, 1);
  EXPECT_EQ(client.read()["entry"][0]["resource"]["type"], "heartbeat");
}

TEST_P(WebsocketSubscriptionTest, ATokenBindsOnceAndABindIsRequiredFirst) {
  const std::string id = websocket_subscription();
  const nlohmann::json token = get("/Subscription/" + id + "/$get-ws-binding-token").json();
  {
    WebsocketClient first(parameter(token, "websocket-url"));
    first.send("bind-with-token: " + parameter(token, "token"));
    EXPECT_EQ(first.read()["entry"][0]["resource"]["type"], "handshake");
  }
  WebsocketClient second(parameter(token, "websocket-url"));
  second.send("bind-with-token: " + parameter(token, "token"));
  EXPECT_THROW((void)second.read(), beast::system_error);
  EXPECT_NE(second.reason().find("already used"), std::string::npos) << second.reason();

  WebsocketClient third(parameter(token, "websocket-url"));
  third.send("hello");
  EXPECT_THROW((void)third.read(), beast::system_error);
  EXPECT_NE(third.reason().find("bind-with-token"), std::string::npos);
}

TEST_P(WebsocketSubscriptionTest, ExpiredTokensAndRestHookSubscriptionsAreRefused) {
  const std::string id = websocket_subscription();
  const nlohmann::json token = get("/Subscription/" + id + "/$get-ws-binding-token").json();
  clock_.advance(std::chrono::seconds(301));  // token lifetime 300 s
  WebsocketClient late(parameter(token, "websocket-url"));
  late.send("bind-with-token: " + parameter(token, "token"));
  EXPECT_THROW((void)late.read(), beast::system_error);
  EXPECT_NE(late.reason().find("expired"), std::string::npos);

  const std::string rest_hook = create(subscription());
  EXPECT_EQ(get("/Subscription/" + rest_hook + "/$get-ws-binding-token").status, 400);
  EXPECT_EQ(get("/Subscription/unknown/$get-ws-binding-token").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebsocketSubscriptionTest,
                         ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name);

}  // namespace
}  // namespace ptwin::server::fhir::testing
