// SPDX-License-Identifier: Apache-2.0
#pragma once
// Loads libptwin_torchscript.so (torchscript_plugin_abi.h) on first use and resolves its
// functions. Where it is looked for, in order: $PTWIN_TORCHSCRIPT_PLUGIN when set (and only
// there), the running executable's folder, and the build tree the program was built in.

#include <string>

#include "ptwin/geometry/segmentation/torchscript_plugin_abi.h"

namespace ptwin::geometry::segmentation {

struct TorchScriptPlugin {
  decltype(&ptwin_torchscript_load) load = nullptr;
  decltype(&ptwin_torchscript_string_attribute) string_attribute = nullptr;
  decltype(&ptwin_torchscript_int_attribute) int_attribute = nullptr;
  decltype(&ptwin_torchscript_freeze) freeze = nullptr;
  decltype(&ptwin_torchscript_forward) forward = nullptr;
  decltype(&ptwin_torchscript_free) free = nullptr;
  decltype(&ptwin_torchscript_trainer_create) trainer_create = nullptr;
  decltype(&ptwin_torchscript_trainer_parameters) trainer_parameters = nullptr;
  decltype(&ptwin_torchscript_trainer_step) trainer_step = nullptr;
  decltype(&ptwin_torchscript_trainer_save) trainer_save = nullptr;
  decltype(&ptwin_torchscript_trainer_free) trainer_free = nullptr;
  std::string path;  // the file that was loaded
};

/// The plugin, loaded once per process (thread-safe); InputError naming every place looked in
/// and what to do when it cannot be loaded.
[[nodiscard]] const TorchScriptPlugin& torchscript_plugin();

/// Room for a message from the plugin.
inline constexpr std::size_t kTorchScriptErrorSize = 2048;

}  // namespace ptwin::geometry::segmentation
