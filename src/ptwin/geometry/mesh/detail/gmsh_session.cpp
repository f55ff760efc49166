// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"

#include <gmsh.h>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::mesh::detail {
namespace {

// The one mutable global here, mirroring Gmsh's own global state (see the header).
std::mutex& gmsh_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::string gmsh_last_error() {
  std::string message;
  try {
    gmsh::logger::getLastError(message);
  } catch (...) {  // NOLINT(bugprone-empty-catch): no last error to add; the caller reports
    message.clear();
  }
  return message;
}

}  // namespace

GmshSession::GmshSession(bool verbose) : lock_(gmsh_mutex()) {
  gmsh_step("initialize", [verbose] {
    gmsh::initialize(0, nullptr, /*readConfigFiles=*/false);
    gmsh::option::setNumber("General.Terminal", verbose ? 1 : 0);
    gmsh::option::setNumber("General.Verbosity", verbose ? 5 : 1);
    gmsh::logger::start();  // keeps messages so that getLastError has the failed step's
  });
}

GmshSession::~GmshSession() {
  try {
    gmsh::logger::stop();
    gmsh::finalize();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw; nothing to undo
    return;
  }
}

void gmsh_step(std::string_view what, const std::function<void()>& step) {
  std::string message;
  try {
    step();
    return;
  } catch (const ptwin::Error&) {
    throw;
  } catch (const std::string& gmsh_message) {
    message = gmsh_message;
  } catch (const std::exception& error) {
    message = error.what();
  } catch (...) {
    message = gmsh_last_error();
  }
  if (message.empty()) message = gmsh_last_error();
  throw Error(ErrorCode::MeshingFailed,
              fmt::format("Gmsh step '{}' failed: {}", what,
                          message.empty() ? std::string("no message from Gmsh") : message));
}

}  // namespace ptwin::geometry::mesh::detail
