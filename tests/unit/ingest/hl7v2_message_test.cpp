// SPDX-License-Identifier: Apache-2.0
// The ER7 parser: delimiters from MSH-1/MSH-2, segment terminators, repetitions, components,
// subcomponents, escape sequences and character sets (v2.5.1 chapter 2).
#include <gtest/gtest.h>

#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/ingest/hl7v2/escapes.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::hl7;

// The error a parse throws; fails the test when there is none.
Hl7v2Error parse_error(std::string_view bytes) {
  try {
    (void)Message::parse(bytes, "test.hl7");
  } catch (const Hl7v2Error& error) {
    return error;
  }
  ADD_FAILURE() << "accepted: " << bytes;
  return Hl7v2Error(ErrorCode::Internal, ConditionCode::ApplicationInternalError, "", "", "");
}

TEST(Hl7v2Message, ReadsFieldsComponentsAndTheMshNumbering) {
  const auto message = Message::parse(test_support::good_oru(), "test.hl7");
  EXPECT_EQ(message.segments().size(), 5U);
  EXPECT_EQ(message.field("MSH", 1), "|");
  EXPECT_EQ(message.field("MSH", 2), "^~\\&");
  EXPECT_EQ(message.field("MSH", 3), "MONITOR");
  EXPECT_EQ(message.field("MSH", 9, 1, 1), "ORU");
  EXPECT_EQ(message.field("MSH", 9, 1, 2), "R01");
  EXPECT_EQ(message.field("MSH", 9, 1, 3), "ORU_R01");
  EXPECT_EQ(message.field("MSH", 10), "MSG0001");
  EXPECT_EQ(message.field("MSH", 12), "2.5.1");
  EXPECT_EQ(message.field("OBX", 5), "72");
  EXPECT_EQ(message.field("OBX", 3, 1, 3), "LN");
  EXPECT_EQ(message.field("OBX", 99), "");
  EXPECT_EQ(message.field("ZZZ", 1), "");
  const auto* second = message.find("OBX", 2);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->label(), "OBX[2]");
  EXPECT_EQ(second->value(5), "120");
  EXPECT_EQ(second->field_count(), 11U);
  EXPECT_EQ(second->where(6, 1, 0, 0), "test.hl7: OBX[2]-6");
  EXPECT_EQ(second->where(5, 2, 1, 0), "test.hl7: OBX[2]-5(2).1");
}

TEST(Hl7v2Message, ReadsRepetitionsComponentsAndSubcomponents) {
  const auto message = Message::parse(
      hl7({test_support::kOruMsh,
           "PID|1||111^^^HOSP&1.2.3&ISO^MR~222^^^LAB^PI||Doe^Jane~Roe^J"}),
      "test.hl7");
  const auto& pid = *message.find("PID");
  EXPECT_EQ(pid.repetition_count(3), 2U);
  EXPECT_EQ(pid.component_count(3, 1), 5U);
  EXPECT_EQ(pid.value(3, 1, 4, 1), "HOSP");
  EXPECT_EQ(pid.value(3, 1, 4, 2), "1.2.3");
  EXPECT_EQ(pid.value(3, 1, 4, 3), "ISO");
  EXPECT_EQ(pid.value(3, 2, 1), "222");
  EXPECT_EQ(pid.value(3, 2, 5), "PI");
  EXPECT_EQ(pid.value(3, 3, 1), "");
  EXPECT_EQ(pid.value(5, 2, 2), "J");
  EXPECT_EQ(pid.repetition_count(4), 0U);
  EXPECT_EQ(pid.raw_field(3), "111^^^HOSP&1.2.3&ISO^MR~222^^^LAB^PI");
}

TEST(Hl7v2Message, ReadsAnyLegalChoiceOfDelimiters) {
  // Field '#', component '$', repetition '*', escape '@', subcomponent '%', truncation '!'.
  const auto message = Message::parse(
      hl7({"MSH#$*@%!#MONITOR#ICU#PTWIN#HOSP#20240501120000+0000##ORU$R01#M1#P#2.8",
           "PID#1##9$$$A%1.2%ISO$MR*8$$$B#",
           "NTE#1##pipe | caret @S@ hash @F@ bang @P@"}),
      "test.hl7");
  const Delimiters expected{'#', '$', '*', '@', '%', '!'};
  EXPECT_EQ(message.delimiters(), expected);
  EXPECT_EQ(message.field("MSH", 2), "$*@%!");
  EXPECT_EQ(message.field("MSH", 9, 1, 2), "R01");
  EXPECT_EQ(message.field("PID", 3, 1, 4, 2), "1.2");
  EXPECT_EQ(message.find("PID")->value(3, 2, 4), "B");
  EXPECT_EQ(message.field("NTE", 3), "pipe | caret $ hash # bang !");
}

