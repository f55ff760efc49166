// SPDX-License-Identifier: Apache-2.0
// FHIR XML read by the rules of https://hl7.org/fhir/R5/xml.html and json.html: value and id
// attributes, primitive extensions as "_name", repeats as arrays (aligned with null), choice
// names, narrative, contained and Bundle resources; and what is refused, naming the path.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/bad_input_corpus.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/ingest/fhir/xml/fhir_xml.hpp"

namespace ptwin::ingest::fhir::xml {
namespace {

using nlohmann::json;

const definitions::Definitions& core() {
  static const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  return *definitions;
}

// Synthetic patient; the shapes follow the spec's XML/JSON examples.
constexpr std::string_view kPatient = R"(<?xml version="1.0" encoding="UTF-8"?>
<Patient xmlns="http://hl7.org/fhir">
  <!-- comments are ignored -->
  <id value="p1"/>
  <text>
    <status value="generated"/>
    <div xmlns="http://www.w3.org/1999/xhtml"><p>Jane &amp; Doe</p></div>
  </text>
  <active value="true"/>
  <name>
    <family value="Doe"/>
    <given value="Jane"/>
    <given id="g2"><extension url="http://example.org/x"><valueString value="no second name"/></extension></given>
    <given value="Ann"/>
  </name>
  <gender value="female"/>
  <birthDate id="b1" value="1970-01-01">
    <extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime">
      <valueDateTime value="1970-01-01T06:30:00+01:00"/>
    </extension>
  </birthDate>
  <multipleBirthInteger value="2"/>
</Patient>)";

TEST(FhirXmlReader, MapsValuesAttributesRepeatsAndExtensions) {
  const auto patient = read_fhir_xml(kPatient, core());
  const auto expected = json::parse(R"({
    "resourceType": "Patient", "id": "p1",
    "text": {"status": "generated",
             "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Jane &amp; Doe</p></div>"},
    "active": true,
    "name": [{"family": "Doe", "given": ["Jane", null, "Ann"],
              "_given": [null, {"id": "g2", "extension": [{"url": "http://example.org/x",
                                                           "valueString": "no second name"}]}, null]}],
    "gender": "female",
    "birthDate": "1970-01-01",
    "_birthDate": {"id": "b1", "extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
        "valueDateTime": "1970-01-01T06:30:00+01:00"}]},
    "multipleBirthInteger": 2
  })");
  EXPECT_EQ(patient, expected) << json::diff(expected, patient).dump();
  // And it is a valid R5 Patient.
  const validation::Validator validator(core());
  EXPECT_TRUE(validator.validate(patient).is_valid());
}

TEST(FhirXmlReader, ReadsNumbersChoiceTypesAndResourcesInsideResources) {
  const auto bundle = read_fhir_xml(R"(<Bundle xmlns="http://hl7.org/fhir">
    <type value="collection"/>
    <entry>
      <fullUrl value="urn:uuid:0b2e1f4a-7c1d-4f0e-9b59-8a4f3e0f4d21"/>
      <resource>
        <Observation>
          <contained><Patient><id value="p"/></Patient></contained>
          <status value="final"/>
          <code><text value="MAP"/></code>
          <subject><reference value="#p"/></subject>
          <valueQuantity><value value="93.50"/><unit value="mmHg"/></valueQuantity>
        </Observation>
      </resource>
    </entry>
  </Bundle>)", core());
  const auto& observation = bundle.at("entry").at(0).at("resource");
  EXPECT_EQ(observation.at("resourceType"), "Observation");
  EXPECT_EQ(observation.at("contained").at(0).at("resourceType"), "Patient");
  EXPECT_DOUBLE_EQ(observation.at("valueQuantity").at("value").get<double>(), 93.5);
  EXPECT_TRUE(observation.at("valueQuantity").at("value").is_number_float());
}

TEST(FhirXmlReader, WriteThenReadGivesTheSameResource) {
  const auto patient = read_fhir_xml(kPatient, core());
  const auto xml = write_fhir_xml(patient, core());
  EXPECT_NE(xml.find(R"(<given id="g2"><extension url="http://example.org/x">)"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find(R"(<birthDate id="b1" value="1970-01-01">)"), std::string::npos) << xml;
  EXPECT_EQ(read_fhir_xml(xml, core()), patient);
}

// tests/data/bad_inputs/fhir_xml/document.bad-input.<case>.xml: each is refused with an
// InputError holding every line of its .expect (the path and the rule). They seed
// fuzz/fhir_xml_reader_fuzzer too.
TEST(FhirXmlReader, EveryBadInputIsRefusedNamingThePathAndTheRule) {
  const auto cases = ::ptwin::testing::scoped_corpus(
      std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/fhir_xml", ".xml",
      {"document"}, "document");
  ASSERT_GE(cases.size(), 20U);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      (void)read_fhir_xml(::ptwin::testing::read_bytes(bad.input), core());
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name);
      ::ptwin::testing::expect_fragments(error.what(), bad);
    }
  }
}

TEST(FhirXmlWriter, RefusesPropertiesTheDefinitionsDoNotHave) {
  try {
    (void)write_fhir_xml(json{{"resourceType", "Patient"}, {"colour", "red"}}, core());
    ADD_FAILURE() << "written";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("Patient.colour"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::xml
