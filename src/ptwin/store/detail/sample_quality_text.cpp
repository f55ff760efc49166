// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/sample_quality_text.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store::detail {

std::string_view to_storage_text(SampleQuality quality) {
  switch (quality) {
    case SampleQuality::Good:
      return "good";
    case SampleQuality::Questionable:
      return "questionable";
    case SampleQuality::Artefact:
      return "artefact";
  }
  throw Error(ErrorCode::Internal,
              fmt::format("SampleQuality value {} has no storage text", static_cast<int>(quality)));
}

SampleQuality sample_quality_from_storage_text(std::string_view text, std::string_view where) {
  for (const SampleQuality quality :
       {SampleQuality::Good, SampleQuality::Questionable, SampleQuality::Artefact}) {
    if (text == to_storage_text(quality)) return quality;
  }
  throw Error(ErrorCode::StoreFailure,
              fmt::format("{}: stored sample quality '{}' is not good, questionable or artefact",
                          where, text));
}

}  // namespace ptwin::store::detail