TEST(Hl7v2Message, RefusesIllegalDelimitersNamingMsh1OrMsh2) {
  const auto letter = parse_error("MSHA^~\\&|X");
  EXPECT_EQ(letter.where(), "test.hl7: MSH-1");
  EXPECT_NE(std::string(letter.what()).find("not a letter or digit"), std::string::npos);
  const auto twice = parse_error("MSH|^~\\^|X\r");
  EXPECT_EQ(twice.where(), "test.hl7: MSH-2");
  EXPECT_NE(std::string(twice.what()).find("uses '^' twice"), std::string::npos);
  const auto same_as_field = parse_error("MSH|^~\\||X\r");
  EXPECT_EQ(same_as_field.where(), "test.hl7: MSH-2");
  const auto short_msh2 = parse_error("MSH|^~|X\r");
  EXPECT_EQ(short_msh2.where(), "test.hl7: MSH-2");
  EXPECT_EQ(short_msh2.value(), "^~");
  const auto space = parse_error("MSH ^~\\&|X\r");
  EXPECT_EQ(space.where(), "test.hl7: MSH-1");
}

TEST(Hl7v2Message, ToleratesLfAndCrLfAndBlankLines) {
  const std::string cr = "MSH|^~\\&|A|B\rPID|1||7^^^H^MR\rOBX|1|NM|x\r";
  const std::string lf = "MSH|^~\\&|A|B\nPID|1||7^^^H^MR\nOBX|1|NM|x\n";
  const std::string crlf = "\r\nMSH|^~\\&|A|B\r\nPID|1||7^^^H^MR\r\n\r\nOBX|1|NM|x";
  for (const auto& text : {cr, lf, crlf}) {
    const auto message = Message::parse(text, "test.hl7");
    ASSERT_EQ(message.segments().size(), 3U) << text;
    EXPECT_EQ(message.field("PID", 3, 1, 4), "H");
    EXPECT_EQ(message.field("OBX", 3), "x");
  }
}

TEST(Hl7v2Message, DecodesEscapeSequencesAfterSplitting) {
  const auto message = Message::parse(
      hl7({test_support::kOruMsh,
           "NTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f|\\X4869\\ \\H\\bold\\N\\|x\\.br\\y\\.sp2\\z"}),
      "test.hl7");
  const auto& nte = *message.find("NTE");
  EXPECT_EQ(nte.value(3), "a|b^c&d~e\\f");
  EXPECT_EQ(nte.component_count(3), 1U) << "\\S\\ must not split components";
  EXPECT_EQ(nte.value(4), "Hi bold");
  EXPECT_EQ(nte.value(5), "x\ny\n\nz");
}

TEST(Hl7v2Message, RefusesEscapesItCannotDecodeNamingTheField) {
  const auto message = Message::parse(
      hl7({test_support::kOruMsh,
           "NTE|1||open\\F|\\\\|\\C2842\\|\\Zlocal\\|\\Q\\|\\X4\\|\\XZZ\\|\\.xx\\"}),
      "test.hl7");
  const auto& nte = *message.find("NTE");
  const std::vector<std::pair<std::size_t, std::string>> cases{
      {3, "no second one closes"},
      {4, "empty escape sequence"},
      {5, "ISO 2022"},
      {6, "locally defined escape"},
      {7, "unknown escape sequence 'Q'"},
      {8, "not whole bytes"},
      {9, "non-hex digit"},
      {10, "formatting escape '.xx'"}};
  for (const auto& [field, fragment] : cases) {
    try {
      (void)nte.value(field);
      ADD_FAILURE() << "NTE-" << field << " was decoded";
    } catch (const Hl7v2Error& error) {
      EXPECT_EQ(error.where(), "test.hl7: NTE[1]-" + std::to_string(field));
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
      EXPECT_EQ(error.code(), ErrorCode::BadInput);
    }
  }
}

