// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/cached_type_info.hpp"

#include <mutex>

namespace ptwin::ingest::fhir::fhirpath {

std::optional<ElementInfo> CachedTypeInfo::element(std::string_view type_name,
                                                             std::string_view element_name) const {
  {
    const std::shared_lock lock(mutex_);
    const auto type = elements_.find(type_name);
    if (type != elements_.end()) {
      const auto found = type->second.find(element_name);
      if (found != type->second.end()) return found->second;
    }
  }
  auto answer = source_.element(type_name, element_name);
  const std::unique_lock lock(mutex_);
  if (entries_ < max_entries_) {
    auto& names = elements_[std::string(type_name)];
    if (names.try_emplace(std::string(element_name), answer).second) ++entries_;
  }
  return answer;
}

std::optional<std::string> CachedTypeInfo::base_type(std::string_view type_name) const {
  {
    const std::shared_lock lock(mutex_);
    const auto found = bases_.find(type_name);
    if (found != bases_.end()) return found->second;
  }
  auto answer = source_.base_type(type_name);
  const std::unique_lock lock(mutex_);
  if (entries_ < max_entries_ && bases_.try_emplace(std::string(type_name), answer).second) {
    ++entries_;
  }
  return answer;
}

}  // namespace ptwin::ingest::fhir::fhirpath
