// SPDX-License-Identifier: Apache-2.0
#pragma once
// The V&V gate between a model and the clinic (DESIGN.md: nothing reaches zone 3 without
// passing it). It answers "may this model emit clinical output?" from the running model's
// identity and a verification record:
//   - record for another name, version or settings digest -> withheld (the settings changed
//     after verification, or the record belongs to another model);
//   - record unverified or failed -> withheld, naming the failed cases;
//   - record passed for exactly this identity -> may emit.
// Every output offered while withheld is counted; the reason is logged once (warn), at the
// first withheld output, and is always available from reason().
//
// Thread-safe: admit() may be called from several feed threads.

#include <atomic>
#include <cstdint>
#include <string>

#include "ptwin/vv/gate/verification_record.hpp"

namespace ptwin::vv::gate {

enum class GateVerdict {
  Emit,        // verified, digests match
  Unverified,  // no verification cases were run for this model
  FailedVerification,
  DigestMismatch,  // the record is for another identity
};

[[nodiscard]] std::string_view to_string(GateVerdict verdict);

class ModelGate {
 public:
  ModelGate(ModelIdentity running, VerificationRecord record);

  [[nodiscard]] GateVerdict verdict() const noexcept { return verdict_; }
  [[nodiscard]] bool may_emit() const noexcept { return verdict_ == GateVerdict::Emit; }
  /// Why output is withheld ("" when it may be emitted).
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
  [[nodiscard]] const ModelIdentity& model() const noexcept { return running_; }
  [[nodiscard]] const VerificationRecord& record() const noexcept { return record_; }
  /// The verification status of the running model: the record's status when the record is
  /// for this identity, otherwise Unverified.
  [[nodiscard]] VerificationStatus status() const noexcept;

  /// Offers `outputs` resources for emission: true when they may be emitted; otherwise counts
  /// them as withheld (and logs the reason the first time).
  [[nodiscard]] bool admit(std::uint64_t outputs = 1);
  [[nodiscard]] std::uint64_t withheld() const noexcept { return withheld_.load(); }

 private:
  ModelIdentity running_;
  VerificationRecord record_;
  GateVerdict verdict_;
  std::string reason_;
  std::atomic<std::uint64_t> withheld_{0};
  std::atomic<bool> is_logged_{false};
};

}  // namespace ptwin::vv::gate
