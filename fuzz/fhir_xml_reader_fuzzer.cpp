// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: FHIR XML reading (libxml2 + the R5 definitions) and writing back.
// ptwin::Error is the expected refusal. Findings besides crashes and sanitizer reports: any
// other exception; a resource read that the writer cannot write; and a round trip that
// changes it (read(write(read(x))) must equal read(x)).
// The definitions come from PTWIN_FHIR_PACKAGE_DIR (environment), else from the folder the build
// was configured with. Seeds: tests/data/bad_inputs/fhir_xml/ (docs/fhir.md#xml).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"

namespace {

namespace defs = ptwin::ingest::fhir::definitions;

const defs::Definitions& definitions() {
  static const auto loaded = [] {
    if (std::getenv(std::string(defs::kPackageDirEnvironmentVariable).c_str()) != nullptr) {
      return defs::Definitions::open();
    }
    return defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  }();
  return *loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  nlohmann::json resource;
  try {
    resource = ptwin::ingest::fhir::xml::read_fhir_xml(xml, definitions());
  } catch (const ptwin::Error&) {
    return 0;
  }
  try {
    const auto written = ptwin::ingest::fhir::xml::write_fhir_xml(resource, definitions());
    if (ptwin::ingest::fhir::xml::read_fhir_xml(written, definitions()) != resource) std::abort();
  } catch (const ptwin::Error&) {
    std::abort();  // what was read must be writable and read back the same
  }
  return 0;
}
