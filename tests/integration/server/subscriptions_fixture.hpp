// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR facade with topic-based subscriptions on (recorder + rest-hook delivery) over
// loopback HTTP, on SQLite or (with PTWIN_TEST_POSTGRES_URL) PostgreSQL, and a subscriber: a
// real HTTP server on 127.0.0.1 that answers 200, or 503 while `is_receiver_down` is set,
// and keeps every body it was sent. Time is a ManualClock; a test drives delivery with
// run_once(), so retries and heartbeats are exact and nothing sleeps.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fhir_facade_fixture.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/subscriptions/rest_hook_delivery.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"
#include "support/http_test_server.hpp"

namespace ptwin::server::fhir::testing {

inline constexpr std::string_view kEncounterTopic = "http://ptwin.test/SubscriptionTopic/encounter";

/// What the subscriber received: each POST with its answer.
struct Delivery {
  nlohmann::json bundle;
  int answered = 0;
  std::map<std::string, std::string, std::less<>> headers;
  [[nodiscard]] const nlohmann::json& status() const { return bundle["entry"][0]["resource"]; }
  [[nodiscard]] std::string type() const { return status()["type"].get<std::string>(); }
  [[nodiscard]] std::vector<std::int64_t> event_numbers() const {
    std::vector<std::int64_t> numbers;
    for (const auto& event : status().value("notificationEvent", nlohmann::json::array())) {
      numbers.push_back(std::stoll(event["eventNumber"].get<std::string>()));
    }
    return numbers;
  }
};

class SubscriptionsTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() {
    definitions_ = ingest::fhir::definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
    ingest::fhir::validation::ValidatorOptions options;
    options.invariant_evaluator =
        ingest::fhir::validation::make_fhirpath_invariant_evaluator(*definitions_);
    validator_ =
        std::make_unique<ingest::fhir::validation::Validator>(*definitions_, std::move(options));
    extractor_ = std::make_unique<ingest::fhir::indexing::IndexExtractor>(*definitions_);
  }
  static void TearDownTestSuite() {
    extractor_.reset();
    validator_.reset();
    definitions_.reset();
  }

  void SetUp() override {
    const std::string unique = fmt::format("{:08x}", std::random_device{}());
    if (GetParam() == Backend::Postgres) {
      if (postgres_url() == nullptr) {
        GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set, so the PostgreSQL backend is not "
                        "tested here; run the tests under scripts/with_postgres.sh";
      }
      schema_ = "fhir_subs_" + unique;
      store_ = std::make_unique<store::fhir::PostgresResourceStore>(
          postgres_url(), clock_, store::fhir::PostgresOptions{.schema = schema_});
    } else {
      directory_ =
          std::filesystem::temp_directory_path() / fmt::format("ptwin_fhir_subs_{}", unique);
      std::filesystem::create_directories(directory_);
      store_ = std::make_unique<store::fhir::SqliteResourceStore>(directory_ / "fhir.db", clock_);
    }
    receiver_ = std::make_unique<ptwin::testing::HttpTestServer>(
        [this](const ptwin::testing::HttpRequest& request) {
          const std::lock_guard lock(mutex_);
          Delivery delivery{.bundle = nlohmann::json::parse(request.body),
                            .answered = is_receiver_down_ ? 503 : 200,
                            .headers = {}};
          for (const auto& [name, value] : request.headers) delivery.headers[name] = value;
          deliveries_.push_back(delivery);
          return ptwin::testing::HttpResponse{.status = delivery.answered,
                                              .body = "{}",
                                              .content_type = "application/fhir+json",
                                              .headers = {}};
        });
    start_server();
  }

  /// (Re)creates recorder, facade, server and delivery over the same store, as a restart does.
  void start_server() {
    delivery_.reset();
    server_.reset();
    facade_.reset();
    websocket_.reset();
    // No base URL: handshakes on the websocket name the subscription relatively.
    websocket_ = std::make_unique<subscriptions::WebsocketChannel>(
        *store_, clock_, subscriptions::WebsocketSettings{});
    recorder_ = std::make_unique<subscriptions::SubscriptionRecorder>(*store_, *definitions_,
                                                                      *extractor_, clock_);
    (void)recorder_->load();
    FhirFacadeSettings settings;
    settings.subscriptions = recorder_.get();
    settings.websocket = websocket_.get();
    facade_ = std::make_unique<FhirFacade>(*store_, *definitions_, *validator_, settings);
    server_ = std::make_unique<HttpServer>(HttpServerSettings{}, facade_->handler());
    base_ = server_->origin();
    delivery_ = std::make_unique<subscriptions::RestHookDelivery>(
        *store_, *recorder_, clock_,
        subscriptions::DeliverySettings{.base_url = base_,
                                        .first_retry_delay = std::chrono::seconds(1),
                                        .max_retry_delay = std::chrono::seconds(8),
                                        .failures_before_error = 3,
                                        .default_timeout = std::chrono::seconds(5),
                                        .max_notifications_per_round = 100,
                                        .websocket = websocket_.get(),
                                        .retention = retention_,
                                        .purge_interval = std::chrono::seconds(60),
                                        .lease_duration = std::chrono::seconds(30),
                                        .lease_owner = {}});
  }

