// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/dicom/dicom_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::dicom {
namespace {

// Sequences nest; a hostile body must not recurse without bound.
constexpr int kMaxSequenceDepth = 16;

enum class ValueKind { String, Number, PersonName, Sequence, Binary };

struct VrKind {
  std::string_view vr;
  ValueKind kind;
};

// PS3.18 Table F.2.3-1: the JSON type of each VR's values.
constexpr std::array kVrKinds{
    VrKind{"AE", ValueKind::String},  VrKind{"AS", ValueKind::String},
    VrKind{"AT", ValueKind::String},  VrKind{"CS", ValueKind::String},
    VrKind{"DA", ValueKind::String},  VrKind{"DS", ValueKind::Number},
    VrKind{"DT", ValueKind::String},  VrKind{"FL", ValueKind::Number},
    VrKind{"FD", ValueKind::Number},  VrKind{"IS", ValueKind::Number},
    VrKind{"LO", ValueKind::String},  VrKind{"LT", ValueKind::String},
    VrKind{"OB", ValueKind::Binary},  VrKind{"OD", ValueKind::Binary},
    VrKind{"OF", ValueKind::Binary},  VrKind{"OL", ValueKind::Binary},
    VrKind{"OV", ValueKind::Binary},  VrKind{"OW", ValueKind::Binary},
    VrKind{"PN", ValueKind::PersonName}, VrKind{"SH", ValueKind::String},
    VrKind{"SL", ValueKind::Number},  VrKind{"SQ", ValueKind::Sequence},
    VrKind{"SS", ValueKind::Number},  VrKind{"ST", ValueKind::String},
    VrKind{"SV", ValueKind::Number},  VrKind{"TM", ValueKind::String},
    VrKind{"UC", ValueKind::String},  VrKind{"UI", ValueKind::String},
    VrKind{"UL", ValueKind::Number},  VrKind{"UN", ValueKind::Binary},
    VrKind{"UR", ValueKind::String},  VrKind{"US", ValueKind::Number},
    VrKind{"UT", ValueKind::String},  VrKind{"UV", ValueKind::Number},
};

const VrKind* find_vr(std::string_view vr) {
  const auto* found = std::find_if(kVrKinds.begin(), kVrKinds.end(),
                                   [&](const VrKind& known) { return known.vr == vr; });
  return found == kVrKinds.end() ? nullptr : found;
}

bool is_tag_key(std::string_view key) {
  return key.size() == 8 && std::all_of(key.begin(), key.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
         });
}

std::optional<double> number_from_text(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string shown(const nlohmann::json& value) { return printable_value(value.dump()); }

void check_dataset(const nlohmann::json& object, const std::string& where, int depth);

void check_value(const nlohmann::json& value, const VrKind& kind, const std::string& where,
                 int depth) {
  if (value.is_null()) return;  // F.2.5: an empty value inside a multi-valued attribute
  switch (kind.kind) {
    case ValueKind::String:
      if (!value.is_string()) {
        throw InputError(ErrorCode::BadInput, where, shown(value),
                         fmt::format("a {} value is a JSON string (PS3.18 F.2.3)", kind.vr));
      }
      return;
    case ValueKind::Number:
      if (value.is_number()) return;
      if ((kind.vr == "DS" || kind.vr == "IS" || kind.vr == "SV" || kind.vr == "UV") &&
          value.is_string() && number_from_text(value.get<std::string>())) {
        return;
      }
      throw InputError(ErrorCode::BadInput, where, shown(value),
                       fmt::format("a {} value is a JSON number (PS3.18 F.2.3)", kind.vr));
    case ValueKind::PersonName:
      if (!value.is_object()) {
        throw InputError(ErrorCode::BadInput, where, shown(value),
                         "a PN value is an object of Alphabetic/Ideographic/Phonetic strings "
                         "(PS3.18 F.2.2)");
      }
      for (const auto& [group, text] : value.items()) {
        if (!text.is_string()) {
          throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, group), shown(text),
                           "a PN component group is a string");
        }
      }
      return;
    case ValueKind::Sequence:
      if (!value.is_object()) {
        throw InputError(ErrorCode::BadInput, where, shown(value),
                         "an SQ item is a dataset object");
      }
      check_dataset(value, where, depth + 1);
      return;
    case ValueKind::Binary:
      throw InputError(ErrorCode::BadInput, where, shown(value),
                       fmt::format("a {} attribute carries InlineBinary or BulkDataURI, not Value",
                                   kind.vr));
  }
}

