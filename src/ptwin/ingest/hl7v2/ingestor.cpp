// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/ingestor.hpp"

#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

std::string peer_source(const InboundFrame& frame) {
  return fmt::format("hl7v2:peer {}", printable_value(frame.peer));
}

Problem frame_level_problem(const InboundFrame& frame) {
  return Problem{fmt::format("{}: {} ({} bytes)", peer_source(frame), frame_problem(frame.kind),
                             frame.bytes.size()),
                 ErrorCode::BadInput, ConditionCode::SegmentSequenceError, {}};
}

}  // namespace

Hl7v2Ingestor::Hl7v2Ingestor(store::Store& store, const time::Clock& clock,
                             Hl7v2Settings settings, FhirResourceSink sink)
    : store_(store), clock_(clock), settings_(std::move(settings)), sink_(std::move(sink)) {
  validate(settings_);
}

FrameHandler Hl7v2Ingestor::handler() {
  return [this](const InboundFrame& frame) { return ingest(frame); };
}

IngestCounts Hl7v2Ingestor::counts() const {
  const std::lock_guard lock(counts_mutex_);
  return counts_;
}

Disposition Hl7v2Ingestor::ingest(const InboundFrame& frame) {
  {
    const std::lock_guard lock(counts_mutex_);
    ++counts_.frames;
  }
  try {
    if (frame.kind != FrameKind::Message) {
      return quarantine_whole(frame, peer_source(frame), frame_level_problem(frame),
                              AckStatus::Rejected);
    }
    return ingest_message(frame);
  } catch (...) {
    // Counted so that the books balance; the caller answers the sender, who sends it again.
    const std::lock_guard lock(counts_mutex_);
    ++counts_.frames_not_stored;
    throw;
  }
}

Disposition Hl7v2Ingestor::quarantine_whole(const InboundFrame& frame, const std::string& source,
                                            const Problem& problem, AckStatus status) {
  (void)store_.quarantine({source, problem.reason, frame.bytes, clock_.now()});
  logging::zone_logger("ingest")->warn("hl7v2 frame quarantined source={} condition={} bytes={}",
                                       source, static_cast<int>(problem.condition),
                                       frame.bytes.size());
  const std::lock_guard lock(counts_mutex_);
  ++counts_.frames_quarantined;
  return {status, {problem}, true};
}

Disposition Hl7v2Ingestor::ingest_message(const InboundFrame& frame) {
  std::optional<AcceptedMessage> accepted;
  try {
    accepted = accept_message(frame.bytes, peer_source(frame), settings_);
  } catch (const InputError& error) {
    return quarantine_whole(frame, peer_source(frame), problem_of(error), AckStatus::Rejected);
  }
  const auto& header = accepted->header;
  const auto source = header.source();
  MappedMessage mapped;
  try {
    mapped = map_message(*accepted, settings_);
  } catch (const InputError& error) {
    return quarantine_whole(frame, source, problem_of(error), AckStatus::ApplicationError);
  }
  if (mapped.admission) {
    if (!sink_) {
      const Problem problem{
          fmt::format("{}: '{}^{}' ADT messages need a FHIR resource sink to keep their "
                      "Encounter, and this receiver has none configured [internal]",
                      accepted->message.source(), header.type.code, header.type.trigger),
          ErrorCode::Internal, ConditionCode::ApplicationInternalError, {}};
      return quarantine_whole(frame, source, problem, AckStatus::Rejected);
    }
    {
      const std::lock_guard lock(sink_mutex_);
      sink_(mapped.admission->patient, mapped.admission->encounter);
    }
    store_.upsert_patient(
        {mapped.admission->patient_id, mapped.admission->patient.dump(), clock_.now()});
    const std::lock_guard lock(counts_mutex_);
    ++counts_.messages_accepted;
    return {AckStatus::Accepted, {}, true};
  }
  auto& result = *mapped.observations;
  if (!result.samples.empty()) store_.append_samples(result.samples);
  std::vector<Problem> problems;
  for (const auto& rejected : result.rejected) {
    (void)store_.quarantine({source, rejected.problem.reason, rejected.raw_bytes, clock_.now()});
    problems.push_back(rejected.problem);
  }
  logging::zone_logger("ingest")->debug(
      "hl7v2 message stored source={} control_id={} samples={} rejected={}", source,
      printable_value(header.control_id), result.samples.size(), result.rejected.size());
  const std::lock_guard lock(counts_mutex_);
  counts_.samples_stored += static_cast<std::int64_t>(result.samples.size());
  counts_.segments_quarantined += static_cast<std::int64_t>(result.rejected.size());
  if (problems.empty()) {
    ++counts_.messages_accepted;
    return {AckStatus::Accepted, {}, true};
  }
  ++counts_.messages_with_rejected_segments;
  return {AckStatus::ApplicationError, std::move(problems), true};
}

}  // namespace ptwin::ingest::hl7v2
