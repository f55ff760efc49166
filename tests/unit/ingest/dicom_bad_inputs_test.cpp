// SPDX-License-Identifier: Apache-2.0
// The bad-input corpora of the DICOMweb readers (tests/data/bad_inputs/README.md):
//   dicom_json/json.<code>.<case>.json    parse_dicom_json_array(<file>, "corpus") throws;
//   dicom_json/series.<code>.<case>.json  it parses, and to_series_record(element 0, "") throws;
//   multipart/multipart.<code>.<case>.mime  the first line is the Content-Type, the rest the
//                                           body; parse_multipart throws.
// Each throws an InputError of the code in the name whose message holds every line of the
// .expect file. The same files seed fuzz/dicom_json_fuzzer and fuzz/multipart_fuzzer.
#include <gtest/gtest.h>

#include "../../support/bad_input_corpus.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/dicom_json.hpp"
#include "ptwin/ingest/dicom/multipart_related.hpp"
#include "ptwin/ingest/dicom/qido_records.hpp"

namespace ptwin::ingest::dicom {
namespace {

namespace fs = std::filesystem;
using ptwin::testing::CorpusCase;

const fs::path kCorpora = fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs";

template <typename Call>
void expect_rejected(const CorpusCase& bad, Call&& call) {
  SCOPED_TRACE(bad.input.filename().string());
  try {
    call();
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
    ptwin::testing::expect_fragments(error.what(), bad);
  }
}

TEST(DicomBadInputs, EveryJsonCaseIsRejected) {
  const auto cases = ptwin::testing::scoped_corpus(kCorpora / "dicom_json", ".json",
                                                   {"json", "series"}, "json");
  EXPECT_GE(cases.size(), 20U);
  for (const auto& bad : cases) {
    const auto bytes = ptwin::testing::read_bytes(bad.input);
    expect_rejected(bad, [&] { (void)parse_dicom_json_array(bytes, "corpus"); });
  }
}

TEST(DicomBadInputs, EverySeriesCaseParsesAndIsRejectedAsARecord) {
  const auto cases = ptwin::testing::scoped_corpus(kCorpora / "dicom_json", ".json",
                                                   {"json", "series"}, "series");
  EXPECT_GE(cases.size(), 6U);
  for (const auto& bad : cases) {
    const auto datasets = parse_dicom_json_array(ptwin::testing::read_bytes(bad.input), "corpus");
    ASSERT_EQ(datasets.size(), 1U) << bad.input;
    expect_rejected(bad, [&] { (void)to_series_record(datasets[0], ""); });
  }
}

TEST(DicomBadInputs, EveryMultipartCaseIsRejected) {
  const auto cases = ptwin::testing::scoped_corpus(kCorpora / "multipart", ".mime",
                                                   {"multipart"}, "multipart");
  EXPECT_GE(cases.size(), 15U);
  for (const auto& bad : cases) {
    const auto bytes = ptwin::testing::read_bytes(bad.input);
    const auto newline = bytes.find('\n');
    ASSERT_NE(newline, std::string::npos) << bad.input;
    const auto content_type = bytes.substr(0, newline);
    const auto body = bytes.substr(newline + 1);
    expect_rejected(bad, [&] { (void)parse_multipart(body, content_type, "corpus"); });
  }
}

}  // namespace
}  // namespace ptwin::ingest::dicom