void check_attribute(const std::string& key, const nlohmann::json& attribute,
                     const std::string& where, int depth) {
  const std::string here = fmt::format("{} ({},{})", where, key.substr(0, 4), key.substr(4));
  if (!attribute.is_object()) {
    throw InputError(ErrorCode::BadInput, here, shown(attribute), "an attribute is an object");
  }
  const auto vr_field = attribute.find("vr");
  if (vr_field == attribute.end() || !vr_field->is_string()) {
    throw InputError(ErrorCode::MissingField, here + ".vr",
                     vr_field == attribute.end() ? "(absent)" : shown(*vr_field),
                     "every attribute names its VR as a string");
  }
  const auto* kind = find_vr(vr_field->get_ref<const std::string&>());
  if (kind == nullptr) {
    throw InputError(ErrorCode::BadInput, here + ".vr", shown(*vr_field),
                     "not a DICOM value representation (PS3.5 6.2)");
  }
  int carriers = 0;
  for (const auto& [name, content] : attribute.items()) {
    if (name == "vr") continue;
    ++carriers;
    if (name == "Value") {
      if (!content.is_array()) {
        throw InputError(ErrorCode::BadInput, here + ".Value", shown(content),
                         "Value is an array");
      }
      for (std::size_t i = 0; i < content.size(); ++i) {
        check_value(content[i], *kind, fmt::format("{}.Value[{}]", here, i), depth);
      }
    } else if (name == "BulkDataURI" || name == "InlineBinary") {
      if (!content.is_string()) {
        throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", here, name), shown(content),
                         "a string");
      }
    } else {
      throw InputError(ErrorCode::UnknownField, fmt::format("{}.{}", here, name), name,
                       "an attribute holds vr and one of Value, BulkDataURI, InlineBinary");
    }
  }
  if (carriers > 1) {
    throw InputError(ErrorCode::BadInput, here, shown(attribute),
                     "at most one of Value, BulkDataURI, InlineBinary (PS3.18 F.2.2)");
  }
}

void check_dataset(const nlohmann::json& object, const std::string& where, int depth) {
  if (depth > kMaxSequenceDepth) {
    throw InputError(ErrorCode::BadInput, where, fmt::format("depth {}", depth),
                     fmt::format("sequences nest at most {} deep", kMaxSequenceDepth));
  }
  if (!object.is_object()) {
    throw InputError(ErrorCode::BadInput, where, shown(object), "a dataset is a JSON object");
  }
  for (const auto& [key, attribute] : object.items()) {
    if (!is_tag_key(key)) {
      throw InputError(ErrorCode::BadInput, where, printable_value(key),
                       "a dataset key is a tag as 8 upper-case hex digits, e.g. 0020000D");
    }
    check_attribute(key, attribute, where, depth);
  }
}

nlohmann::json parse_json(std::string_view body, std::string_view source) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& error) {  // parse_error, and out_of_range for 1e9999
    throw InputError(ErrorCode::BadInput, std::string(source), printable_value(body.substr(0, 64)),
                     fmt::format("not JSON: {}", error.what()));
  }
}

std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return fmt::format("{}", value.get<long long>());
  if (value.is_number_unsigned()) return fmt::format("{}", value.get<unsigned long long>());
  if (value.is_number_float()) return fmt::format("{}", value.get<double>());
  if (value.is_object()) {
    const auto alphabetic = value.find("Alphabetic");
    if (alphabetic != value.end() && alphabetic->is_string()) return alphabetic->get<std::string>();
  }
  return {};
}

}  // namespace

std::string tag_key(DicomTag tag) { return fmt::format("{:08X}", tag); }

DicomJsonDataset::DicomJsonDataset(nlohmann::json object, std::string where)
    : object_(std::move(object)), where_(std::move(where)) {
  check_dataset(object_, where_, 0);
}

bool DicomJsonDataset::has(DicomTag tag) const { return object_.contains(tag_key(tag)); }

std::optional<std::string> DicomJsonDataset::vr(DicomTag tag) const {
  const auto found = object_.find(tag_key(tag));
  if (found == object_.end()) return std::nullopt;
  return found->at("vr").get<std::string>();
}