  void TearDown() override {
    delivery_.reset();
    server_.reset();
    facade_.reset();
    websocket_.reset();
    recorder_.reset();
    receiver_.reset();
    store_.reset();
    if (!schema_.empty()) {
      PGconn* connection = PQconnectdb(postgres_url());
      PQsetNoticeProcessor(
          connection, [](void*, const char*) {}, nullptr);
      PQclear(PQexec(connection, fmt::format("DROP SCHEMA \"{}\" CASCADE", schema_).c_str()));
      PQfinish(connection);
    }
    if (!directory_.empty()) std::filesystem::remove_all(directory_);
  }

  Reply get(const std::string& path) { return http("GET", base_ + path); }
  Reply post(const std::string& path, const nlohmann::json& body) {
    return http("POST", base_ + path, body.dump(), kJson);
  }
  Reply put(const std::string& path, const nlohmann::json& body) {
    return http("PUT", base_ + path, body.dump(), kJson);
  }
  std::string create(const nlohmann::json& resource) {
    std::string path = "/";
    path += resource.at("resourceType").get<std::string>();
    const Reply reply = post(path, resource);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.status == 201 ? reply.json().value("id", "") : std::string();
  }

  static nlohmann::json topic() {
    return {{"resourceType", "SubscriptionTopic"},
            {"url", kEncounterTopic},
            {"status", "active"},
            {"resourceTrigger",
             {{{"resource", "http://hl7.org/fhir/StructureDefinition/Encounter"},
               {"supportedInteraction", {"create", "update", "delete"}}}}},
            {"canFilterBy", {{{"resource", "Encounter"}, {"filterParameter", "patient"}}}}};
  }
  nlohmann::json subscription(const std::string& content = "id-only", int max_count = 1) const {
    return {{"resourceType", "Subscription"},
            {"status", "requested"},
            {"topic", kEncounterTopic},
            {"channelType",
             {{"system", "http://terminology.hl7.org/CodeSystem/subscription-channel-type"},
              {"code", "rest-hook"}}},
            {"endpoint", receiver_->origin() + "/hook"},
            {"parameter", {{{"name", "Authorization"}, {"value", "Bearer test-token"}}}},
            {"heartbeatPeriod", 60},
            {"timeout", 5},
            {"content", content},
            {"maxCount", max_count}};
  }
  static nlohmann::json encounter(const std::string& status, const std::string& patient = "p1") {
    return {{"resourceType", "Encounter"},
            {"status", status},
            {"subject", {{"reference", "Patient/" + patient}}}};
  }

  /// Topic and a handshaken, active subscription; returns its id.
  std::string active_subscription(const std::string& content = "id-only", int max_count = 1) {
    (void)create(topic());
    const std::string id = create(subscription(content, max_count));
    const subscriptions::DeliveryRound round = delivery_->run_once();
    EXPECT_EQ(round.handshakes, 1);
    EXPECT_EQ(subscription_status(id), "active");
    return id;
  }
  std::string subscription_status(const std::string& id) {
    return get("/Subscription/" + id).json().value("status", "");
  }
  std::vector<Delivery> deliveries() {
    const std::lock_guard lock(mutex_);
    return deliveries_;
  }
  void set_receiver_down(bool is_down) {
    const std::lock_guard lock(mutex_);
    is_receiver_down_ = is_down;
  }
  /// The event numbers the subscriber acknowledged (answered 200), in arrival order.
  std::vector<std::int64_t> acknowledged_events() {
    std::vector<std::int64_t> numbers;
    for (const Delivery& delivery : deliveries()) {
      if (delivery.answered != 200 || delivery.type() != "event-notification") continue;
      for (const std::int64_t number : delivery.event_numbers()) numbers.push_back(number);
    }
    return numbers;
  }

  /// A second connection to the same database, as a second process would open.
  [[nodiscard]] std::unique_ptr<store::fhir::ResourceStore> open_second_store() {
    if (!schema_.empty()) {
      return std::make_unique<store::fhir::PostgresResourceStore>(
          postgres_url(), clock_, store::fhir::PostgresOptions{.schema = schema_});
    }
    return std::make_unique<store::fhir::SqliteResourceStore>(directory_ / "fhir.db", clock_);
  }
  /// A recorder over `store` with the stored topics and subscriptions loaded.
  [[nodiscard]] std::unique_ptr<subscriptions::SubscriptionRecorder> open_recorder(
      store::fhir::ResourceStore& store) {
    auto recorder = std::make_unique<subscriptions::SubscriptionRecorder>(store, *definitions_,
                                                                          *extractor_, clock_);
    (void)recorder->load();
    return recorder;
  }

  time::ManualClock clock_{time::parse_iso8601("2024-05-01T12:00:00Z")};
  std::unique_ptr<store::fhir::ResourceStore> store_;
  std::unique_ptr<subscriptions::SubscriptionRecorder> recorder_;
  std::unique_ptr<FhirFacade> facade_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<subscriptions::WebsocketChannel> websocket_;
  std::unique_ptr<subscriptions::RestHookDelivery> delivery_;
  std::unique_ptr<ptwin::testing::HttpTestServer> receiver_;
  std::string base_;
  /// The delivery's retention (start_server() reads it).
  std::optional<std::chrono::seconds> retention_;

 private:
  static inline std::unique_ptr<ingest::fhir::definitions::Definitions> definitions_;
  static inline std::unique_ptr<ingest::fhir::validation::Validator> validator_;
  static inline std::unique_ptr<ingest::fhir::indexing::IndexExtractor> extractor_;
  std::mutex mutex_;
  bool is_receiver_down_ = false;
  std::vector<Delivery> deliveries_;
  std::string schema_;
  std::filesystem::path directory_;
};

}  // namespace ptwin::server::fhir::testing
