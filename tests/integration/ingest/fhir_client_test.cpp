// SPDX-License-Identifier: Apache-2.0
// FhirClient against a scripted server: what it sends (paths, query encoding, headers), how it
// pages, and that every failure is an error naming the URL rather than an empty result.

#include "ptwin/ingest/fhir/client/fhir_client.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "support/http_test_server.hpp"

namespace ptwin::ingest::fhir {
namespace {

using nlohmann::json;
using ptwin::testing::HttpRequest;
using ptwin::testing::HttpResponse;
using ptwin::testing::HttpTestServer;

HttpResponse fhir(const json& body, int status = 200) { return {status, body.dump(), "application/fhir+json", {}}; }

json patient(const std::string& id) {
  return {{"resourceType", "Patient"}, {"id", id}, {"birthDate", "1961-04-12"}};
}

json observation(const std::string& id) {
  return {{"resourceType", "Observation"},
          {"id", id},
          {"status", "final"},
          {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8867-4"}}}}}},
          {"subject", {{"reference", "Patient/p1"}}}};
}

json searchset(std::vector<json> matches, std::optional<std::string> next = {},
               std::vector<json> includes = {}) {
  json bundle{{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", json::array()}};
  for (auto& r : matches) bundle["entry"].push_back({{"resource", r}, {"search", {{"mode", "match"}}}});
  for (auto& r : includes) bundle["entry"].push_back({{"resource", r}, {"search", {{"mode", "include"}}}});
  if (next) bundle["link"] = json::array({{{"relation", "next"}, {"url", *next}}});
  return bundle;
}

json outcome(const std::string& diagnostics, const std::string& expression) {
  return {{"resourceType", "OperationOutcome"},
          {"issue",
           {{{"severity", "error"},
             {"code", "not-found"},
             {"diagnostics", diagnostics},
             {"expression", {expression}}}}}};
}

FhirClient client_for(const HttpTestServer& server, std::string path = "/fhir") {
  FhirClientSettings settings;
  settings.base_url = server.origin() + path;
  settings.bearer_token = "token-123";
  settings.timeout = std::chrono::milliseconds(2000);
  return FhirClient(settings);
}

TEST(FhirClient, ReadSendsJsonAcceptAndBearerTokenAndReturnsTheResource) {
  HttpTestServer server([](const HttpRequest& r) {
    return r.target == "/fhir/Patient/p1" ? fhir(patient("p1")) : fhir(outcome("no", "x"), 404);
  });
  auto client = client_for(server);
  const auto resource = client.read("Patient", "p1");
  EXPECT_EQ(resource.at("id"), "p1");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].headers.at("accept"), "application/fhir+json");
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer token-123");
}

TEST(FhirClient, VreadAndCapabilitiesUseTheirPaths) {
  HttpTestServer server([](const HttpRequest& r) {
    if (r.target == "/fhir/metadata") {
      return fhir({{"resourceType", "CapabilityStatement"}, {"fhirVersion", "5.0.0"}});
    }
    if (r.target == "/fhir/Patient/p1/_history/2") {
      auto p = patient("p1");
      p["meta"] = {{"versionId", "2"}};
      return fhir(p);
    }
    return fhir(outcome("unexpected " + r.target, "x"), 404);
  });
  auto client = client_for(server, "/fhir/");  // a trailing slash is dropped
  EXPECT_EQ(client.capabilities().at("fhirVersion"), "5.0.0");
  EXPECT_EQ(client.vread("Patient", "p1", "2").at("meta").at("versionId"), "2");
}

TEST(FhirClient, AnInstanceOperationKeepsTheDollarAndEncodesItsParameters) {
  HttpTestServer server([](const HttpRequest&) {
    return fhir({{"resourceType", "Bundle"}, {"type", "subscription-notification"}});
  });
  FhirClientSettings settings;
  settings.base_url = server.origin() + "/fhir";
  FhirClient client(settings);
  const json answer = client.instance_operation(
      "Subscription", "s1", "events", {{"eventsSinceNumber", "3"}, {"eventsUntilNumber", "9"}});
  EXPECT_EQ(answer["type"], "subscription-notification");
  EXPECT_EQ(server.requests().at(0).target,
            "/fhir/Subscription/s1/$events?eventsSinceNumber=3&eventsUntilNumber=9");
  EXPECT_THROW((void)client.instance_operation("Subscription", "s1", "$events", {}), InputError);
  EXPECT_THROW((void)client.instance_operation("Subscription", "s1", "events/../x", {}),
               InputError);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(FhirClient, AnErrorStatusQuotesTheOperationOutcome) {
  HttpTestServer server([](const HttpRequest&) {
    return fhir(outcome("Resource Patient/zz is not known", "Patient.id"), 404);
  });
  auto client = client_for(server);
  try {
    (void)client.read("Patient", "zz");
    FAIL() << "expected FhirClientError";
  } catch (const FhirClientError& error) {
    EXPECT_EQ(error.http_status(), 404);
    EXPECT_EQ(error.url(), server.origin() + "/fhir/Patient/zz");
    const std::string message = error.what();
    EXPECT_NE(message.find("HTTP 404"), std::string::npos) << message;
    EXPECT_NE(message.find("Resource Patient/zz is not known at Patient.id"), std::string::npos)
        << message;
  }
}

TEST(FhirClient, AWrongResourceTypeOrABodyThatIsNotFhirIsAnError) {
  HttpTestServer server([](const HttpRequest& r) {
    if (r.target == "/fhir/Patient/p1") return fhir(observation("o1"));
    return HttpResponse{200, "<html>login</html>", "text/html", {}};
  });
  auto client = client_for(server);
  EXPECT_THROW((void)client.read("Patient", "p1"), FhirClientError);
  EXPECT_THROW((void)client.read("Patient", "p2"), FhirClientError);
}

TEST(FhirClient, SearchEncodesParametersKeepingFhirSeparatorsReadable) {
  HttpTestServer server([](const HttpRequest&) { return fhir(searchset({observation("o1")})); });
  auto client = client_for(server);
  const auto page = client.search(
      "Observation", {{"code", "http://loinc.org|8867-4,http://loinc.org|8480-6"},
                      {"date", "ge2024-01-01T00:00:00+01:00"},
                      {"subject:Patient.name:exact", "Ann Smith"}});
  ASSERT_EQ(page.matches.size(), 1U);
  const auto target = server.requests().at(0).target;
  EXPECT_EQ(target,
            "/fhir/Observation?code=http://loinc.org|8867-4,http://loinc.org|8480-6"
            "&date=ge2024-01-01T00:00:00%2B01:00&subject:Patient.name:exact=Ann%20Smith");
}

TEST(FhirClient, SearchAllFollowsNextLinksAndSeparatesIncludes) {
  std::string origin;
  HttpTestServer server([&origin](const HttpRequest& r) {
    if (r.target == "/fhir/Observation?patient=Patient/p1&_include=Observation:subject") {
      return fhir(searchset({observation("o1"), observation("o2")},
                            origin + "/fhir/Observation?page=2", {patient("p1")}));
    }
    if (r.target == "/fhir/Observation?page=2") {
      return fhir(searchset({observation("o3")}, origin + "/fhir/Observation?page=3"));
    }
    if (r.target == "/fhir/Observation?page=3") return fhir(searchset({observation("o4")}));
    return fhir(outcome("unexpected " + r.target, "x"), 400);
  });
  origin = server.origin();
  auto client = client_for(server);
  const auto all = client.search_all(
      "Observation", {{"patient", "Patient/p1"}, {"_include", "Observation:subject"}});
  ASSERT_EQ(all.matches.size(), 4U);
  EXPECT_EQ(all.matches[3].at("id"), "o4");
  ASSERT_EQ(all.included.size(), 1U);
  EXPECT_EQ(all.included[0].at("resourceType"), "Patient");
  EXPECT_FALSE(all.next_url.has_value());
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(FhirClient, ANextLinkToAnotherServerIsRefused) {
  HttpTestServer server([](const HttpRequest&) {
    return fhir(searchset({observation("o1")}, std::string("http://elsewhere.example/fhir/x")));
  });
  auto client = client_for(server);
  try {
    (void)client.search("Observation", {});
    FAIL() << "expected FhirClientError";
  } catch (const FhirClientError& error) {
    EXPECT_NE(std::string(error.what()).find("leaves the server"), std::string::npos);
  }
}

TEST(FhirClient, ANextLinkOutsideTheBasePathIsRefused) {
  std::string origin;
  HttpTestServer server([&origin](const HttpRequest&) {
    return fhir(searchset({observation("o1")}, origin + "/admin/Observation?page=2"));
  });
  origin = server.origin();
  auto client = client_for(server);
  EXPECT_THROW((void)client.search("Observation", {}), FhirClientError);
}

TEST(FhirClient, MorePagesThanTheBoundIsAnErrorNotATruncatedResult) {
  std::string origin;
  HttpTestServer server([&origin](const HttpRequest& r) {
    // An endless chain of pages.
    return fhir(searchset({observation("o")}, origin + "/fhir/Observation?page=" +
                                                  std::to_string(r.target.size())));
  });
  origin = server.origin();
  FhirClientSettings settings;
  settings.base_url = server.origin() + "/fhir";
  settings.max_pages = 3;
  FhirClient client(settings);
  EXPECT_THROW((void)client.search_all("Observation", {}), FhirClientError);
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST(FhirClient, PatientContextReadsThePatientAndSearchesEachType) {
  HttpTestServer server([](const HttpRequest& r) {
    if (r.target == "/fhir/Patient/p1") return fhir(patient("p1"));
    if (r.target == "/fhir/Observation?patient=Patient/p1") {
      return fhir(searchset({observation("o1"), observation("o2")}));
    }
    if (r.target == "/fhir/Condition?patient=Patient/p1") return fhir(searchset({}));
    return fhir(outcome("unexpected " + r.target, "x"), 400);
  });
  auto client = client_for(server);
  const auto context = client.patient_context("p1", {"Observation", "Condition"});
  EXPECT_EQ(context.patient.at("id"), "p1");
  EXPECT_EQ(context.resources.size(), 2U);
}

TEST(FhirClient, AnUnreachableServerIsAnErrorWithStatusZero) {
  int closed_port = 0;
  {
    HttpTestServer server([](const HttpRequest&) { return fhir(patient("p1")); });
    closed_port = server.port();
  }  // stopped: nothing listens on the port any more
  FhirClientSettings settings;
  settings.base_url = fmt::format("http://127.0.0.1:{}/fhir", closed_port);
  settings.connect_timeout = std::chrono::milliseconds(500);
  FhirClient client(settings);
  try {
    (void)client.read("Patient", "p1");
    FAIL() << "expected FhirClientError";
  } catch (const FhirClientError& error) {
    EXPECT_EQ(error.http_status(), 0);
    EXPECT_NE(std::string(error.what()).find("127.0.0.1"), std::string::npos);
  }
}

TEST(FhirClient, ASlowServerTimesOut) {
  HttpTestServer server([](const HttpRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return fhir(patient("p1"));
  });
  FhirClientSettings settings;
  settings.base_url = server.origin() + "/fhir";
  settings.timeout = std::chrono::milliseconds(150);
  FhirClient client(settings);
  EXPECT_THROW((void)client.read("Patient", "p1"), FhirClientError);
}

TEST(FhirClient, BadArgumentsAreInputErrorsNamingTheField) {
  for (const char* url : {"ftp://x/fhir", "http://x/fhir?x=1", "http:///fhir", "fhir"}) {
    FhirClientSettings settings;
    settings.base_url = url;
    EXPECT_THROW(FhirClient{settings}, InputError) << url;
  }
  HttpTestServer server([](const HttpRequest&) { return fhir(patient("p1")); });
  auto client = client_for(server);
  try {
    (void)client.read("Patient", "../admin");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "read.id");
  }
  EXPECT_THROW((void)client.search("observation", {}), InputError);
  EXPECT_TRUE(server.requests().empty()) << "nothing may be sent for a bad argument";
}

}  // namespace
}  // namespace ptwin::ingest::fhir
