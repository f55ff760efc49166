// SPDX-License-Identifier: Apache-2.0
// FHIRPath as a language, without FHIR data: literals, precedence, the empty-collection and
// three-valued-logic rules of the operators, and each family of the function library. Expected
// results are those of FHIRPath N1 (http://hl7.org/fhirpath/N1); section numbers are cited
// where a rule is not obvious.
#include <gtest/gtest.h>

#include "fhirpath_test_support.hpp"
#include "ptwin/core/clock.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

using testing::error_of;
using testing::run;

TEST(FhirPathLiterals, EachKindOfLiteral) {
  EXPECT_EQ(run("true | false"), "[true, false]");
  EXPECT_EQ(run("'a\\'b\\u0041\\n'"), "['a'bA\n']");
  EXPECT_EQ(run("12"), "[12]");
  EXPECT_EQ(run("12.50"), "[12.50]");
  EXPECT_EQ(run("@2014-05"), "[@2014-05]");
  EXPECT_EQ(run("@2014-05-06T10:30+02:00"), "[@2014-05-06T10:30+02:00]");
  EXPECT_EQ(run("@T10:30:00.5"), "[@T10:30:00.500]");
  EXPECT_EQ(run("4.5 'mg'"), "[4.5 'mg']");
  EXPECT_EQ(run("3 days"), "[3 days]");
  EXPECT_EQ(run("{}"), "[]");
  EXPECT_EQ(run("`given`.empty()"), "[true]");
}

TEST(FhirPathLiterals, CommentsAreIgnored) {
  EXPECT_EQ(run("2 + /* three */ 3 // and more\n"), "[5]");
}

TEST(FhirPathPrecedence, FollowsTheSpecificationTable) {
  EXPECT_EQ(run("1 + 2 * 3 + 4"), "[11]");
  EXPECT_EQ(run("(1 | 1 is Integer).count()"), "[2]");               // is binds tighter than |
  EXPECT_EQ(run("true and '0215' in ('0215' | '0216')"), "[true]");  // in binds tighter than and
  EXPECT_EQ(run("false and true or true"), "[true]");                // and binds tighter than or
  EXPECT_EQ(run("true or false implies false"), "[false]");          // implies is loosest
  EXPECT_EQ(run("-2 * 3"), "[-6]");
  EXPECT_EQ(run("10 - 4 - 3"), "[3]");  // left-associative
  EXPECT_EQ(run("2 * 3 div 4"), "[1]");
}

TEST(FhirPathPrecedence, UnaryMinusAppliesAfterInvocation) {
  // -1.convertsToInteger() is -(1.convertsToInteger()): a Boolean cannot be negated.
  EXPECT_NE(error_of<EvaluationError>("-1.convertsToInteger()"), "");
  EXPECT_EQ(run("(-1).abs()"), "[1]");
}

TEST(FhirPathEmptyPropagation, ArithmeticAndComparisonWithEmptyAreEmpty) {
  for (const char* expression : {"1 + {}", "{} - 1", "{} * {}", "1 / {}", "{} div 2", "3 mod {}",
                                 "1 < {}", "{} >= 1", "{} = 1", "1 != {}", "-{}"}) {
    EXPECT_EQ(run(expression), "[]") << expression;
  }
}

TEST(FhirPathEmptyPropagation, OperatorsWithTheirOwnRules) {
  EXPECT_EQ(run("{} ~ {}"), "[true]");
  EXPECT_EQ(run("1 ~ {}"), "[false]");
  EXPECT_EQ(run("{} !~ 1"), "[true]");
  EXPECT_EQ(run("'a' & {}"), "['a']");
  EXPECT_EQ(run("{} & {}"), "['']");
  EXPECT_EQ(run("1 in {}"), "[false]");
  EXPECT_EQ(run("{} in (1 | 2)"), "[]");
  EXPECT_EQ(run("{} contains 1"), "[false]");
  EXPECT_EQ(run("{} | 1"), "[1]");
}

