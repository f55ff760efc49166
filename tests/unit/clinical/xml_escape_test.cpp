// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/xml_escape.hpp"

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

TEST(EscapeXml, ReplacesTheFiveMarkupCharacters) {
  EXPECT_EQ(escape_xml("<script>a & \"b\" 'c'</script>"),
            "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;");
}

TEST(EscapeXml, KeepsUtf8TextAndWhitespaceUnchanged) {
  const std::string text = "V\u0307 = 5.2 L/min \u00b1 0.3\t\u2212 \u00b5mol\n";
  EXPECT_EQ(escape_xml(text), text);
}

TEST(EscapeXml, RejectsControlCharacterNamingItsOffset) {
  try {
    (void)escape_xml(std::string("ab\x01", 3));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("byte 2"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("U+0001"), std::string::npos) << error.what();
  }
}

TEST(EscapeXml, RejectsInvalidUtf8) {
  EXPECT_THROW((void)escape_xml("ok \xC3("), InputError);      // truncated sequence
  EXPECT_THROW((void)escape_xml("\xE0\x80\xAF"), InputError);  // overlong '/'
  EXPECT_THROW((void)escape_xml("\xED\xA0\x80"), InputError);  // UTF-16 surrogate
}

}  // namespace
}  // namespace ptwin::clinical::report
