// SPDX-License-Identifier: Apache-2.0
// The checker used by the report tests must itself be able to fail.
#include "unit/clinical/xml_wellformed.hpp"

#include <gtest/gtest.h>

namespace ptwin::clinical::report::testing {
namespace {

TEST(XmlWellformedness, AcceptsNestedElementsWithEscapedText) {
  EXPECT_EQ(xml_wellformedness_error(
                "<!DOCTYPE html>\n<a x=\"1\" y='&lt;'><b/>t &amp; &#39;&#x41;<!-- c --></a>\n"),
            std::nullopt);
}

TEST(XmlWellformedness, RejectsMismatchedEndTag) {
  const auto error = xml_wellformedness_error("<a><b></a></b>");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("does not match"), std::string::npos) << *error;
}

TEST(XmlWellformedness, RejectsBareAmpersandAndUnknownEntity) {
  EXPECT_TRUE(xml_wellformedness_error("<a>fish & chips</a>").has_value());
  EXPECT_TRUE(xml_wellformedness_error("<a>&nbsp;</a>").has_value());
}

TEST(XmlWellformedness, RejectsUnquotedDuplicateOrLessThanInAttributes) {
  EXPECT_TRUE(xml_wellformedness_error("<a x=1/>").has_value());
  EXPECT_TRUE(xml_wellformedness_error("<a x=\"1\" x=\"2\"/>").has_value());
  EXPECT_TRUE(xml_wellformedness_error("<a x=\"<\"/>").has_value());
}

TEST(XmlWellformedness, RejectsUnclosedElementAndSecondRoot) {
  EXPECT_TRUE(xml_wellformedness_error("<a><b></b>").has_value());
  EXPECT_TRUE(xml_wellformedness_error("<a/><b/>").has_value());
}

}  // namespace
}  // namespace ptwin::clinical::report::testing