TEST(FhirPathLogic, ThreeValuedAnd) {
  EXPECT_EQ(run("true and {}"), "[]");
  EXPECT_EQ(run("false and {}"), "[false]");
  EXPECT_EQ(run("{} and false"), "[false]");
  EXPECT_EQ(run("{} and {}"), "[]");
}

TEST(FhirPathLogic, ThreeValuedOrXorImplies) {
  EXPECT_EQ(run("true or {}"), "[true]");
  EXPECT_EQ(run("false or {}"), "[]");
  EXPECT_EQ(run("{} xor true"), "[]");
  EXPECT_EQ(run("true xor false"), "[true]");
  EXPECT_EQ(run("{} implies true"), "[true]");
  EXPECT_EQ(run("{} implies false"), "[]");
  EXPECT_EQ(run("false implies {}"), "[true]");
  EXPECT_EQ(run("true implies {}"), "[]");
}

TEST(FhirPathLogic, SingletonEvaluationOfOperands) {
  EXPECT_EQ(run("true and 'text'"), "[true]");  // a single non-Boolean item counts as true
  EXPECT_NE(error_of<EvaluationError>("(true | false) and true"), "");
  EXPECT_EQ(run("(0).not()"), "[false]");
}

TEST(FhirPathEquality, CollectionsCompareItemByItemInOrder) {
  EXPECT_EQ(run("(1 | 2) = (1 | 2)"), "[true]");
  EXPECT_EQ(run("(1 | 2) = (2 | 1)"), "[false]");
  EXPECT_EQ(run("(1 | 2) ~ (2 | 1)"), "[true]");
  EXPECT_EQ(run("(1 | 2 | 3) = (1 | 2)"), "[false]");
}

TEST(FhirPathEquality, TypeSpecificRules) {
  EXPECT_EQ(run("1.10 = 1.1"), "[true]");
  EXPECT_EQ(run("1 = 1.0"), "[true]");
  EXPECT_EQ(run("'a' = 'A'"), "[false]");
  EXPECT_EQ(run("'a  B' ~ 'A b'"), "[true]");    // case and whitespace ignored
  EXPECT_EQ(run("1.2 / 1.8 ~ 0.67"), "[true]");  // rounded to the least precise
  EXPECT_EQ(run("'1' = 1"), "[false]");
  EXPECT_EQ(run("@2012-04-15 = @2012-04-15T10:00:00"), "[]");
  EXPECT_EQ(run("@2012-04-15 ~ @2012-04-15T10:00:00"), "[false]");
}

TEST(FhirPathComparison, OrdersNumbersStringsDatesAndQuantities) {
  EXPECT_EQ(run("1 < 1.5"), "[true]");
  EXPECT_EQ(run("'A' < 'a'"), "[true]");
  EXPECT_EQ(run("@2014-12-13T12:00:00 < @2014-12-13T12:00:01"), "[true]");
  EXPECT_EQ(run("@2018-03 < @2018-03-01"), "[]");
  EXPECT_EQ(run("@T10:30:00 <= @T10:30:00.0"), "[true]");
  EXPECT_EQ(run("6 days < 1 week"), "[true]");
  EXPECT_EQ(run("1 'cm' < 1 's'"), "[]");
}

