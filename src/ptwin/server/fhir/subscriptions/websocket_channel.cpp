// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/websocket_channel.hpp"

// Boost 1.74's asio uses std::exchange without including <utility>.
#include <utility>

#include <algorithm>
#include <random>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/subscriptions/notification_bundle.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
namespace sf = store::fhir;

constexpr std::string_view kBindPrefix = "bind-with-token: ";

std::string random_token() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", random(), random());
}

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  websocket::stream<tcp::socket> stream;
  std::mutex write_mutex;
  bool is_open = true;
};

}  // namespace

struct WebsocketChannel::Impl {
  Impl(sf::ResourceStore& s, const time::Clock& c, WebsocketSettings w)
      : store(s), clock(c), settings(std::move(w)), acceptor(context) {}

  std::optional<std::string> handshake(const std::string& subscription_id);
  void serve(std::shared_ptr<Connection> connection);
  void accept_loop();

  sf::ResourceStore& store;
  const time::Clock& clock;
  WebsocketSettings settings;
  asio::io_context context;
  tcp::acceptor acceptor;
  std::thread accept_thread;
  mutable std::mutex mutex;  // guards everything below
  std::map<std::string, BindingToken, std::less<>> tokens;
  std::multimap<std::string, std::shared_ptr<Connection>, std::less<>> bound;
  std::vector<std::shared_ptr<Connection>> connections;
  std::vector<std::thread> connection_threads;
  bool is_stopped = false;
};

std::optional<std::string> WebsocketChannel::Impl::handshake(const std::string& subscription_id) {
  const auto transaction = store.begin(sf::TransactionMode::ReadOnly);
  const sf::ReadResult found = transaction->read("Subscription", subscription_id);
  if (found.status != sf::ReadStatus::Found) return std::nullopt;
  const nlohmann::json subscription = nlohmann::json::parse(found.version->json);
  const std::int64_t last =
      transaction->subscription_event_counters(subscription_id).last_event_number;
  transaction->commit();
  const std::string canonical = subscription.value("topic", std::string());
  const NotificationSubject subject{.base_url = settings.base_url,
                                    .subscription_id = subscription_id,
                                    .topic_url = canonical.substr(0, canonical.find('|')),
                                    .status = subscription.value("status", std::string())};
  return notification_bundle(
             subject, NotificationType::Handshake, last, {}, PayloadContent::Empty,
             [](const sf::SubscriptionEvent&) { return std::optional<nlohmann::json>(); },
             clock.now())
      .dump();
}

void WebsocketChannel::Impl::serve(std::shared_ptr<Connection> connection) {
  const auto logger = logging::zone_logger("server");
  beast::error_code error;
  connection->stream.accept(error);
  if (error) return;
  beast::flat_buffer buffer;
  connection->stream.read(buffer, error);
  if (error) return;
  const std::string message = beast::buffers_to_string(buffer.data());
  std::vector<std::string> subscription_ids;
  std::string refusal;
  {
    const std::lock_guard lock(mutex);
    const std::string token =
        message.starts_with(kBindPrefix) ? message.substr(kBindPrefix.size()) : std::string();
    const auto found = tokens.find(token);
    if (!message.starts_with(kBindPrefix)) {
      refusal = "the first message must be 'bind-with-token: <token>'";
    } else if (found == tokens.end()) {
      refusal = "unknown or already used token; ask $get-ws-binding-token for a new one";
    } else if (clock.now() >= found->second.expiration) {
      refusal = "the token has expired; ask $get-ws-binding-token for a new one";
      tokens.erase(found);
    } else {
      subscription_ids = found->second.subscription_ids;
      tokens.erase(found);  // single use
    }
  }
  if (!refusal.empty()) {
    logger->warn("websocket bind refused reason={}", refusal);
    connection->stream.close(websocket::close_reason(websocket::close_code::policy_error, refusal),
                             error);
    return;
  }
  connection->stream.text(true);
  // Bound before the handshakes are written, under the write lock: a notification sent
  // meanwhile waits for the lock, so the client always reads its handshakes first.
  const std::lock_guard write_lock(connection->write_mutex);
  {
    const std::lock_guard lock(mutex);
    for (const std::string& id : subscription_ids) bound.emplace(id, connection);
  }
  for (const std::string& id : subscription_ids) {
    const std::optional<std::string> bundle = handshake(id);
    if (!bundle) continue;
    connection->stream.write(asio::buffer(*bundle), error);
    if (error) {
      const std::lock_guard lock(mutex);
      std::erase_if(bound, [&](const auto& entry) { return entry.second == connection; });
      return;
    }
  }
  logger->info("websocket bound subscriptions={}", subscription_ids.size());
}

