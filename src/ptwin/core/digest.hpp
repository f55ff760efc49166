// SPDX-License-Identifier: Apache-2.0
#pragma once
// Content digests for the audit trail (model files, inputs, outputs).

#include <string>
#include <string_view>

namespace ptwin {

/// SHA-256 of `bytes` as 64 lowercase hex digits (OpenSSL EVP).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace ptwin
