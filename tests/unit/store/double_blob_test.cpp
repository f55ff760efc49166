// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/double_blob.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store::detail {
namespace {

TEST(DoubleBlob, EncodesLeastSignificantByteFirst) {
  const std::vector<double> values{1.0};  // 0x3FF0000000000000
  const auto bytes = encode_f64le(values);
  ASSERT_EQ(bytes.size(), 8U);
  EXPECT_EQ(bytes[6], std::byte{0xF0});
  EXPECT_EQ(bytes[7], std::byte{0x3F});
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(bytes[i], std::byte{0x00}) << i;
}

TEST(DoubleBlob, RoundTripsEveryBitPattern) {
  const std::vector<double> values{0.0,
                                   -0.0,
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::lowest(),
                                   std::numeric_limits<double>::infinity(),
                                   0.1};
  const auto decoded = decode_f64le(encode_f64le(values), "test");
  ASSERT_EQ(decoded.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(decoded[i]), std::bit_cast<std::uint64_t>(values[i]))
        << "index " << i;
  }
}

TEST(DoubleBlob, EmptyVectorIsAnEmptyBlob) {
  EXPECT_TRUE(encode_f64le({}).empty());
  EXPECT_TRUE(decode_f64le({}, "test").empty());
}

TEST(DoubleBlob, BlobOfARaggedSizeIsReportedAsCorrupt) {
  const std::vector<std::byte> bytes(12);
  try {
    static_cast<void>(decode_f64le(bytes, "run 7: result series 'pressure:aorta': values"));
    FAIL() << "expected Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::StoreFailure);
    EXPECT_EQ(std::string(error.what()),
              "run 7: result series 'pressure:aorta': values: blob of 12 bytes is not a whole "
              "number of 8-byte doubles");
  }
}

}  // namespace
}  // namespace ptwin::store::detail
