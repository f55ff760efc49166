// SPDX-License-Identifier: Apache-2.0
#pragma once
// A FHIRPath TypeInfoProvider that remembers the answers of another one. Invariants are
// evaluated at every element occurrence (ele-1 alone about 820,000 times for the official
// examples), and each path step asks the type model twice; answering from the
// StructureDefinitions each time (a url built, two hash lookups, a scan of the children) made
// ele-1 cost 3.1 us a call, 1.8 us with this cache (docs/fhir.md#invariants). Search-index
// extraction asks the same questions for every resource of a type (docs/bulk_data.md#import).
// Used by FhirPathInvariants and IndexExtractor.

#include <cstddef>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ptwin/ingest/fhir/fhirpath/type_info.hpp"

namespace ptwin::ingest::fhir::fhirpath {

/// Thread-safe: lookups take a shared lock, a new answer the exclusive one. The source must be
/// thread-safe too (it is asked outside the lock) and give the same answer every time.
class CachedTypeInfo final : public TypeInfoProvider {
 public:
  /// At most `max_entries` answers are kept; later ones are passed through. Element names
  /// come from the data (children() asks for every JSON key), so the bound keeps hostile
  /// input from growing the cache without limit.
  explicit CachedTypeInfo(const TypeInfoProvider& source,
                          std::size_t max_entries = 100'000)
      : source_(source), max_entries_(max_entries) {}

  [[nodiscard]] std::optional<ElementInfo> element(
      std::string_view type_name, std::string_view element_name) const override;
  [[nodiscard]] std::optional<std::string> base_type(std::string_view type_name) const override;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <typename Value>
  using Map = std::unordered_map<std::string, Value, Hash, std::equal_to<>>;

  const TypeInfoProvider& source_;
  const std::size_t max_entries_;
  mutable std::shared_mutex mutex_;
  mutable Map<Map<std::optional<ElementInfo>>> elements_;  // type -> name -> answer
  mutable Map<std::optional<std::string>> bases_;
  mutable std::size_t entries_ = 0;
};

}  // namespace ptwin::ingest::fhir::fhirpath