void WebsocketChannel::Impl::accept_loop() {
  while (true) {
    tcp::socket socket(context);
    beast::error_code error;
    acceptor.accept(socket, error);
    const std::lock_guard lock(mutex);
    if (is_stopped) return;
    if (error) continue;
    auto connection = std::make_shared<Connection>(std::move(socket));
    connections.push_back(connection);
    connection_threads.emplace_back([this, connection] { serve(connection); });
  }
}

WebsocketChannel::WebsocketChannel(sf::ResourceStore& store, const time::Clock& clock,
                                   WebsocketSettings settings)
    : impl_(std::make_unique<Impl>(store, clock, std::move(settings))) {
  beast::error_code error;
  const auto address = asio::ip::make_address(impl_->settings.address, error);
  if (error) {
    throw InputError(ErrorCode::BadInput, "websocket.address",
                     printable_value(impl_->settings.address), "is not an IP address");
  }
  const tcp::endpoint endpoint(address, impl_->settings.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw Error(ErrorCode::Io,
                fmt::format("websocket channel cannot listen on {}:{}: {}", impl_->settings.address,
                            impl_->settings.port, error.message()));
  }
  impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
  logging::zone_logger("server")->info("websocket channel listening url={}", url());
}

WebsocketChannel::~WebsocketChannel() { stop(); }

void WebsocketChannel::stop() {
  std::vector<std::thread> threads;
  {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->is_stopped) return;
    impl_->is_stopped = true;
    beast::error_code ignored;
    // shutdown() wakes a blocking accept() on Linux; close() alone may not.
    impl_->acceptor.cancel(ignored);
    ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
    for (const auto& connection : impl_->connections) {
      connection->stream.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    }
    threads = std::move(impl_->connection_threads);
  }
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  for (auto& thread : threads) {
    if (thread.joinable()) thread.join();
  }
  const std::lock_guard lock(impl_->mutex);
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  for (const auto& connection : impl_->connections) {
    const std::lock_guard write_lock(connection->write_mutex);
    connection->stream.next_layer().close(ignored);
  }
  impl_->bound.clear();
  impl_->connections.clear();
}

BindingToken WebsocketChannel::issue_token(std::vector<std::string> subscription_ids) {
  BindingToken token{.token = random_token(),
                     .expiration = impl_->clock.now() + impl_->settings.token_lifetime,
                     .subscription_ids = std::move(subscription_ids),
                     .websocket_url = url()};
  const std::lock_guard lock(impl_->mutex);
  // Forget expired tokens so that an unused one does not stay forever.
  std::erase_if(impl_->tokens,
                [&](const auto& entry) { return impl_->clock.now() >= entry.second.expiration; });
  impl_->tokens.emplace(token.token, token);
  return token;
}

std::string WebsocketChannel::url() const {
  beast::error_code error;
  const auto endpoint = impl_->acceptor.local_endpoint(error);
  return fmt::format("ws://{}:{}", impl_->settings.address,
                     error ? impl_->settings.port : endpoint.port());
}

bool WebsocketChannel::is_bound(std::string_view subscription_id) const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->bound.find(subscription_id) != impl_->bound.end();
}

bool WebsocketChannel::send(std::string_view subscription_id, const std::string& text) {
  std::vector<std::shared_ptr<Connection>> targets;
  {
    const std::lock_guard lock(impl_->mutex);
    const auto [first, last] = impl_->bound.equal_range(subscription_id);
    for (auto it = first; it != last; ++it) targets.push_back(it->second);
  }
  bool is_sent = false;
  for (const auto& connection : targets) {
    beast::error_code error;
    {
      const std::lock_guard write_lock(connection->write_mutex);
      connection->stream.write(asio::buffer(text), error);
    }
    if (!error) {
      is_sent = true;
      continue;
    }
    logging::zone_logger("server")->info("websocket unbound subscription={} reason={}",
                                         subscription_id, error.message());
    const std::lock_guard lock(impl_->mutex);
    std::erase_if(impl_->bound, [&](const auto& entry) { return entry.second == connection; });
  }
  return is_sent;
}

}  // namespace ptwin::server::fhir::subscriptions
