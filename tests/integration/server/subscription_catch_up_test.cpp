// SPDX-License-Identifier: Apache-2.0
// SubscriptionReceiver::catch_up against $status answers that are not what R5 says: each is
// refused with InputError naming the element and the value, and nothing is handled.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"
#include "support/http_test_server.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

std::string status_bundle(const std::string& status_resource) {
  return R"({"resourceType":"Bundle","type":"searchset","entry":[{"resource":)" +
         status_resource + "}]}";
}

struct BadStatus {
  std::string name;
  std::string body;
  std::string element;  // what the message must name
};

TEST(SubscriptionCatchUp, AStatusAnswerThatIsNotAnR5SubscriptionStatusIsRefusedNamingTheElement) {
  const std::vector<BadStatus> cases{
      {"not a Bundle", R"({"resourceType":"Parameters"})", "$status resourceType"},
      {"no entry", R"({"resourceType":"Bundle","type":"searchset"})", "$status entry"},
      {"no SubscriptionStatus", status_bundle(R"({"resourceType":"Patient","id":"p"})"),
       "$status entry"},
      {"another subscription",
       status_bundle(R"({"resourceType":"SubscriptionStatus","subscription":)"
                     R"({"reference":"Subscription/other"},"eventsSinceSubscriptionStart":"4"})"),
       "$status entry"},
      {"count as a JSON number",
       status_bundle(R"({"resourceType":"SubscriptionStatus","subscription":)"
                     R"({"reference":"Subscription/s1"},"eventsSinceSubscriptionStart":4})"),
       "$status SubscriptionStatus.eventsSinceSubscriptionStart"},
      {"negative count",
       status_bundle(R"({"resourceType":"SubscriptionStatus","subscription":)"
                     R"({"reference":"Subscription/s1"},"eventsSinceSubscriptionStart":"-1"})"),
       "$status SubscriptionStatus.eventsSinceSubscriptionStart"},
      {"count with trailing text",
       status_bundle(R"({"resourceType":"SubscriptionStatus","subscription":)"
                     R"({"reference":"Subscription/s1"},"eventsSinceSubscriptionStart":"4x"})"),
       "$status SubscriptionStatus.eventsSinceSubscriptionStart"},
  };
  for (const auto& bad : cases) {
    ptwin::testing::HttpTestServer ehr([&](const ptwin::testing::HttpRequest&) {
      ptwin::testing::HttpResponse response;
      response.body = bad.body;
      return response;
    });
    FhirClientSettings settings;
    settings.base_url = ehr.origin() + "/fhir";
    FhirClient client(settings);
    int handled = 0;
    SubscriptionReceiver receiver(client, "s1", [&](const ReceivedEvent&) { ++handled; }, 2);
    try {
      (void)receiver.catch_up();
      ADD_FAILURE() << bad.name << ": accepted";
    } catch (const InputError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(bad.element), std::string::npos) << bad.name << ": " << message;
    }
    EXPECT_EQ(handled, 0) << bad.name;
    EXPECT_EQ(receiver.last_handled(), 2) << bad.name;
    const auto requests = ehr.requests();
    ASSERT_EQ(requests.size(), 1U) << bad.name;
    EXPECT_EQ(requests[0].path(), "/fhir/Subscription/s1/$status") << bad.name;
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::notifications