TEST(Hl7v2Message, EncodeTextIsUndoneByDecodeText) {
  const Delimiters delimiters{'#', '$', '*', '@', '%', '!'};
  const std::string text = "a#b$c*d@e%f!g\rh\ni|^~\\&";
  const auto encoded = encode_text(text, delimiters);
  EXPECT_EQ(encoded.find_first_of("#$*%!\r\n"), std::string::npos) << encoded;
  EXPECT_EQ(decode_text(encoded, delimiters, Charset::Ascii, "x"), text);
}

TEST(Hl7v2Message, ConvertsTheDeclaredCharacterSetToUtf8) {
  const std::string latin1 =
      "MSH|^~\\&|A|B|C|D|20240501120000+0000||ORU^R01|1|P|2.5.1||||||8859/1\r"
      "NTE|1||Gen\xE8ve \\XE9\\\r";
  EXPECT_EQ(Message::parse(latin1, "t").field("NTE", 3), "Gen\xC3\xA8ve \xC3\xA9");
  const std::string utf8 =
      "MSH|^~\\&|A|B|C|D|20240501120000+0000||ORU^R01|1|P|2.5.1||||||UNICODE UTF-8\r"
      "NTE|1||Gen\xC3\xA8ve \\XC3A9\\\r";
  EXPECT_EQ(Message::parse(utf8, "t").field("NTE", 3), "Gen\xC3\xA8ve \xC3\xA9");
  const auto message = Message::parse(latin1, "t");
  EXPECT_EQ(message.find("NTE")->raw_bytes(), "NTE|1||Gen\xE8ve \\XE9\\");
}

TEST(Hl7v2Message, RefusesBytesTheCharacterSetDoesNotAllow) {
  const auto ascii = parse_error("MSH|^~\\&|A\rNTE|1||Gen\xE8ve\r");
  EXPECT_EQ(ascii.where(), "test.hl7: NTE[1]");
  EXPECT_EQ(ascii.value(), "E|1||Gen\\xe8ve") << "bytes shown escaped, so the reason is text";
  EXPECT_NE(std::string(ascii.what()).find("byte 0xE8 at offset 10, which is not ASCII"),
            std::string::npos)
      << ascii.what();
  const auto utf8 = parse_error(
      "MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5.1||||||UNICODE UTF-8\rNTE|1||\xC3\x28\r");
  EXPECT_NE(std::string(utf8.what()).find("no valid UTF-8"), std::string::npos) << utf8.what();
  const auto overlong = parse_error(
      "MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5.1||||||UNICODE UTF-8\rNTE|1||\xE0\x80\xAF\r");
  EXPECT_NE(std::string(overlong.what()).find("byte 0xE0"), std::string::npos);
  const auto control = parse_error("MSH|^~\\&|A\rNTE|1||a\x01z\r");
  EXPECT_NE(std::string(control.what()).find("control character"), std::string::npos);
  const auto unknown = parse_error("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5.1||||||ISO IR87\r");
  EXPECT_EQ(unknown.where(), "test.hl7: MSH-18");
  EXPECT_EQ(unknown.value(), "ISO IR87");
  EXPECT_NE(std::string(unknown.what()).find("character set ptwin does not read"),
            std::string::npos);
}

TEST(Hl7v2Message, RefusesWhatIsNotOneMessage) {
  EXPECT_NE(std::string(parse_error("").what()).find("is empty"), std::string::npos);
  EXPECT_NE(std::string(parse_error("\r\n").what()).find("is empty"), std::string::npos);
  EXPECT_NE(std::string(parse_error("PID|1\r").what()).find("does not start with MSH"),
            std::string::npos);
  const auto batch = parse_error("BHS|^~\\&|A\rMSH|^~\\&|A\r");
  EXPECT_EQ(batch.where(), "test.hl7: BHS");
  EXPECT_NE(std::string(batch.what()).find("starts a batch"), std::string::npos);
  const auto second = parse_error("MSH|^~\\&|A\rMSH|^~\\&|B\r");
  EXPECT_EQ(second.where(), "test.hl7: segment 2");
  const auto bad_id = parse_error("MSH|^~\\&|A\rpid|1\r");
  EXPECT_EQ(bad_id.where(), "test.hl7: segment 2");
  EXPECT_NE(std::string(bad_id.what()).find("segment id"), std::string::npos);
  const auto glued = parse_error("MSH|^~\\&|A\rPIDX|1\r");
  EXPECT_EQ(glued.where(), "test.hl7: segment 2");
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
