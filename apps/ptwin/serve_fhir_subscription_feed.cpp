// SPDX-License-Identifier: Apache-2.0
// The FHIR subscription feed of `ptwin serve`
// (docs/subscriptions.md#into-the-twin): a rest-hook endpoint
// (NotificationEndpoint + SubscriptionReceiver, which recovers lost events with
// $events and reads id-only focuses from the EHR) whose events TwinEventRouter
// turns into samples, Patient records and quarantine entries, through a
// SampleTapStore so that stored samples reach the sample stream. The
// Subscription is created on the EHR with PUT under a fixed id, so that the
// receiver knows it before the EHR's handshake arrives.
#include <fmt/format.h>

#include <cstdio>
#include <mutex>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"
#include "ptwin/ingest/fhir/notifications/twin_event_router.hpp"
#include "ptwin/ingest/stream/sample_tap_store.hpp"
#include "ptwin/server/fhir/subscriptions/notification_endpoint.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "served_feed.hpp"

namespace ptwin::app {
namespace {

namespace notifications = ingest::fhir::notifications;

constexpr std::string_view kNotificationPath = "/notifications";

ingest::fhir::FhirClientSettings client_settings(const FhirSubscriptionFeedConfig& config) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = config.ehr_base_url;
  settings.timeout = std::chrono::seconds(30);
  return settings;
}

nlohmann::json subscription_resource(const FhirSubscriptionFeedConfig& config,
                                     const std::string& endpoint_url) {
  nlohmann::json subscription{
      {"resourceType", "Subscription"},
      {"id", config.subscription_id},
      {"name", "ptwin serve"},
      {"status", "requested"},
      {"topic", config.topic},
      {"channelType",
       {{"system", "http://terminology.hl7.org/CodeSystem/subscription-channel-type"},
        {"code", "rest-hook"}}},
      {"endpoint", endpoint_url},
      {"heartbeatPeriod", config.heartbeat_period_s},
      {"timeout", 30},
      {"contentType", "application/fhir+json"},
      // The twin reads each focus from the EHR: no patient data travel in the
      // notification.
      {"content", "id-only"}};
  for (const auto& [parameter, value] : config.filter) {
    subscription["filterBy"].push_back({{"filterParameter", parameter}, {"value", value}});
  }
  return subscription;
}

class FhirSubscriptionFeed final : public ServedFeed {
 public:
  FhirSubscriptionFeed(const FhirSubscriptionFeedConfig& config, const FeedContext& context)
      : config_(config),
        clock_(context.clock),
        cursors_(context.cursors),
        cursor_name_(fmt::format("fhir_subscription {}/Subscription/{}", config.ehr_base_url,
                                 config.subscription_id)),
        tap_(context.store, context.stream, "fhir_subscription", context.clock),
        receiver_client_(client_settings(config)),
        router_(tap_, context.clock, config.subscription_id),
        // The event number is saved after the event is stored: a crash between the two hands
        // that one event to the twin again after the restart (at least once, never lost).
        receiver_(
            receiver_client_, config.subscription_id,
            [this, route = router_.handler()](const notifications::ReceivedEvent& event) {
              route(event);
              cursors_.save_feed_cursor(cursor_name_, event.event_number);
            },
            cursors_.feed_cursor(cursor_name_).value_or(0)),
        endpoint_(receiver_, context.clock,
                  [&store = context.store](const store::QuarantineEntry& entry) {
                    (void)store.quarantine(entry);
                  }),
        server_(server::HttpServerSettings{.address = config.address,
                                           .port = static_cast<std::uint16_t>(config.port),
                                           .threads = 2,
                                           .max_body_bytes = 16U * 1024U * 1024U,
                                           .read_timeout = std::chrono::seconds(30),
                                           .idle_timeout = std::chrono::seconds(60)},
                [this](const server::HttpRequest& request) { return handle(request); }),
        endpoint_url_(server_.origin() + std::string(kNotificationPath)) {
    ingest::fhir::FhirClient client(client_settings(config_));
    (void)client.update(subscription_resource(config_, endpoint_url_));
    catch_up();
  }
  ~FhirSubscriptionFeed() override { server_.stop(); }

