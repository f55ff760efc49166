// SPDX-License-Identifier: Apache-2.0
// The EHR poster (clinical/fhir/ehr_poster.hpp) against a scripted HTTP server on loopback: a
// resource the EHR cannot take yet (503) is retried until it lands, one it refuses (422) is
// counted and not retried, what is still queued at stop is counted as not posted, and with a
// spool on disk the next run sends it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <chrono>
#include <thread>

#include "ptwin/clinical/fhir/ehr_poster.hpp"
#include "ptwin/clinical/fhir/output_spool.hpp"
#include "ptwin/core/error.hpp"
#include "support/http_test_server.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::clinical::fhir::EhrPoster;
using ptwin::testing::HttpRequest;
using ptwin::testing::HttpResponse;
using ptwin::testing::HttpTestServer;

HttpResponse answer(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

constexpr const char* kUnavailable =
    R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"transient"}]})";

nlohmann::json observation(const std::string& id) {
  return {
      {"resourceType", "Observation"}, {"id", id}, {"status", "final"}, {"code", {{"text", "x"}}}};
}

ptwin::ingest::fhir::FhirClientSettings client_for(const std::string& base) {
  ptwin::ingest::fhir::FhirClientSettings settings;
  settings.base_url = base;
  settings.timeout = 5s;
  return settings;
}

// Waits (bounded: a hang, not a timing) until the poster's queue is empty.
void wait_drained(const EhrPoster& poster) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (poster.counts().pending != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
}

TEST(EhrPoster, RetriesAnUnavailableEhrUntilThePutLands) {
  std::atomic<int> calls{0};
  HttpTestServer ehr([&](const HttpRequest& request) {
    if (++calls <= 2) return answer(503, kUnavailable);
    return answer(201, request.body);
  });
  EhrPoster poster(client_for(ehr.origin() + "/fhir"), 20ms);
  poster.enqueue(observation("o1"));
  wait_drained(poster);
  poster.stop();
  const auto c = poster.counts();
  EXPECT_EQ(c.posted, 1u);
  EXPECT_EQ(c.failed_attempts, 2u);
  EXPECT_EQ(c.not_posted, 0u);
  const auto requests = ehr.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests.back().method, "PUT");
  EXPECT_EQ(requests.back().target, "/fhir/Observation/o1");
}

TEST(EhrPoster, ARefusalIsCountedAndNotRetried) {
  HttpTestServer ehr([](const HttpRequest& request) {
    if (request.target.ends_with("/bad")) {
      return answer(
          422,
          R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"}]})");
    }
    return answer(200, request.body);
  });
  EhrPoster poster(client_for(ehr.origin()), 20ms);
  poster.enqueue(observation("bad"));
  poster.enqueue(observation("good"));
  wait_drained(poster);
  poster.stop();
  EXPECT_EQ(poster.counts().rejected, 1u);
  EXPECT_EQ(poster.counts().posted, 1u);
  EXPECT_EQ(ehr.requests().size(), 2u);
}

TEST(EhrPoster, WhatIsQueuedAtStopIsCountedAsNotPosted) {
  std::atomic<int> calls{0};
  HttpTestServer ehr([&](const HttpRequest&) {
    ++calls;
    return answer(503, kUnavailable);
  });
  EhrPoster poster(client_for(ehr.origin()), 20ms);
  poster.enqueue(observation("o1"));
  poster.enqueue(observation("o2"));
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (calls < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  poster.stop(0ms);
  const auto c = poster.counts();
  EXPECT_EQ(c.posted, 0u);
  EXPECT_EQ(c.not_posted, 2u);
  EXPECT_GE(c.failed_attempts, 2u);
  EXPECT_EQ(c.posted + c.rejected + c.not_posted, 2u);  // every resource accounted for
}

TEST(EhrPoster, WhatWasNotPostedIsSentByTheNextRunFromTheSpool) {
  const auto spool = std::filesystem::temp_directory_path() /
                     ("ptwin-ehr-spool-" + std::to_string(::getpid()) + ".jsonl");
  std::filesystem::remove(spool);
  {
    HttpTestServer down([](const HttpRequest&) { return answer(503, kUnavailable); });
    EhrPoster poster(client_for(down.origin()), 20ms, spool);
    poster.enqueue(observation("o1"));
    poster.enqueue(observation("o2"));
    poster.stop(0ms);
    EXPECT_EQ(poster.counts().not_posted, 2u);
  }
  {
    HttpTestServer up([](const HttpRequest& request) { return answer(201, request.body); });
    EhrPoster poster(client_for(up.origin()), 20ms, spool);
    EXPECT_EQ(poster.counts().resumed, 2u);
    poster.enqueue(observation("o3"));
    wait_drained(poster);
    poster.stop();
    EXPECT_EQ(poster.counts().posted, 3u);
    const auto requests = up.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].target, "/Observation/o1");  // in the order they were queued
    EXPECT_EQ(requests[1].target, "/Observation/o2");
    EXPECT_EQ(requests[2].target, "/Observation/o3");
  }
  {
    // Everything was posted: a third run has nothing to resume, and a cut last line (a crash
    // mid-write) is skipped and counted.
    std::ofstream(spool, std::ios::app) << R"({"queued": 99, "resou)";
    const ptwin::clinical::fhir::OutputSpool reopened(spool);
    EXPECT_EQ(reopened.torn_lines(), 1u);
    HttpTestServer up([](const HttpRequest& request) { return answer(201, request.body); });
    EhrPoster poster(client_for(up.origin()), 20ms, spool);
    EXPECT_EQ(poster.counts().resumed, 0u);
  }
  std::filesystem::remove(spool);
}

TEST(OutputSpool, ALineThatIsNotARecordIsRefusedNamingFileAndLine) {
  const auto spool = std::filesystem::temp_directory_path() /
                     ("ptwin-ehr-spool-bad-" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(spool, std::ios::trunc) << "{\"queued\": 1, \"resource\": {}}\n[1, 2]\n";
  try {
    const ptwin::clinical::fhir::OutputSpool opened(spool);
    ADD_FAILURE() << "accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), spool.string() + ": line 2");
  }
  std::filesystem::remove(spool);
}

}  // namespace
