// SPDX-License-Identifier: Apache-2.0
// ACKs: MSA codes in original and enhanced mode, echoes, swapped applications, the message's
// delimiters, ERR segments per version, and answers to what could not be parsed.
#include <gtest/gtest.h>

#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/ingest/hl7v2/ack.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::hl7;

const time::Instant kNow = time::parse_iso8601("2024-05-01T12:30:00Z");

std::vector<std::string> acks(std::string_view message, const Disposition& disposition) {
  int counter = 0;
  return build_acks(read_ack_context(message), disposition,
                    [&counter] { return "ACK" + std::to_string(++counter); }, kNow);
}

Problem unit_problem() {
  return Problem{"src: OBX[2]-6: 'mmHgg' is not a unit ptwin can read [unknown-unit]",
                 ErrorCode::UnknownUnit, ConditionCode::TableValueNotFound, {"OBX", 2, 6}};
}

TEST(Hl7v2Ack, AcceptsWithAaEchoingTheControlIdAndSwappingTheApplications) {
  const auto answers = acks(test_support::good_oru(), {AckStatus::Accepted, {}, true});
  ASSERT_EQ(answers.size(), 1U);
  EXPECT_EQ(answers[0],
            "MSH|^~\\&|PTWIN|HOSP|MONITOR|ICU|20240501123000+0000||ACK^R01^ACK|ACK1|P|2.5.1\r"
            "MSA|AA|MSG0001\r");
  const auto parsed = Message::parse(answers[0], "ack");
  EXPECT_EQ(parsed.field("MSA", 2), "MSG0001");
}

TEST(Hl7v2Ack, AnswersAnApplicationErrorWithOneErrSegmentPerProblem) {
  auto second = unit_problem();
  second.location = {"OBX", 3, 11};
  second.condition = ConditionCode::TableValueNotFound;
  second.reason = "status 'P' | not final";
  const auto answers =
      acks(test_support::good_oru(), {AckStatus::ApplicationError, {unit_problem(), second}, true});
  ASSERT_EQ(answers.size(), 1U);
  const auto ack = Message::parse(answers[0], "ack");
  EXPECT_EQ(ack.field("MSA", 1), "AE");
  EXPECT_EQ(ack.field("MSA", 3).substr(0, 22), "src: OBX[2]-6: 'mmHgg'");
  const auto* err = ack.find("ERR");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->raw_field(2), "OBX^2^6");
  EXPECT_EQ(err->raw_field(3), "103^Table value not found^HL70357");
  EXPECT_EQ(err->value(4), "E");
  EXPECT_EQ(err->value(8), unit_problem().reason);
  EXPECT_EQ(ack.find("ERR", 2)->value(8), "status 'P' | not final") << "escaped as \\F\\";
  EXPECT_NE(answers[0].find("status 'P' \\F\\ not final"), std::string::npos);
}

TEST(Hl7v2Ack, UsesTheMessagesDelimitersAndCharset) {
  const std::string message =
      "MSH#$*@%#MON#ICU#PTWIN#HOSP#20240501120000+0000##ORU$R01#ID@F@7#P#2.8######8859/1\r";
  const auto answers = acks(message, {AckStatus::ApplicationError, {unit_problem()}, true});
  ASSERT_EQ(answers.size(), 1U);
  EXPECT_TRUE(answers[0].starts_with(
      "MSH#$*@%#PTWIN#HOSP#MON#ICU#20240501123000+0000##ACK$R01$ACK#ACK1#P#2.8######8859/1\r"
      "MSA#AE#ID@F@7\r"))
      << answers[0];
  const auto ack = Message::parse(answers[0], "ack");
  EXPECT_EQ(ack.field("MSA", 2), "ID#7");
  EXPECT_EQ(ack.find("MSA")->field_count(), 2U) << "no MSA-3 from v2.7 on";
  EXPECT_EQ(ack.find("ERR")->raw_field(2), "OBX$2$6");
}

TEST(Hl7v2Ack, WritesTheOldErrLayoutForVersions23And24) {
  const auto message = hl7({"MSH|^~\\&|A|B|C|D|20240501120000+0000||ORU^R01|9|P|2.3"});
  const auto answers = acks(message, {AckStatus::ApplicationError, {unit_problem()}, true});
  const auto ack = Message::parse(answers.at(0), "ack");
  EXPECT_EQ(ack.find("ERR")->raw_field(1), "OBX^2^6^103&Table value not found&HL70357");
  EXPECT_FALSE(ack.field("MSA", 3).empty());
}

TEST(Hl7v2Ack, RejectsWhatCannotBeParsedWithTheRecommendedDelimiters) {
  const Disposition rejected{
      AckStatus::Rejected,
      {Problem{"peer: 'hello' does not start with MSH", ErrorCode::BadInput,
               ConditionCode::SegmentSequenceError, {}}},
      true};
  for (const std::string garbage : {"hello", "", "MSH", "MSHA^~\\&|x", "\x01\x02"}) {
    const auto answers = acks(garbage, rejected);
    ASSERT_EQ(answers.size(), 1U);
    const auto ack = Message::parse(answers[0], "ack");
    EXPECT_EQ(ack.field("MSA", 1), "AR") << garbage;
    EXPECT_EQ(ack.field("MSA", 2), "");
    EXPECT_EQ(ack.field("MSH", 12), "2.5.1");
    EXPECT_EQ(ack.field("MSH", 9), "ACK");
    EXPECT_EQ(ack.find("ERR")->raw_field(2), "");
    EXPECT_EQ(ack.find("ERR")->raw_field(3), "100^Segment sequence error^HL70357");
  }
}

