// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/output_schedule.hpp"

#include "ptwin/core/assert.hpp"

namespace ptwin::clinical::fhir {
namespace {

// FNV-1a, 64 bit (Fowler, Noll, Vo), stable across builds and platforms unlike std::hash,
// then MurmurHash3's 64-bit finaliser: ids that differ in their last character ("bed-1",
// "bed-2") would otherwise differ mostly in the high bits and share a phase region.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  hash ^= hash >> 33U;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33U;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33U;
  return hash;
}

}  // namespace

std::chrono::nanoseconds output_phase(std::string_view patient_id,
                                      std::chrono::nanoseconds interval) {
  PTWIN_ASSERT(interval.count() > 0, "an output interval is positive");
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(stable_hash(patient_id) % static_cast<std::uint64_t>(interval.count())));
}

time::Instant next_output_due(std::string_view patient_id, time::Instant last,
                              std::chrono::nanoseconds interval) {
  const auto phase = output_phase(patient_id, interval);
  const auto since = last.time_since_epoch();
  // Grid points are phase + k * interval; the first one strictly after `last`.
  auto offset = (since - phase) % interval;
  if (offset.count() < 0) offset += interval;
  const auto due = since - offset + interval;
  return time::Instant(due);
}

}  // namespace ptwin::clinical::fhir
