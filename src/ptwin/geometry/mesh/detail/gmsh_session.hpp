// SPDX-License-Identifier: Apache-2.0
#pragma once
// Gmsh keeps one global model and its options in process-wide state, so only one thread may use
// its API at a time. GmshSession holds a process-wide mutex for its lifetime, initialises Gmsh
// quietly (no configuration files read, General.Terminal = 0 unless verbose) and finalises it
// on destruction, so that every meshing call starts from a clean Gmsh. Concurrent meshing calls
// therefore run one after the other; parallelism is inside Gmsh (HXT threads).
//
// gmsh_step() turns what Gmsh throws (std::string in 4.8, sometimes int or std::exception) into
// ptwin::Error(MeshingFailed) naming the step.

#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace ptwin::geometry::mesh::detail {

class GmshSession {
 public:
  explicit GmshSession(bool verbose);
  ~GmshSession();
  GmshSession(const GmshSession&) = delete;
  GmshSession& operator=(const GmshSession&) = delete;
  GmshSession(GmshSession&&) = delete;
  GmshSession& operator=(GmshSession&&) = delete;

 private:
  std::unique_lock<std::mutex> lock_;
};

/// Runs `step`; anything Gmsh throws becomes ptwin::Error(ErrorCode::MeshingFailed) whose
/// message names `what` and carries Gmsh's own message.
void gmsh_step(std::string_view what, const std::function<void()>& step);

}  // namespace ptwin::geometry::mesh::detail
