// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/verification_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/gate/detail/read_gate_file.hpp"

namespace ptwin::vv::gate {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "ptwin-verification-record/1";

VerificationStatus parse_status(const std::string& text, const std::string& where) {
  for (const auto s :
       {VerificationStatus::Unverified, VerificationStatus::Passed, VerificationStatus::Failed}) {
    if (text == to_string(s)) return s;
  }
  throw InputError(ErrorCode::BadInput, where, printable_value(text),
                   "must be unverified, passed or failed");
}

// Reads a required member of the expected JSON type; names the field when it is not there.
const json& member(const json& object, const char* name, json::value_t type,
                   const std::string& where) {
  const auto found = object.find(name);
  if (found == object.end()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, name), "",
                     "is required in a verification record");
  }
  const bool is_number = type == json::value_t::number_float;
  if (is_number ? !found->is_number() : found->type() != type) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, name),
                     printable_value(found->dump()),
                     is_number ? "must be a number" : "has the wrong JSON type");
  }
  return *found;
}

std::string text_of(const json& object, const char* name, const std::string& where) {
  return member(object, name, json::value_t::string, where).get<std::string>();
}

}  // namespace

std::string_view to_string(VerificationStatus status) {
  switch (status) {
    case VerificationStatus::Unverified:
      return "unverified";
    case VerificationStatus::Passed:
      return "passed";
    case VerificationStatus::Failed:
      return "failed";
  }
  return "unverified";
}

VerificationStatus status_of(const std::vector<CaseResult>& cases) {
  if (cases.empty()) return VerificationStatus::Unverified;
  const bool all_passed =
      std::all_of(cases.begin(), cases.end(), [](const CaseResult& c) { return c.is_passed(); });
  return all_passed ? VerificationStatus::Passed : VerificationStatus::Failed;
}

std::string to_json_text(const VerificationRecord& record) {
  json cases = json::array();
  for (const auto& c : record.cases) {
    cases.push_back({{"id", c.id},
                     {"source", c.source},
                     {"quantity", c.quantity},
                     {"norm", c.norm},
                     {"observed", c.observed},
                     {"lower", c.lower},
                     {"upper", c.upper},
                     {"tolerance_reason", c.tolerance_reason},
                     {"passed", c.is_passed()}});
  }
  const json out{{"format", kFormat},
                 {"model",
                  {{"name", record.model.name},
                   {"version", record.model.version},
                   {"settings_digest", record.model.settings_digest}}},
                 {"status", to_string(record.status)},
                 {"verified_at", time::format_iso8601(record.verified_at)},
                 {"cases", std::move(cases)}};
  return out.dump(2) + "\n";
}

VerificationRecord parse_verification_record(std::string_view json_text,
                                             std::string_view source_name) {
  const std::string where(source_name);
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw InputError(ErrorCode::BadInput, where, fmt::format("byte {}", e.byte),
                     "is not JSON; write records with `ptwin vv gate --write`");
  } catch (const json::exception& e) {  // e.g. a number beyond double (out_of_range 406)
    throw InputError(ErrorCode::BadInput, where, printable_value(e.what()),
                     "is not JSON a record can hold; write records with `ptwin vv gate --write`");
  }
  if (!document.is_object()) {
    throw InputError(ErrorCode::BadInput, where, printable_value(document.dump()),
                     "must be a JSON object");
  }
  if (const auto format = text_of(document, "format", where); format != kFormat) {
    throw InputError(ErrorCode::BadInput, where + ".format", printable_value(format),
                     fmt::format("must be {}", kFormat));
  }
  VerificationRecord record;
  const auto& model = member(document, "model", json::value_t::object, where);
  record.model = {text_of(model, "name", where + ".model"),
                  text_of(model, "version", where + ".model"),
                  text_of(model, "settings_digest", where + ".model")};
  const auto& digest = record.model.settings_digest;
  if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw InputError(ErrorCode::BadInput, where + ".model.settings_digest", printable_value(digest),
                     "must be a SHA-256: 64 lowercase hex digits");
  }
  record.status = parse_status(text_of(document, "status", where), where + ".status");
  record.verified_at = time::parse_iso8601(text_of(document, "verified_at", where), std::nullopt,
                                           where + ".verified_at");
  const auto& cases = member(document, "cases", json::value_t::array, where);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string at = fmt::format("{}.cases[{}]", where, i);
    if (!cases[i].is_object()) {
      throw InputError(ErrorCode::BadInput, at, printable_value(cases[i].dump()),
                       "must be an object");
    }
    CaseResult c;
    c.id = text_of(cases[i], "id", at);
    c.source = text_of(cases[i], "source", at);
    c.quantity = text_of(cases[i], "quantity", at);
    c.norm = text_of(cases[i], "norm", at);
    // null: the case could not be computed (NaN, inside no interval).
    c.observed = cases[i].contains("observed") && cases[i]["observed"].is_null()
                     ? std::numeric_limits<double>::quiet_NaN()
                     : member(cases[i], "observed", json::value_t::number_float, at).get<double>();
    c.lower = member(cases[i], "lower", json::value_t::number_float, at).get<double>();
    c.upper = member(cases[i], "upper", json::value_t::number_float, at).get<double>();
    c.tolerance_reason = text_of(cases[i], "tolerance_reason", at);
    record.cases.push_back(std::move(c));
  }
  // A hand-edited status that its own cases contradict is refused, not believed.
  if (record.status != status_of(record.cases)) {
    throw InputError(
        ErrorCode::BadInput, where + ".status", std::string(to_string(record.status)),
        fmt::format("disagrees with its cases, which give {}", to_string(status_of(record.cases))));
  }
  return record;
}

VerificationRecord read_verification_record(const std::filesystem::path& file) {
  return parse_verification_record(detail::read_gate_file(file, "verification record"), file.string());
}

void write_verification_record(const VerificationRecord& record,
                               const std::filesystem::path& file) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream << to_json_text(record);
  stream.close();
  if (!stream) {
    throw Error(ErrorCode::Io,
                fmt::format("verification record {}: cannot be written", file.string()));
  }
}

}  // namespace ptwin::vv::gate
