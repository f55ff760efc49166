// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/digest.hpp"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "ptwin/core/error.hpp"

namespace ptwin {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCode::Internal, "OpenSSL EVP_Digest(SHA-256) failed");
  }
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace ptwin
