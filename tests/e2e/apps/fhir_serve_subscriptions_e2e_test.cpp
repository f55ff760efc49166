// SPDX-License-Identifier: Apache-2.0
// `ptwin fhir-serve` notifying a subscriber: a separate server process, a topic and a rest-hook
// Subscription created with the FHIR client, and a real HTTP subscriber on 127.0.0.1 that must
// receive the handshake and then an event-notification for an Encounter created afterwards,
// delivered by the server's own delivery thread (woken by the commit).

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "support/fhir_serve_process.hpp"
#include "support/http_test_server.hpp"

namespace ptwin::ingest::fhir {
namespace {

TEST(FhirServeSubscriptionsEndToEnd, TheServerHandshakesAndNotifiesARestHookSubscriber) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("ptwin_fhir_serve_subs_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory);
  std::mutex mutex;
  std::vector<nlohmann::json> received;
  std::promise<void> handshake;
  std::promise<void> notification;
  ptwin::testing::HttpTestServer subscriber([&](const ptwin::testing::HttpRequest& request) {
    const std::lock_guard lock(mutex);
    received.push_back(nlohmann::json::parse(request.body));
    if (received.size() == 1) handshake.set_value();
    if (received.size() == 2) notification.set_value();
    return ptwin::testing::HttpResponse{};
  });
  {
    // With a retention: the purge runs in the delivery rounds and must not take the events
    // that are still to be delivered.
    testing::FhirServeProcess server(PTWIN_EXECUTABLE, directory / "fhir.db",
                                     {"--event-retention-hours", "0"});
    FhirClientSettings settings;
    settings.base_url = server.base_url();
    FhirClient client(settings);
    const std::string topic_url = "http://ptwin.test/SubscriptionTopic/encounter";
    (void)client.create(
        {{"resourceType", "SubscriptionTopic"},
         {"url", topic_url},
         {"status", "active"},
         {"resourceTrigger", {{{"resource", "Encounter"}, {"supportedInteraction", {"create"}}}}}});
    const nlohmann::json subscription = client.create({{"resourceType", "Subscription"},
                                                       {"status", "requested"},
                                                       {"topic", topic_url},
                                                       {"channelType", {{"code", "rest-hook"}}},
                                                       {"endpoint", subscriber.origin() + "/hook"},
                                                       {"content", "id-only"}});
    ASSERT_EQ(handshake.get_future().wait_for(std::chrono::seconds(20)), std::future_status::ready);
    // The server activates the Subscription once the handshake was answered; events count from
    // then on, so wait for that (each read is a request, no sleep).
    const std::string id = subscription["id"].get<std::string>();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (client.read("Subscription", id)["status"] != "active" &&
           std::chrono::steady_clock::now() < deadline) {
    }
    ASSERT_EQ(client.read("Subscription", id)["status"], "active");
    const nlohmann::json encounter = client.create({{"resourceType", "Encounter"},
                                                    {"status", "planned"},
                                                    {"subject", {{"reference", "Patient/p1"}}}});
    ASSERT_EQ(notification.get_future().wait_for(std::chrono::seconds(20)),
              std::future_status::ready);
    const std::lock_guard lock(mutex);
    EXPECT_EQ(received[0]["entry"][0]["resource"]["type"], "handshake");
    const nlohmann::json& status = received[1]["entry"][0]["resource"];
    EXPECT_EQ(status["type"], "event-notification");
    EXPECT_EQ(status["notificationEvent"][0]["eventNumber"], "1");
    EXPECT_EQ(status["subscription"]["reference"],
              server.base_url() + "/Subscription/" + subscription["id"].get<std::string>());
    EXPECT_EQ(received[1]["entry"][1]["fullUrl"],
              server.base_url() + "/Encounter/" + encounter["id"].get<std::string>());
    EXPECT_EQ(client.read("Subscription", subscription["id"].get<std::string>())["status"],
              "active");
    const int exit_status = server.stop();
    EXPECT_TRUE(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0) << exit_status;
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace ptwin::ingest::fhir
