// SPDX-License-Identifier: Apache-2.0
#pragma once
// RAII ownership of one libmosquitto client object; keeps mosquitto.h out of public headers.

#include <string>

struct mosquitto;

namespace ptwin::ingest::mqtt::detail {

class MosquittoHandle {
 public:
  /// Initialises libmosquitto once per process, then creates a client. `user_data` is handed
  /// to every callback. Note: libmosquitto sets SIGPIPE to SIG_IGN for the whole process, so
  /// that a write to a closed socket is an error code, not a signal. Throws Error(Internal)
  /// when the client cannot be created (out of memory).
  MosquittoHandle(const std::string& client_id, bool is_clean_session, void* user_data);
  ~MosquittoHandle();
  MosquittoHandle(const MosquittoHandle&) = delete;
  MosquittoHandle& operator=(const MosquittoHandle&) = delete;
  MosquittoHandle(MosquittoHandle&&) = delete;
  MosquittoHandle& operator=(MosquittoHandle&&) = delete;

  [[nodiscard]] mosquitto* get() const { return handle_; }

 private:
  mosquitto* handle_ = nullptr;
};

/// libmosquitto's text for a MOSQ_ERR_* code (with errno's text for MOSQ_ERR_ERRNO).
[[nodiscard]] std::string describe_mosquitto_error(int code);

}  // namespace ptwin::ingest::mqtt::detail