TEST(FhirPathComparison, DifferentTypesAreAnError) {
  const std::string message = error_of<EvaluationError>("1 < 'a'");
  EXPECT_NE(message.find("operator '<' at position 2"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot be compared"), std::string::npos) << message;
  EXPECT_NE(error_of<EvaluationError>("(1 | 2) < 3"), "");
}

TEST(FhirPathArithmetic, NumbersStringsAndOverflow) {
  EXPECT_EQ(run("1 / 2"), "[0.5]");
  EXPECT_EQ(run("5 div 2"), "[2]");
  EXPECT_EQ(run("-5.5 div 2"), "[-2]");
  EXPECT_EQ(run("-5.5 mod 2"), "[-1.5]");
  EXPECT_EQ(run("5 mod 0"), "[]");
  EXPECT_EQ(run("1 / 0"), "[]");
  EXPECT_EQ(run("9223372036854775807 + 1"), "[]");
  EXPECT_EQ(run("'a' + 'b'"), "['ab']");
  EXPECT_NE(error_of<EvaluationError>("'a' - 'b'"), "");
  EXPECT_NE(error_of<EvaluationError>("(1 | 2) + 1"), "");
}

TEST(FhirPathArithmetic, DatesAndQuantities) {
  EXPECT_EQ(run("@1973-12-25 + 7 days"), "[@1974-01-01]");
  EXPECT_EQ(run("@1974-12-25 - 1 month"), "[@1974-11-25]");
  EXPECT_EQ(run("@2014-01-01T10:00:00Z + 90 'min'"), "[@2014-01-01T11:30:00Z]");
  EXPECT_EQ(run("@T00:30:00 - 1 hour"), "[@T23:30:00]");
  EXPECT_NE(error_of<EvaluationError>("@1973-12-25 + 1 'mo'"), "");  // UCUM month is not calendar
  EXPECT_NE(error_of<EvaluationError>("@1974-12-25 + 7"), "");
  EXPECT_EQ(run("2 'mg' * 3"), "[6 'mg']");
  EXPECT_EQ(run("(1 'kg' + 500 'g') = 1.5 'kg'"), "[true]");
}

TEST(FhirPathCollections, UnionCombineMembership) {
  EXPECT_EQ(run("(1 | 2 | 2 | 3)"), "[1, 2, 3]");
  EXPECT_EQ(run("(1 | 2).combine(2)"), "[1, 2, 2]");
  EXPECT_EQ(run("(1 | 2 | 3).intersect(2 | 4)"), "[2]");
  EXPECT_EQ(run("(1 | 2 | 3).exclude(2 | 4)"), "[1, 3]");
  EXPECT_EQ(run("2 in (1 | 2)"), "[true]");
  EXPECT_EQ(run("(1 | 2) contains 3"), "[false]");
  EXPECT_NE(error_of<EvaluationError>("(1 | 2) in (1 | 2)"), "");
}

TEST(FhirPathCollections, IndexerAndSubsetting) {
  EXPECT_EQ(run("(10 | 20 | 30)[1]"), "[20]");
  EXPECT_EQ(run("(10 | 20 | 30)[5]"), "[]");
  EXPECT_EQ(run("(10 | 20 | 30).first() | (10 | 20 | 30).last()"), "[10, 30]");
  EXPECT_EQ(run("(10 | 20 | 30).tail()"), "[20, 30]");
  EXPECT_EQ(run("(10 | 20 | 30).skip(2)"), "[30]");
  EXPECT_EQ(run("(10 | 20 | 30).take(2)"), "[10, 20]");
  EXPECT_EQ(run("{}.single()"), "[]");
  EXPECT_NE(error_of<EvaluationError>("(1 | 2).single()"), "");
}

TEST(FhirPathExistence, Functions) {
  EXPECT_EQ(run("{}.empty() | (1 | 2).exists()"), "[true]");
  EXPECT_EQ(run("(1 | 2 | 3).exists($this > 2)"), "[true]");
  EXPECT_EQ(run("(1 | 2 | 3).all($this > 0)"), "[true]");
  EXPECT_EQ(run("{}.all(false)"), "[true]");
  EXPECT_EQ(run("(true | false).allTrue()"), "[false]");
  EXPECT_EQ(run("(true | false).anyTrue()"), "[true]");
  EXPECT_EQ(run("(false).allFalse() and (true | false).anyFalse()"), "[true]");
  EXPECT_EQ(run("(1 | 2).subsetOf(1 | 2 | 3) and (1 | 2 | 3).supersetOf(3)"), "[true]");
  EXPECT_EQ(run("(1 | 2).combine(2).count()"), "[3]");
  EXPECT_EQ(run("(1 | 2).combine(2).distinct()"), "[1, 2]");
  EXPECT_EQ(run("(1 | 2).combine(2).isDistinct()"), "[false]");
  EXPECT_NE(error_of<EvaluationError>("(true | 'x').allTrue()"), "");
}

TEST(FhirPathFiltering, WhereSelectRepeatOfType) {
  EXPECT_EQ(run("(1 | 2 | 3 | 4).where($this mod 2 = 0)"), "[2, 4]");
  EXPECT_EQ(run("(1 | 2 | 3).select($this * 10)"), "[10, 20, 30]");
  EXPECT_EQ(run("(1 | 2 | 3).select(iif($index = 1, 'second', {}))"), "['second']");
  EXPECT_EQ(run("(1 | 'a' | 2.5).ofType(Integer)"), "[1]");
  EXPECT_EQ(run("(1 | 'a').ofType(System.String)"), "['a']");
  EXPECT_EQ(run("'x'.repeat('y')"), "['y']");
  EXPECT_EQ(run("(1 | 2).repeat(iif($this < 5, $this + 2, {}))"), "[3, 4, 5, 6]");
  const std::string message = error_of<EvaluationError>("'a'.repeat($this & 'a')");
  EXPECT_NE(message.find("does not stop"), std::string::npos) << message;
}

TEST(FhirPathConversion, ToAndConvertsTo) {
  EXPECT_EQ(run("'1'.toInteger() + '2.5'.toDecimal()"), "[3.5]");
  EXPECT_EQ(run("'1.5'.toInteger()"), "[]");
  EXPECT_EQ(run("'yes'.toBoolean() and 'N'.convertsToBoolean()"), "[true]");
  EXPECT_EQ(run("1.50.toString() & '|' & true.toString() & '|' & 1 'wk'.toString()"),
            "['1.50|true|1 'wk'']");
  EXPECT_EQ(run("'2015-02-04T14:34'.toDateTime()"), "[@2015-02-04T14:34]");
  EXPECT_EQ(run("'2015-02-04T14:34'.toDate()"), "[@2015-02-04]");
  EXPECT_EQ(run("'14:34:28'.toTime()"), "[@T14:34:28]");
  EXPECT_EQ(run("'4 days'.toQuantity() = 4 days"), "[true]");
  EXPECT_EQ(run("'1 wk'.convertsToQuantity()"), "[false]");
  EXPECT_EQ(run("1000 'g'.toQuantity('kg')"), "[1 'kg']");
  EXPECT_EQ(run("iif(true, 'a', 1 / 0)"), "['a']");  // the other branch is not evaluated
  EXPECT_NE(error_of<EvaluationError>("(1 | 2).toString()"), "");
}

TEST(FhirPathStrings, Functions) {
  EXPECT_EQ(run("'LogicalModel-Person'.indexOf('-')"), "[12]");
  EXPECT_EQ(run("'abcabc'.lastIndexOf('b')"), "[4]");
  EXPECT_EQ(run("'12345'.substring(2, 2)"), "['34']");
  EXPECT_EQ(run("'12345'.substring(9)"), "[]");
  EXPECT_EQ(run("'héllo'.length()"), "[5]");  // code points, not bytes
  EXPECT_EQ(run("'héllo'.substring(1, 2)"), "['él']");
  EXPECT_EQ(run("'abc'.startsWith('ab') and 'abc'.endsWith('bc') and 'abc'.contains('b')"),
            "[true]");
  EXPECT_EQ(run("'aBc'.upper() & 'aBc'.lower()"), "['ABCabc']");
  EXPECT_EQ(run("'abc'.replace('', 'x')"), "['xaxbxcx']");
  EXPECT_EQ(run("'A\nB'.matches('A.B')"), "[true]");  // single-line mode
  EXPECT_EQ(run("'abc123'.replaceMatches('([a-z]+)([0-9]+)', '$2$1')"), "['123abc']");
  EXPECT_EQ(run("'Library'.matchesFull('Lib')"), "[false]");
  EXPECT_EQ(run("'a,,c'.split(',').count()"), "[3]");
  EXPECT_EQ(run("('a' | 'b').join('-')"), "['a-b']");
  EXPECT_EQ(run("'  x '.trim()"), "['x']");
  EXPECT_EQ(run("'ab'.toChars()"), "['a', 'b']");
  EXPECT_EQ(run("'subjects?_d'.encode('urlbase64')"), "['c3ViamVjdHM_X2Q=']");
  EXPECT_EQ(run("'74657374'.decode('hex')"), "['test']");
  EXPECT_EQ(run("'<a>'.escape('html')"), "['&lt;a&gt;']");
  EXPECT_EQ(run("{}.upper()"), "[]");
  EXPECT_NE(error_of<EvaluationError>("'a'.matches('(')"), "");
  EXPECT_NE(error_of<EvaluationError>("1.startsWith('1')"), "");
}

TEST(FhirPathMath, Functions) {
  EXPECT_EQ(run("(-5).abs() | (-5.5).abs()"), "[5, 5.5]");
  EXPECT_EQ(run("(-5.5 'mg').abs()"), "[5.5 'mg']");
  EXPECT_EQ(run("1.1.ceiling() | (-2.1).floor() | (-1.56).truncate()"), "[2, -3, -1]");
  EXPECT_EQ(run("3.14159.round(3)"), "[3.142]");
  EXPECT_EQ(run("81.sqrt()"), "[9]");
  EXPECT_EQ(run("(-1).sqrt()"), "[]");
  EXPECT_EQ(run("0.exp() | 1.ln()"), "[1, 0]");
  EXPECT_EQ(run("16.log(2)"), "[4]");
  EXPECT_EQ(run("2.power(10)"), "[1024]");
  EXPECT_EQ(run("2.5.power(2)"), "[6.25]");
  EXPECT_EQ(run("2.power(64)"), "[]");  // Integer overflow
  EXPECT_NE(error_of<EvaluationError>("'a'.abs()"), "");
}

TEST(FhirPathUtility, BoundariesAndPrecision) {
  EXPECT_EQ(run("1.587.lowBoundary()"), "[1.58650000]");
  EXPECT_EQ(run("1.587.highBoundary(2)"), "[1.59]");
  EXPECT_EQ(run("(-1.587).lowBoundary(2)"), "[-1.59]");
  EXPECT_EQ(run("120.lowBoundary(2)"), "[119.50]");
  EXPECT_EQ(run("1.587.lowBoundary(29)"), "[]");
  EXPECT_EQ(run("@2014.highBoundary(8)"), "[@2014-12-31]");
  EXPECT_EQ(run("1.58700.precision() | @2014-01-05T10:30.precision()"), "[5, 12]");
  EXPECT_EQ(run("1 'cm'.comparable(1 '[in_i]')"), "[true]");
}

TEST(FhirPathUtility, SortAggregateTypeTrace) {
  EXPECT_EQ(run("(3 | 1 | 2).sort()"), "[1, 2, 3]");
  EXPECT_EQ(run("('a' | 'c' | 'b').sort(-$this)"), "['c', 'b', 'a']");
  EXPECT_EQ(run("(1 | 2 | 3 | 4).aggregate($this + $total, 0)"), "[10]");
  EXPECT_EQ(run("(5 | 3 | 8).aggregate(iif($total.empty() or $this < $total, $this, $total))"),
            "[3]");
  EXPECT_EQ(run("1.type().name & 1.type().namespace"), "['IntegerSystem']");
  EXPECT_EQ(run("1.5.is(Decimal) and 1.5.as(Integer).empty()"), "[true]");
  std::string traced;
  EvaluationOptions options;
  options.trace = [&](std::string_view name, const Collection& values) {
    traced = std::string(name) + "=" + testing::render(values);
  };
  EXPECT_EQ(run("(1 | 2).trace('seen').count()", nlohmann::json::object(), options), "[2]");
  EXPECT_EQ(traced, "seen=[1, 2]");
}

TEST(FhirPathUtility, NowComesFromTheClock) {
  const time::ManualClock clock(time::parse_iso8601("2024-05-01T22:30:00Z"));
  EvaluationOptions options;
  options.clock = &clock;
  options.local_offset = std::chrono::hours(2);
  EXPECT_EQ(run("now()", nlohmann::json::object(), options), "[@2024-05-02T00:30:00.000+02:00]");
  EXPECT_EQ(run("today()", nlohmann::json::object(), options), "[@2024-05-02]");
  EXPECT_EQ(run("timeOfDay()", nlohmann::json::object(), options), "[@T00:30:00.000]");
  EXPECT_EQ(run("now() = now()", nlohmann::json::object(), options), "[true]");
  const std::string message = error_of<EvaluationError>("now()");
  EXPECT_NE(message.find("needs a clock"), std::string::npos) << message;
}

TEST(FhirPathVariables, EnvironmentAndDefineVariable) {
  EXPECT_EQ(run("%ucum & ' ' & %`vs-administrative-gender`"),
            "['http://unitsofmeasure.org http://hl7.org/fhir/ValueSet/administrative-gender']");
  EvaluationOptions options;
  options.variables["limit"] = {Item{std::int64_t{3}}};
  EXPECT_EQ(run("(1 | 2 | 5).where($this < %limit)", nlohmann::json::object(), options), "[1, 2]");
  EXPECT_EQ(run("defineVariable('x', 2).select(%x * 3)"), "[6]");
  EXPECT_EQ(run("(1 | 2).defineVariable('all').select(%all.count())"), "[2, 2]");
}

TEST(FhirPathVariables, ScopeEndsWithTheInvocationChain) {
  const std::string message = error_of<EvaluationError>("defineVariable('x', 1).select(%x) | %x");
  EXPECT_NE(message.find("%x"), std::string::npos) << message;
  EXPECT_NE(message.find("is not defined"), std::string::npos) << message;
  EXPECT_NE(error_of<EvaluationError>("defineVariable('x', 1).defineVariable('x', 2)"), "");
  EXPECT_NE(error_of<EvaluationError>("defineVariable('ucum', 1)"), "");
}

TEST(FhirPathErrors, ParseErrorNamesExpressionAndPosition) {
  try {
    (void)Expression::compile("Patient.name.where(use = 'official'");
    FAIL() << "accepted";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.position(), 35U);
    const std::string message = error.what();
    EXPECT_NE(message.find("FHIRPath 'Patient.name.where(use = 'official'' at position 35"),
              std::string::npos)
        << message;
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
  }
}

TEST(FhirPathErrors, UnknownFunctionAndWrongArityAreParseErrors) {
  try {
    (void)Expression::compile("name.frist()");
    FAIL() << "accepted";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.position(), 5U);
    EXPECT_EQ(error.value(), "frist");
  }
  EXPECT_NE(error_of<ParseError>("'a'.substring()"), "");
  EXPECT_NE(error_of<ParseError>("(1 | 2).first(1)"), "");
}

TEST(FhirPathErrors, EvaluationErrorNamesFunctionAndInput) {
  const std::string message = error_of<EvaluationError>("('a' | 'b').substring(1)");
  EXPECT_NE(message.find("function substring() at position 12"), std::string::npos) << message;
  EXPECT_NE(message.find("2 items: 'a', 'b'"), std::string::npos) << message;
  EXPECT_NE(message.find("FHIRPath '('a' | 'b').substring(1)'"), std::string::npos) << message;
}

TEST(FhirPathErrors, UnsupportedFunctionsSaySo) {
  const std::string message = error_of<EvaluationError>("'a'.memberOf('http://x')");
  EXPECT_NE(message.find("terminology server"), std::string::npos) << message;
}

}  // namespace
}  // namespace ptwin::ingest::fhir::fhirpath
