// SPDX-License-Identifier: Apache-2.0
// multipart/related reading and writing (RFC 2046 §5.1, RFC 2387) as WADO-RS and STOW-RS use it.
#include <gtest/gtest.h>

#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/dicom/multipart_related.hpp"

namespace ptwin::ingest::dicom {
namespace {

TEST(MediaType, ParametersAreReadQuotedOrNot) {
  const auto media = parse_media_type(
      R"(Multipart/Related; type="application/dicom"; BOUNDARY=abc_123 ; start="<a;b>";)", "t");
  EXPECT_EQ(media.type, "multipart/related");
  ASSERT_NE(media.parameter("boundary"), nullptr);
  EXPECT_EQ(*media.parameter("boundary"), "abc_123");
  EXPECT_EQ(*media.parameter("type"), "application/dicom");
  EXPECT_EQ(*media.parameter("start"), "<a;b>");
  EXPECT_THROW((void)parse_media_type("multipart", "t"), InputError);
  EXPECT_THROW((void)parse_media_type("a/b; x=\"open", "t"), InputError);
  EXPECT_THROW((void)parse_media_type("a/b; x=1; x=2", "t"), InputError);
}

TEST(Multipart, BuiltBodiesReadBackByteForByte) {
  // Parts that hold CRLFs, dashes and NUL bytes, and an empty part.
  const std::string binary("DICM\0\r\n--\r\n\x01\xff", 14);
  const std::vector<std::string_view> parts{binary, "", "--not-a-boundary\r\n"};
  const auto built = build_multipart_related(parts, "application/dicom");
  EXPECT_NE(built.content_type.find("type=\"application/dicom\""), std::string::npos);
  const auto read = parse_multipart(built.body, built.content_type, "round trip");
  ASSERT_EQ(read.size(), parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(read[i].body, parts[i]) << i;
    EXPECT_EQ(read[i].content_type(), "application/dicom");
  }
}

TEST(Multipart, PreambleEpilogueAndPaddingAreIgnored) {
  const std::string body =
      "preamble text\r\n--b1 \t\r\nContent-Type: application/dicom\r\nX-Other:  v \r\n\r\n"
      "one\r\n--b1\r\n\r\ntwo\r\n--b1--\r\nepilogue";
  const auto parts = parse_multipart(body, "multipart/related; boundary=\"b1\"", "t");
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0].body, "one");
  EXPECT_EQ(parts[0].headers.at("x-other"), "v");
  EXPECT_EQ(parts[1].body, "two");
  EXPECT_TRUE(parts[1].headers.empty());
}

TEST(Multipart, TruncatedBodyIsRefusedWithItsOffset) {
  const std::string body = "--b\r\nContent-Type: application/dicom\r\n\r\nDICM....";
  try {
    (void)parse_multipart(body, "multipart/related; boundary=b", "wado");
    FAIL();
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("wado: part 0 at byte"), std::string::npos) << message;
    EXPECT_NE(message.find("close delimiter"), std::string::npos) << message;
  }
}

TEST(Multipart, ContentTypeWithoutUsableBoundaryIsRefused) {
  EXPECT_THROW((void)parse_multipart("--b--", "application/dicom", "t"), InputError);
  EXPECT_THROW((void)parse_multipart("--b--", "multipart/related", "t"), InputError);
  EXPECT_THROW((void)parse_multipart("--b--", "multipart/related; boundary=\"\"", "t"), InputError);
  EXPECT_THROW((void)parse_multipart("--b--", "multipart/related; boundary=\"a\x01\"", "t"), InputError);
  EXPECT_THROW((void)parse_multipart("--b--",
                                     "multipart/related; boundary=" + std::string(71, 'x'), "t"),
               InputError);
  EXPECT_NO_THROW((void)parse_multipart("--b--", "multipart/related; boundary=b", "t"));
}

}  // namespace
}  // namespace ptwin::ingest::dicom
