// SPDX-License-Identifier: Apache-2.0
// A structure-aware libFuzzer mutator for the JSON fuzzers. Byte-level mutations of a JSON file
// almost always break its syntax, so the readers' own checks (a value of the wrong type, a
// missing key, an object where a string belongs) are rarely reached. When the input parses, this
// mutator changes one node of the document instead and writes it back as JSON; otherwise, and
// for one mutation in four, it leaves the work to libFuzzer's byte mutations.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                        std::size_t max_size);

namespace {

using nlohmann::json;

// Deep enough for every seed; bounds the recursion of the walk below.
constexpr int kMaxDepth = 64;

void collect(json& node, int depth, std::vector<json*>& nodes, std::vector<std::string>& keys) {
  nodes.push_back(&node);
  if (depth >= kMaxDepth) return;
  if (node.is_object()) {
    for (auto& [key, child] : node.items()) {
      keys.push_back(key);
      collect(child, depth + 1, nodes, keys);
    }
  } else if (node.is_array()) {
    for (auto& child : node) collect(child, depth + 1, nodes, keys);
  }
}

// A scalar of some JSON type, with the edge values that readers most often get wrong.
json random_scalar(std::mt19937& rng) {
  static const std::array<json, 14> kScalars{
      json(nullptr), json(true),  json(false),
      json(0),       json(-1),    json(1.5),
      json(1e308),   json(-0.0),  json(std::numeric_limits<std::int64_t>::min()),
      json(std::numeric_limits<std::uint64_t>::max()),
      json(""),      json("nan"), json("1 mm[Hg]"),
      json("2024-02-30T10:00:00Z")};
  return kScalars[rng() % kScalars.size()];
}

// libFuzzer's byte mutations applied to the text of a string value (the JSON stays valid).
std::string mutate_text(const std::string& text) {
  std::string buffer = text;
  buffer.resize(std::max<std::size_t>(text.size() * 2, 16));
  const auto size = LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(buffer.data()), text.size(),
                                     buffer.size());
  buffer.resize(size);
  return buffer;
}

void mutate_node(json& target, const std::vector<json*>& nodes,
                 const std::vector<std::string>& keys, std::mt19937& rng) {
  switch (rng() % 8) {
    case 0:  // a value of another type
      target = random_scalar(rng);
      break;
    case 1:  // a copy of another node: an object where a string belongs, and so on
      target = json(*nodes[rng() % nodes.size()]);
      break;
    case 2:  // one level deeper
      target = rng() % 2 == 0 ? json::array({target}) : json::object({{"value", target}});
      break;
    case 3:  // drop a member or an element
      if (target.is_object() && !target.empty()) {
        auto it = target.begin();
        std::advance(it, static_cast<long>(rng() % target.size()));
        target.erase(it);
      } else if (target.is_array() && !target.empty()) {
        target.erase(rng() % target.size());
      }
      break;
    case 4:  // add a key that the document uses elsewhere, or repeat an element
      if (target.is_object() && !keys.empty()) {
        target[keys[rng() % keys.size()]] = json(*nodes[rng() % nodes.size()]);
      } else if (target.is_array() && !target.empty()) {
        target.push_back(json(target[rng() % target.size()]));
      }
      break;
    case 5:  // rename a member
      if (target.is_object() && !target.empty() && !keys.empty()) {
        auto it = target.begin();
        std::advance(it, static_cast<long>(rng() % target.size()));
        json value = *it;
        target.erase(it);
        target[mutate_text(keys[rng() % keys.size()])] = std::move(value);
      }
      break;
    default:  // edit a string or a number in place
      if (target.is_string()) {
        target = mutate_text(target.get<std::string>());
      } else if (target.is_number()) {
        target = target.get<double>() * (rng() % 2 == 0 ? -1.0 : 1e-3);
      } else {
        target = random_scalar(rng);
      }
      break;
  }
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  json document = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || rng() % 4 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::vector<json*> nodes;
  std::vector<std::string> keys;
  collect(document, 0, nodes, keys);
  mutate_node(*nodes[rng() % nodes.size()], nodes, keys, rng);
  // Mutated strings may hold invalid UTF-8; replace it rather than throw.
  const auto text = document.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, text.data(), text.size());
  return text.size();
}
