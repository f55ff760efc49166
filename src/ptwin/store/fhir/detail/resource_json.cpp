// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/resource_json.hpp"

#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/error.hpp"

namespace ptwin::store::fhir::detail {
namespace {

// A JSON value whose scalars are kept as the text they were written with. nlohmann's DOM
// would turn 1.50 into the double 1.5 and print "1.5"; its SAX interface hands over the raw
// text of every floating-point number, which is what lets decimals survive.
struct RawNode {
  enum class Kind { Scalar, Object, Array };
  Kind kind = Kind::Scalar;
  std::string text;                         // Scalar: JSON text (strings quoted and escaped)
  std::optional<std::string> string_value;  // Scalar string: the unescaped value
  // Object: keys[i] (unescaped) names children[i]. Array: children only. (Two vectors rather
  // than a vector of pairs: a pair needs RawNode complete, a vector of RawNode does not.)
  std::vector<std::string> keys;
  std::vector<RawNode> children;
};

void append_escaped(std::string_view value, std::string& out) {
  out += '"';
  for (const char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_json(const RawNode& node, std::string& out) {
  switch (node.kind) {
    case RawNode::Kind::Scalar:
      out += node.text;
      return;
    case RawNode::Kind::Array:
      out += '[';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ',';
        append_json(node.children[i], out);
      }
      out += ']';
      return;
    case RawNode::Kind::Object:
      out += '{';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ',';
        append_escaped(node.keys[i], out);
        out += ':';
        append_json(node.children[i], out);
      }
      out += '}';
      return;
  }
}

class TreeBuilder final : public nlohmann::json::json_sax_t {
 public:
  bool null() override { return add_scalar("null"); }
  bool boolean(bool value) override { return add_scalar(value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override { return add_scalar(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override {
    return add_scalar(std::to_string(value));
  }
  bool number_float(number_float_t /*value*/, const string_t& raw) override {
    return add_scalar(raw);
  }
  bool string(string_t& value) override {
    RawNode node;
    append_escaped(value, node.text);
    node.string_value = value;
    add(std::move(node));
    return true;
  }
  bool binary(binary_t& /*value*/) override { return false; }  // not produced by JSON text
  bool start_object(std::size_t /*elements*/) override { return open(RawNode::Kind::Object); }
  bool key(string_t& value) override {
    pending_key_ = value;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(RawNode::Kind::Array); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    error_offset_ = position;
    return false;
  }

  [[nodiscard]] RawNode& root() { return root_; }
  [[nodiscard]] std::optional<std::size_t> error_offset() const { return error_offset_; }

 private:
  bool add_scalar(std::string text) {
    RawNode node;
    node.text = std::move(text);
    add(std::move(node));
    return true;
  }
  // Appends to the open container. The returned reference stays valid while the node is
  // open: its parent's vector only grows after the node is closed.
  RawNode& add(RawNode node) {
    if (open_.empty()) {
      root_ = std::move(node);
      return root_;
    }
    RawNode& parent = *open_.back();
    if (parent.kind == RawNode::Kind::Object) parent.keys.push_back(std::move(pending_key_));
    return parent.children.emplace_back(std::move(node));
  }
  bool open(RawNode::Kind kind) {
    RawNode node;
    node.kind = kind;
    open_.push_back(&add(std::move(node)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  RawNode root_;
  std::vector<RawNode*> open_;
  std::string pending_key_;
  std::optional<std::size_t> error_offset_;
};

[[noreturn]] void fail(std::string_view where, std::string_view value, const std::string& rule) {
  throw InputError(ErrorCode::BadInput, std::string(where), std::string(value), rule);
}

const RawNode* member(const RawNode& object, std::string_view name) {
  for (std::size_t i = 0; i < object.keys.size(); ++i) {
    if (object.keys[i] == name) return &object.children[i];
  }
  return nullptr;
}

void add_member(RawNode& object, std::string key, RawNode value) {
  object.keys.push_back(std::move(key));
  object.children.push_back(std::move(value));
}

RawNode string_node(std::string_view value) {
  RawNode node;
  append_escaped(value, node.text);
  node.string_value = std::string(value);
  return node;
}

RawNode new_meta(const RawNode* old_meta, const ResourceIdentity& identity) {
  RawNode meta;
  meta.kind = RawNode::Kind::Object;
  add_member(meta, "versionId", string_node(std::to_string(identity.version_id)));
  add_member(meta, "lastUpdated", string_node(format_last_updated(identity.last_updated)));
  if (old_meta != nullptr) {
    for (std::size_t i = 0; i < old_meta->keys.size(); ++i) {
      const std::string& key = old_meta->keys[i];
      if (key != "versionId" && key != "lastUpdated") add_member(meta, key, old_meta->children[i]);
    }
  }
  return meta;
}

void check_identity(const RawNode& root, const ResourceIdentity& identity, BodyIdPolicy policy,
                    std::string_view where) {
  const RawNode* type = member(root, "resourceType");
  if (type == nullptr || !type->string_value) {
    fail(fmt::format("{}: resourceType", where), "", "is missing or not a string");
  }
  if (*type->string_value != identity.resource_type) {
    fail(fmt::format("{}: resourceType", where), printable_value(*type->string_value),
         fmt::format("must be {}", identity.resource_type));
  }
  const RawNode* id = member(root, "id");
  if (policy == BodyIdPolicy::MustMatch && id != nullptr &&
      (!id->string_value || *id->string_value != identity.id)) {
    fail(fmt::format("{}: id", where), printable_value(id->string_value.value_or(id->text)),
         fmt::format("differs from the id {} the update is for", identity.id));
  }
  const RawNode* meta = member(root, "meta");
  if (meta != nullptr && meta->kind != RawNode::Kind::Object) {
    fail(fmt::format("{}: meta", where), "", "is not a JSON object");
  }
}

}  // namespace

std::string format_last_updated(time::Instant instant) {
  std::string text = time::format_iso8601(instant);
  if (text.find('.') == std::string::npos) text.insert(text.size() - 1, ".000");
  return text;
}

std::string with_identity(std::string_view json, const ResourceIdentity& identity,
                          BodyIdPolicy policy, std::string_view where) {
  TreeBuilder builder;
  nlohmann::json::sax_parse(json.begin(), json.end(), &builder);
  if (builder.error_offset()) {
    fail(where, fmt::format("({} bytes)", json.size()),
         fmt::format("is not JSON: syntax error at byte offset {}", *builder.error_offset()));
  }
  const RawNode& root = builder.root();
  if (root.kind != RawNode::Kind::Object) {
    fail(where, fmt::format("({} bytes)", json.size()), "is not a JSON object");
  }
  check_identity(root, identity, policy, where);
  std::string out;
  out.reserve(json.size() + 96);
  out += "{\"resourceType\":";
  out += member(root, "resourceType")->text;
  out += ",\"id\":";
  append_escaped(identity.id, out);
  out += ",\"meta\":";
  append_json(new_meta(member(root, "meta"), identity), out);
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    const std::string& key = root.keys[i];
    if (key == "resourceType" || key == "id" || key == "meta") continue;
    out += ',';
    append_escaped(key, out);
    out += ':';
    append_json(root.children[i], out);
  }
  out += '}';
  return out;
}

}  // namespace ptwin::store::fhir::detail
