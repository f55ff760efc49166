// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/double_blob.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store::detail {

static_assert(sizeof(double) == kBytesPerF64 && std::numeric_limits<double>::is_iec559,
              "result series blobs assume IEEE 754 binary64 doubles");

std::vector<std::byte> encode_f64le(std::span<const double> values) {
  std::vector<std::byte> bytes(values.size() * kBytesPerF64);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto bits = std::bit_cast<std::uint64_t>(values[i]);
      for (std::size_t b = 0; b < kBytesPerF64; ++b) {
        bytes[i * kBytesPerF64 + b] = static_cast<std::byte>((bits >> (8 * b)) & 0xffU);
      }
    }
  }
  return bytes;
}

std::vector<double> decode_f64le(std::span<const std::byte> bytes, std::string_view where) {
  if (bytes.size() % kBytesPerF64 != 0) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("{}: blob of {} bytes is not a whole number of 8-byte doubles", where,
                            bytes.size()));
  }
  std::vector<double> values(bytes.size() / kBytesPerF64);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::uint64_t bits = 0;
      for (std::size_t b = 0; b < kBytesPerF64; ++b) {
        bits |= std::to_integer<std::uint64_t>(bytes[i * kBytesPerF64 + b]) << (8 * b);
      }
      values[i] = std::bit_cast<double>(bits);
    }
  }
  return values;
}

}  // namespace ptwin::store::detail
