// SPDX-License-Identifier: Apache-2.0
// The SEG and SR readers on tests/data/bad_inputs/dicom_results: files written by ptwin and
// changed in one thing each (dcmodify), or truncated, or of the wrong kind. Each is refused
// with the error code and message fragments its name and .expect file state.
#include <gtest/gtest.h>

#include "../../support/bad_input_corpus.hpp"
#include "ptwin/clinical/dicom/measurement_report_reader.hpp"
#include "ptwin/clinical/dicom/segmentation_reader.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"

namespace ptwin::clinical::dicom {
namespace {

namespace fs = std::filesystem;
using ptwin::testing::CorpusCase;

const fs::path kCorpus =
    fs::path(PTWIN_SOURCE_DIR) / "tests" / "data" / "bad_inputs" / "dicom_results";

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

TEST(DicomResultsBadInputs, EverySegCaseIsRejected) {
  // The grid the corpus SEGs were written on: the 32 x 32 x 12 test phantom.
  geometry::phantom::VesselPhantomSpec spec;
  spec.size = {32, 32, 12};
  const auto grid = geometry::phantom::make_vessel_phantom(spec).volume.geometry;
  const auto cases = ptwin::testing::scoped_corpus(kCorpus, ".dcm", {"seg", "sr"}, "seg");
  EXPECT_GE(cases.size(), 5U);
  for (const auto& bad : cases) {
    const auto bytes = ptwin::testing::read_bytes(bad.input);
    expect_rejected(bad, [&] { (void)read_segmentation(bytes, grid, "corpus"); });
  }
}

TEST(DicomResultsBadInputs, EverySrCaseIsRejected) {
  const auto cases = ptwin::testing::scoped_corpus(kCorpus, ".dcm", {"seg", "sr"}, "sr");
  EXPECT_GE(cases.size(), 6U);
  for (const auto& bad : cases) {
    const auto bytes = ptwin::testing::read_bytes(bad.input);
    expect_rejected(bad, [&] { (void)read_measurement_report(bytes, "corpus"); });
  }
}

}  // namespace
}  // namespace ptwin::clinical::dicom