TEST(Hl7v2Ack, EchoesOnlyPrintableBoundedValuesValidInTheirCharacterSet) {
  const std::string utf8 = "MSH|^~\\&|M\xC3\xA9T|B\\broken|C|D|1||ORU^R01|" +
                           std::string(300, '7') + "|P|2.5.1||||||UNICODE UTF-8\r";
  const auto context = read_ack_context(utf8);
  EXPECT_EQ(context.sending_application, "M\\XC3A9\\T") << "one escape per run of bytes";
  EXPECT_EQ(context.sending_facility, "") << "an escape that no second one closes";
  EXPECT_EQ(context.control_id, "") << "longer than 199 bytes";
  EXPECT_EQ(context.charset, "UNICODE UTF-8");
  const auto answer = acks(utf8, {AckStatus::Accepted, {}, true}).at(0);
  EXPECT_EQ(Message::parse(answer, "ack").field("MSH", 5), "M\xC3\xA9T");
  // The same bytes where MSH-18 says ASCII cannot be echoed in an ASCII ACK.
  const std::string ascii = "MSH|^~\\&|M\xC3\xA9T|B|C|D|1||ORU^R01|ID\xD0|P|2.5.1\r";
  const auto ascii_context = read_ack_context(ascii);
  EXPECT_EQ(ascii_context.sending_application, "");
  EXPECT_EQ(ascii_context.control_id, "");
  EXPECT_EQ(ascii_context.charset, "");
  const auto ascii_answer = acks(ascii, {AckStatus::Rejected, {unit_problem()}, true}).at(0);
  EXPECT_EQ(Message::parse(ascii_answer, "ack").field("MSA", 2), "");
  const std::string latin1 = "MSH|^~\\&|M\xE9T|B|C|D|1||ORU^R01|1|P|2.5.1||||||8859/1\r";
  EXPECT_EQ(Message::parse(acks(latin1, {AckStatus::Accepted, {}, true}).at(0), "ack")
                .field("MSH", 5),
            "M\xC3\xA9T");
}

TEST(Hl7v2Ack, ReducesTextsToPrintableAscii) {
  Problem problem = unit_problem();
  problem.reason = "Gen\xC3\xA8ve\r\nline";
  const auto answers = acks(test_support::good_oru(),
                            {AckStatus::ApplicationError, {problem}, true});
  EXPECT_EQ(Message::parse(answers.at(0), "ack").find("ERR")->value(8), "Gen?ve??line");
}

TEST(Hl7v2Ack, ListsAtMostSixteenProblems) {
  const std::vector<Problem> problems(40, unit_problem());
  const auto answers =
      acks(test_support::good_oru(), {AckStatus::ApplicationError, problems, true});
  const auto ack = Message::parse(answers.at(0), "ack");
  EXPECT_NE(ack.find("ERR", 16), nullptr);
  EXPECT_EQ(ack.find("ERR", 17), nullptr);
  EXPECT_EQ(ack.find("ERR", 16)->value(8),
            "25 more problems are not listed; the quarantine holds them all");
}

TEST(Hl7v2Ack, AnswersARWhenTheMessageCouldNotBeStored) {
  const auto answers = acks(test_support::good_oru(), {AckStatus::Accepted, {}, false});
  EXPECT_EQ(Message::parse(answers.at(0), "ack").field("MSA", 1), "AR");
}

std::string enhanced(std::string_view accept, std::string_view application) {
  return "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120000+0000||ORU^R01|E1|P|2.5.1|||" +
         std::string(accept) + "|" + std::string(application) + "\r";
}

std::vector<std::string> codes(const std::vector<std::string>& answers) {
  std::vector<std::string> out;
  for (const auto& answer : answers) out.push_back(Message::parse(answer, "ack").field("MSA", 1));
  return out;
}

TEST(Hl7v2Ack, FollowsTheEnhancedModeConditions) {
  using V = std::vector<std::string>;
  const Disposition accepted{AckStatus::Accepted, {}, true};
  const Disposition partial{AckStatus::ApplicationError, {unit_problem()}, true};
  const Disposition refused{AckStatus::Rejected, {unit_problem()}, true};
  const Disposition failed{AckStatus::Accepted, {}, false};
  EXPECT_EQ(codes(acks(enhanced("AL", "AL"), accepted)), (V{"CA", "AA"}));
  EXPECT_EQ(codes(acks(enhanced("AL", "NE"), accepted)), (V{"CA"}));
  EXPECT_EQ(codes(acks(enhanced("AL", ""), partial)), (V{"CA"}));
  EXPECT_EQ(codes(acks(enhanced("AL", "ER"), partial)), (V{"CA", "AE"}));
  EXPECT_EQ(codes(acks(enhanced("AL", "ER"), accepted)), (V{"CA"}));
  EXPECT_EQ(codes(acks(enhanced("NE", "AL"), partial)), (V{"AE"}));
  EXPECT_EQ(codes(acks(enhanced("ER", "SU"), accepted)), (V{"AA"}));
  EXPECT_EQ(codes(acks(enhanced("ER", "AL"), refused)), (V{"CR"}));
  EXPECT_EQ(codes(acks(enhanced("SU", "AL"), refused)), (V{}));
  EXPECT_EQ(codes(acks(enhanced("AL", "AL"), failed)), (V{"CE"}));
  const auto two = acks(enhanced("AL", "AL"), accepted);
  EXPECT_EQ(Message::parse(two[0], "a").field("MSH", 10), "ACK1");
  EXPECT_EQ(Message::parse(two[1], "a").field("MSH", 10), "ACK2");
  EXPECT_EQ(Message::parse(two[1], "a").field("MSA", 2), "E1");
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