  [[nodiscard]] std::string_view name() const override { return "fhir_subscription"; }
  [[nodiscard]] std::string describe() const override {
    return fmt::format("Subscription/{} on {} topic={} notifications at {}",
                       config_.subscription_id, config_.ehr_base_url, config_.topic, endpoint_url_);
  }
  [[nodiscard]] FeedCounts counts() const override {
    const auto c = endpoint_.counts();
    const auto u = [](std::int64_t value) { return static_cast<std::uint64_t>(value); };
    const std::lock_guard lock(snapshot_mutex_);
    return {.received = u(c.received),
            .accepted = u(c.accepted),
            .quarantined = u(c.refused),
            .not_stored = u(c.failed),
            .pending = u(c.received - c.accepted - c.refused - c.failed),
            .samples_stored = u(routed_.samples_stored)};
  }
  [[nodiscard]] nlohmann::json status() const override {
    const std::lock_guard lock(snapshot_mutex_);
    return {{"subscription", "Subscription/" + config_.subscription_id},
            {"endpoint", endpoint_url_},
            {"last_event_handled", last_handled_},
            {"catch_up", catch_up_},
            {"events",
             {{"total", routed_.events},
              {"observations_used", routed_.observations_used},
              {"patients_updated", routed_.patients_updated},
              {"quarantined", routed_.quarantined},
              {"deletions", routed_.deletions},
              {"not_for_the_twin", routed_.not_for_the_twin},
              {"twin_outputs", routed_.twin_outputs}}}};
  }
  void stop() override { server_.stop(); }

 private:
  server::HttpResponse handle(const server::HttpRequest& request) {
    if (request.path() != kNotificationPath) {
      return server::HttpResponse::with_body(404, "text/plain",
                                             "POST notifications to /notifications\n");
    }
    // One notification at a time (event order matters; the endpoint serialises
    // too), so the router's counts can be copied here without a race.
    const std::lock_guard lock(handle_mutex_);
    const ingest::stream::SampleTapStore::Receipt receipt(tap_, clock_.now());
    auto response = endpoint_.handle(request);
    const std::lock_guard snapshot(snapshot_mutex_);
    routed_ = router_.counts();
    last_handled_ = receiver_.last_handled();
    return response;
  }

  // Events notified while serve was not running (docs/serve.md#restarts): from the saved
  // event number to the EHR's count in $status. A failure is logged and shown in /status; the
  // feed still runs (a later notification or heartbeat finds the gap again).
  void catch_up() {
    const std::lock_guard lock(handle_mutex_);
    const ingest::stream::SampleTapStore::Receipt receipt(tap_, clock_.now());
    const auto from = receiver_.last_handled();
    nlohmann::json summary{{"from_event", from}};
    try {
      const auto outcome = receiver_.catch_up();
      summary["recovered"] = outcome.recovered;
      fmt::print("ptwin serve: feed fhir_subscription: caught up from event {} to {} ({} "
                 "recovered with $events)\n",
                 from, receiver_.last_handled(), outcome.recovered);
    } catch (const std::exception& error) {
      summary["error"] = error.what();
      fmt::print(stderr,
                 "ptwin serve: feed fhir_subscription: catching up from event {} failed: {}\n",
                 from, error.what());
    }
    summary["to_event"] = receiver_.last_handled();
    const std::lock_guard snapshot(snapshot_mutex_);
    routed_ = router_.counts();
    last_handled_ = receiver_.last_handled();
    catch_up_ = std::move(summary);
  }

  FhirSubscriptionFeedConfig config_;
  const time::Clock& clock_;
  store::FeedCursors& cursors_;
  std::string cursor_name_;  // the row in the store's feed cursors
  ingest::stream::SampleTapStore tap_;
  ingest::fhir::FhirClient receiver_client_;  // used by the receiver only (not thread-safe)
  notifications::TwinEventRouter router_;
  notifications::SubscriptionReceiver receiver_;
  server::fhir::subscriptions::NotificationEndpoint endpoint_;
  std::mutex handle_mutex_;
  mutable std::mutex snapshot_mutex_;
  notifications::TwinRoutingCounts routed_;
  std::int64_t last_handled_ = 0;
  nlohmann::json catch_up_ = nlohmann::json::object();
  server::HttpServer server_;  // last: stopped first, while everything it calls still exists
  std::string endpoint_url_;
};

}  // namespace

std::unique_ptr<ServedFeed> start_fhir_subscription_feed(const FhirSubscriptionFeedConfig& config,
                                                         const FeedContext& context) {
  return std::make_unique<FhirSubscriptionFeed>(config, context);
}

}  // namespace ptwin::app
