// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/detail/mosquitto_handle.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <mosquitto.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::mqtt::detail {
namespace {

// mosquitto_lib_init keeps an unsynchronised reference count, so it runs exactly once, under
// the thread-safe initialisation of a function-local static. mosquitto_lib_cleanup is never
// called: it would race with clients still alive in other threads, and the OS frees all at exit.
void initialise_library_once() {
  static const int result = mosquitto_lib_init();
  if (result != MOSQ_ERR_SUCCESS) {
    throw Error(ErrorCode::Internal, fmt::format("libmosquitto could not be initialised: {}",
                                                 mosquitto_strerror(result)));
  }
}

}  // namespace

MosquittoHandle::MosquittoHandle(const std::string& client_id, bool is_clean_session,
                                 void* user_data) {
  initialise_library_once();
  handle_ = mosquitto_new(client_id.c_str(), is_clean_session, user_data);
  if (handle_ == nullptr) {
    throw Error(ErrorCode::Internal, fmt::format("libmosquitto could not create client '{}': {}",
                                                 printable_value(client_id), std::strerror(errno)));
  }
}

MosquittoHandle::~MosquittoHandle() { mosquitto_destroy(handle_); }

std::string describe_mosquitto_error(int code) {
  if (code == MOSQ_ERR_ERRNO) return fmt::format("{} (errno {})", std::strerror(errno), errno);
  return fmt::format("{} (code {})", mosquitto_strerror(code), code);
}

}  // namespace ptwin::ingest::mqtt::detail