std::vector<std::string> DicomJsonDataset::strings(DicomTag tag) const {
  std::vector<std::string> out;
  const auto found = object_.find(tag_key(tag));
  if (found == object_.end()) return out;
  const auto values = found->find("Value");
  if (values == found->end()) return out;
  for (const auto& value : *values) {
    if (!value.is_null()) out.push_back(value_text(value));
  }
  return out;
}

std::optional<std::string> DicomJsonDataset::string(DicomTag tag) const {
  auto all = strings(tag);
  if (all.empty() || all.front().empty()) return std::nullopt;
  return std::move(all.front());
}

std::string DicomJsonDataset::required_string(DicomTag tag, std::string_view keyword) const {
  auto value = string(tag);
  if (!value) {
    throw InputError(ErrorCode::MissingField,
                     fmt::format("{}: {} ({:04X},{:04X})", where_, keyword, tag >> 16U, tag & 0xFFFFU),
                     "(absent)", "the attribute is required here");
  }
  return std::move(*value);
}

std::optional<double> DicomJsonDataset::number(DicomTag tag, std::string_view keyword) const {
  const auto found = object_.find(tag_key(tag));
  if (found == object_.end()) return std::nullopt;
  const auto values = found->find("Value");
  if (values == found->end() || values->empty() || values->front().is_null()) return std::nullopt;
  const auto& value = values->front();
  if (value.is_number()) return value.get<double>();
  const auto parsed = value.is_string() ? number_from_text(value.get<std::string>()) : std::nullopt;
  if (!parsed) {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("{}: {} ({:04X},{:04X})", where_, keyword, tag >> 16U, tag & 0xFFFFU),
                     shown(value), "a number");
  }
  return parsed;
}

std::optional<long long> DicomJsonDataset::integer(DicomTag tag, std::string_view keyword) const {
  const auto value = number(tag, keyword);
  if (!value) return std::nullopt;
  if (std::floor(*value) != *value || std::fabs(*value) > 9.0e15) {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("{}: {} ({:04X},{:04X})", where_, keyword, tag >> 16U, tag & 0xFFFFU),
                     fmt::format("{}", *value), "an integer");
  }
  return static_cast<long long>(*value);
}

std::vector<DicomJsonDataset> DicomJsonDataset::sequence(DicomTag tag,
                                                         std::string_view keyword) const {
  std::vector<DicomJsonDataset> items;
  const auto found = object_.find(tag_key(tag));
  if (found == object_.end()) return items;
  if (found->at("vr") != "SQ") {
    throw InputError(ErrorCode::BadInput,
                     fmt::format("{}: {} ({:04X},{:04X})", where_, keyword, tag >> 16U, tag & 0xFFFFU),
                     found->at("vr").get<std::string>(), "a sequence (SQ)");
  }
  const auto values = found->find("Value");
  if (values == found->end()) return items;
  for (std::size_t i = 0; i < values->size(); ++i) {
    if ((*values)[i].is_null()) continue;
    items.emplace_back((*values)[i], fmt::format("{} {}[{}]", where_, keyword, i));
  }
  return items;
}

std::vector<DicomJsonDataset> parse_dicom_json_array(std::string_view body,
                                                     std::string_view source) {
  auto json = parse_json(body, source);
  if (!json.is_array()) {
    throw InputError(ErrorCode::BadInput, std::string(source), shown(json).substr(0, 64),
                     "a JSON array of DICOM JSON datasets (PS3.18 F.2.1)");
  }
  std::vector<DicomJsonDataset> datasets;
  datasets.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    datasets.emplace_back(std::move(json[i]), fmt::format("{}[{}]", source, i));
  }
  return datasets;
}

DicomJsonDataset parse_dicom_json_dataset(std::string_view body, std::string_view source) {
  auto json = parse_json(body, source);
  if (json.is_array()) {
    if (json.size() != 1) {
      throw InputError(ErrorCode::BadInput, std::string(source),
                       fmt::format("an array of {}", json.size()),
                       "one DICOM JSON dataset (an object, or an array of one)");
    }
    return DicomJsonDataset(std::move(json[0]), fmt::format("{}[0]", source));
  }
  return DicomJsonDataset(std::move(json), std::string(source));
}

}  // namespace ptwin::ingest::dicom
