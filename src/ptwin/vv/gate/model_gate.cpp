// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/model_gate.hpp"

#include <fmt/format.h>

#include <utility>

#include "ptwin/core/logging.hpp"

namespace ptwin::vv::gate {
namespace {

std::string describe(const ModelIdentity& m) {
  return fmt::format("{} {} (settings {})", m.name, m.version, m.settings_digest.substr(0, 12));
}

std::string failed_cases(const VerificationRecord& record) {
  std::string out;
  for (const auto& c : record.cases) {
    if (c.is_passed()) continue;
    if (!out.empty()) out += "; ";
    out += fmt::format("{}: {} = {:.6g} outside [{:.6g}, {:.6g}]", c.id, c.norm, c.observed,
                       c.lower, c.upper);
  }
  return out;
}

}  // namespace

std::string_view to_string(GateVerdict verdict) {
  switch (verdict) {
    case GateVerdict::Emit:
      return "emit";
    case GateVerdict::Unverified:
      return "unverified";
    case GateVerdict::FailedVerification:
      return "failed-verification";
    case GateVerdict::DigestMismatch:
      return "digest-mismatch";
  }
  return "unverified";
}

ModelGate::ModelGate(ModelIdentity running, VerificationRecord record)
    : running_(std::move(running)), record_(std::move(record)), verdict_(GateVerdict::Emit) {
  if (!(record_.model == running_)) {
    verdict_ = GateVerdict::DigestMismatch;
    reason_ = fmt::format(
        "the verification record is for {}, the running model is {}: its settings (or version) "
        "changed after verification; verify this model again",
        describe(record_.model), describe(running_));
  } else if (record_.status == VerificationStatus::Unverified) {
    verdict_ = GateVerdict::Unverified;
    reason_ =
        fmt::format("{} has not been verified (no verification case was run)", describe(running_));
  } else if (record_.status == VerificationStatus::Failed) {
    verdict_ = GateVerdict::FailedVerification;
    reason_ = fmt::format("{} failed verification: {}", describe(running_), failed_cases(record_));
  }
}

VerificationStatus ModelGate::status() const noexcept {
  return record_.model == running_ ? record_.status : VerificationStatus::Unverified;
}

bool ModelGate::admit(std::uint64_t outputs) {
  if (may_emit()) return true;
  withheld_ += outputs;
  if (!is_logged_.exchange(true)) {
    logging::zone_logger("vv")->warn("clinical output withheld verdict={} reason={}",
                                     to_string(verdict_), reason_);
  }
  return false;
}

}  // namespace ptwin::vv::gate
