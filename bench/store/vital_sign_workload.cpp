// SPDX-License-Identifier: Apache-2.0
#include "vital_sign_workload.hpp"

#include <array>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::bench {
namespace {

namespace sf = ptwin::store::fhir;

constexpr int kPatients = 20;

struct VitalSign {
  std::string_view loinc;
  std::string_view display;
  std::string_view ucum;
  std::string_view unit;
  double base_value;
};

// LOINC codes of the R5 vital-signs profile; values are mid-range adult readings.
constexpr std::array<VitalSign, 4> kSingleValued{{
    {"8867-4", "Heart rate", "/min", "beats/minute", 62.0},
    {"9279-1", "Respiratory rate", "/min", "breaths/minute", 12.0},
    {"2708-6", "Oxygen saturation in Arterial blood", "%", "%", 94.0},
    {"8310-5", "Body temperature", "Cel", "C", 36.4},
}};

constexpr std::string_view kCategory =
    R"("category":[{"coding":[{"system":)"
    R"("http://terminology.hl7.org/CodeSystem/observation-category",)"
    R"("code":"vital-signs","display":"Vital Signs"}],"text":"Vital Signs"}])";

std::string quantity(double value, std::string_view ucum, std::string_view unit) {
  return fmt::format(
      R"({{"value":{:.1f},"unit":"{}","system":"http://unitsofmeasure.org","code":"{}"}})", value,
      unit, ucum);
}

std::string coded(std::string_view loinc, std::string_view display) {
  return fmt::format(R"({{"coding":[{{"system":"http://loinc.org","code":"{}","display":"{}"}}],)"
                     R"("text":"{}"}})",
                     loinc, display, display);
}

// Observation number `index`: patient index % 20, kind index / 20 % 5, a time that moves by a
// minute per resource.
std::string observation_json(int index) {
  const int patient = index % kPatients;
  const int kind = index / kPatients % 5;
  const std::string head =
      fmt::format(R"({{"resourceType":"Observation","status":"final",{},"code":)", kCategory);
  const std::string tail = fmt::format(
      R"("subject":{{"reference":"Patient/pt-{:04}"}},)"
      R"("effectiveDateTime":"2024-05-01T{:02}:{:02}:00Z")",
      patient, 8 + index / 60 % 12, index % 60);
  const double offset = static_cast<double>(index % 7);
  if (kind < 4) {
    const VitalSign& sign = kSingleValued[static_cast<std::size_t>(kind)];
    const double step = sign.ucum == "Cel" ? 0.1 : 1.0;  // 36.4 to 37.0 Cel
    return fmt::format(R"({}{},{},"valueQuantity":{}}})", head, coded(sign.loinc, sign.display),
                       tail, quantity(sign.base_value + offset * step, sign.ucum, sign.unit));
  }
  return fmt::format(
      R"({}{},{},"component":[{{"code":{},"valueQuantity":{}}},)"
      R"({{"code":{},"valueQuantity":{}}}]}})",
      head, coded("85354-9", "Blood pressure panel with all children optional"), tail,
      coded("8480-6", "Systolic blood pressure"), quantity(112.0 + offset, "mm[Hg]", "mmHg"),
      coded("8462-4", "Diastolic blood pressure"), quantity(71.0 + offset, "mm[Hg]", "mmHg"));
}

VitalSignWorkload build_workload() {
  namespace defs = ptwin::ingest::fhir::definitions;
  // As `ptwin fhir-serve`: the environment variable, else this build's package folder.
  std::optional<std::filesystem::path> packages;
  if (std::getenv(std::string(defs::kPackageDirEnvironmentVariable).c_str()) == nullptr) {
    packages = std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR);
  }
  const auto definitions = defs::Definitions::open(packages);
  const ptwin::ingest::fhir::indexing::IndexExtractor extractor(*definitions);
  // The facade would refuse an invalid body; so must the benchmark.
  const ptwin::ingest::fhir::validation::Validator validator(*definitions);
  VitalSignWorkload workload;
  constexpr int kResources = kPatients * 5;
  std::size_t rows = 0;
  for (int i = 0; i < kResources; ++i) {
    std::string json = observation_json(i);
    ptwin::ingest::fhir::validation::throw_if_invalid(validator.validate_text(json),
                                                      fmt::format("workload Observation {}", i));
    sf::IndexRows index = extractor.extract(nlohmann::json::parse(json)).rows;
    rows += row_count(index);
    workload.resources.push_back(
        sf::NewResource{.resource_type = "Observation", .json = std::move(json), .index = index});
  }
  workload.index_rows_per_resource = static_cast<double>(rows) / kResources;
  return workload;
}

}  // namespace

const VitalSignWorkload& vital_sign_workload() {
  static const VitalSignWorkload workload = build_workload();
  return workload;
}

std::size_t row_count(const sf::IndexRows& rows) {
  return rows.strings.size() + rows.tokens.size() + rows.dates.size() + rows.numbers.size() +
         rows.quantities.size() + rows.references.size() + rows.uris.size();
}

}  // namespace ptwin::bench
