// SPDX-License-Identifier: Apache-2.0
#pragma once
// Vectors of doubles as compact blobs: 8 bytes per value, IEEE 754 binary64, little-endian,
// whatever the host's byte order. Every backend stores result series this way, so a blob
// written on one machine reads the same on any other (and from Python: numpy "<f8").

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace ptwin::store::detail {

inline constexpr std::size_t kBytesPerF64 = 8;

[[nodiscard]] std::vector<std::byte> encode_f64le(std::span<const double> values);

/// Throws Error(StoreFailure) naming `where` when the size is not a multiple of 8 (a blob
/// that was not written by encode_f64le).
[[nodiscard]] std::vector<double> decode_f64le(std::span<const std::byte> bytes,
                                               std::string_view where);

}  // namespace ptwin::store::detail
