// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/torchscript_plugin.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::segmentation {
namespace {

constexpr const char* kFileName = "libptwin_torchscript.so";

std::vector<std::filesystem::path> candidates() {
  if (const char* chosen = std::getenv("PTWIN_TORCHSCRIPT_PLUGIN"); chosen != nullptr && *chosen != '\0') {
    return {chosen};
  }
  std::vector<std::filesystem::path> places;
  std::error_code ignored;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", ignored);
  if (!executable.empty()) places.push_back(executable.parent_path() / kFileName);
#ifdef PTWIN_TORCHSCRIPT_PLUGIN_BUILD_PATH
  places.emplace_back(PTWIN_TORCHSCRIPT_PLUGIN_BUILD_PATH);
#endif
  return places;
}

template <typename Function>
void resolve(void* handle, const char* name, Function& function, const std::string& path) {
  function = reinterpret_cast<Function>(dlsym(handle, name));
  if (function == nullptr) {
    throw InputError(ErrorCode::Io, "TorchScript plugin " + path, name,
                     "a plugin built from the same ptwin sources (rebuild the project)");
  }
}

TorchScriptPlugin load_plugin() {
  std::string tried;
  for (const auto& place : candidates()) {
    if (!std::filesystem::is_regular_file(place)) {
      tried += fmt::format("\n  {}: absent", place.string());
      continue;
    }
    void* handle = dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      tried += fmt::format("\n  {}: {}", place.string(), dlerror());
      continue;
    }
    // Kept loaded for the life of the process: libtorch does not support being unloaded.
    TorchScriptPlugin plugin;
    plugin.path = place.string();
    resolve(handle, "ptwin_torchscript_load", plugin.load, plugin.path);
    resolve(handle, "ptwin_torchscript_string_attribute", plugin.string_attribute, plugin.path);
    resolve(handle, "ptwin_torchscript_int_attribute", plugin.int_attribute, plugin.path);
    resolve(handle, "ptwin_torchscript_freeze", plugin.freeze, plugin.path);
    resolve(handle, "ptwin_torchscript_forward", plugin.forward, plugin.path);
    resolve(handle, "ptwin_torchscript_free", plugin.free, plugin.path);
    resolve(handle, "ptwin_torchscript_trainer_create", plugin.trainer_create, plugin.path);
    resolve(handle, "ptwin_torchscript_trainer_parameters", plugin.trainer_parameters, plugin.path);
    resolve(handle, "ptwin_torchscript_trainer_step", plugin.trainer_step, plugin.path);
    resolve(handle, "ptwin_torchscript_trainer_save", plugin.trainer_save, plugin.path);
    resolve(handle, "ptwin_torchscript_trainer_free", plugin.trainer_free, plugin.path);
    return plugin;
  }
  throw InputError(ErrorCode::Io, "TorchScript plugin", kFileName,
                   fmt::format("a loadable plugin; install libtorch (scripts/install_deps.sh), build the "
                               "ptwin_torchscript target, or set PTWIN_TORCHSCRIPT_PLUGIN to its path. Looked in:{}",
                               tried));
}

}  // namespace

const TorchScriptPlugin& torchscript_plugin() {
  static const TorchScriptPlugin plugin = load_plugin();
  return plugin;
}

}  // namespace ptwin::geometry::segmentation
