// SPDX-License-Identifier: Apache-2.0
// libptwin_torchscript.so: every use of libtorch, behind the C interface of
// torchscript_plugin_abi.h. No exception leaves this file: each is turned into a message.

#include <ATen/Parallel.h>
#include <torch/optim/adam.h>
#include <torch/script.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "ptwin/geometry/segmentation/torchscript_plugin_abi.h"

struct PtwinTorchScriptModel {
  torch::jit::Module module;
  std::string text;  // the last string attribute read, kept alive for the caller
};

struct PtwinTorchScriptTrainer {
  torch::jit::Module module{"PtwinVesselSegmenter"};
  std::vector<torch::Tensor> parameters;
  std::unique_ptr<torch::optim::Adam> optimiser;
};

namespace {

constexpr std::int64_t kHalo = 2;  // two unpadded 3x3x3 convolutions

// Intensities are normalised inside the model so that the saved file is all a user needs.
constexpr const char* kForwardSource = R"JIT(
def forward(self, hu):
    x = (hu - 200.0) / 200.0
    h = torch.relu(torch.conv3d(x, self.w1, self.b1))
    h = torch.relu(torch.conv3d(h, self.w2, self.b2))
    return torch.conv3d(h, self.w3, self.b3)
)JIT";

void write_error(char* error, std::size_t size, const std::string& message) {
  if (error == nullptr || size == 0) return;
  const std::size_t n = std::min(size - 1, message.size());
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

std::string message_of(const std::exception& e) {
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&e)) return torch_error->what_without_backtrace();
  return e.what();
}

template <typename Body>
int guarded(char* error, std::size_t size, Body&& body) {
  try {
    body();
    return 1;
  } catch (const std::exception& e) {
    write_error(error, size, message_of(e));
  } catch (...) {
    write_error(error, size, "unknown error");
  }
  return 0;
}

torch::Tensor he_normal(std::vector<std::int64_t> shape, std::int64_t fan_in) {
  return torch::randn(shape) * std::sqrt(2.0 / static_cast<double>(fan_in));
}

}  // namespace

extern "C" {

PtwinTorchScriptModel* ptwin_torchscript_load(const char* path, int threads, char* error, size_t error_size) {
  auto model = std::make_unique<PtwinTorchScriptModel>();
  const int ok = guarded(error, error_size, [&] {
    if (threads > 0) at::set_num_threads(threads);
    model->module = torch::jit::load(path, torch::kCPU);
    model->module.eval();
  });
  return ok != 0 ? model.release() : nullptr;
}

const char* ptwin_torchscript_string_attribute(const PtwinTorchScriptModel* model, const char* name) {
  auto* mutable_model = const_cast<PtwinTorchScriptModel*>(model);
  if (!model->module.hasattr(name)) return nullptr;
  const auto value = model->module.attr(name);
  if (!value.isString()) return nullptr;
  mutable_model->text = value.toStringRef();
  return mutable_model->text.c_str();
}

int ptwin_torchscript_int_attribute(const PtwinTorchScriptModel* model, const char* name, int64_t* value) {
  if (!model->module.hasattr(name)) return 0;
  const auto attribute = model->module.attr(name);
  if (!attribute.isInt()) return 0;
  *value = attribute.toInt();
  return 1;
}

int ptwin_torchscript_freeze(PtwinTorchScriptModel* model, char* error, size_t error_size) {
  return guarded(error, error_size, [&] { model->module = torch::jit::optimize_for_inference(model->module); });
}

int ptwin_torchscript_forward(PtwinTorchScriptModel* model, const float* input, int64_t depth, int64_t height,
                              int64_t width, float* output, size_t output_capacity, int64_t* output_shape,
                              int* output_is_float32, char* error, size_t error_size) {
  return guarded(error, error_size, [&] {
    c10::InferenceMode inference;
    const auto tensor = torch::from_blob(const_cast<float*>(input), {1, 1, depth, height, width}, torch::kFloat32);
    const auto result = model->module.forward({tensor}).toTensor().contiguous();
    for (int d = 0; d < 5; ++d) output_shape[d] = d < result.dim() ? result.size(d) : 0;
    *output_is_float32 = result.dim() == 5 && result.scalar_type() == torch::kFloat32 ? 1 : 0;
    if (*output_is_float32 != 0 && static_cast<std::size_t>(result.numel()) <= output_capacity) {
      std::memcpy(output, result.data_ptr<float>(), static_cast<std::size_t>(result.numel()) * sizeof(float));
    }
  });
}

void ptwin_torchscript_free(PtwinTorchScriptModel* model) { delete model; }

PtwinTorchScriptTrainer* ptwin_torchscript_trainer_create(int64_t channels, double learning_rate, uint64_t seed,
                                                          const char* format, char* error, size_t error_size) {
  auto trainer = std::make_unique<PtwinTorchScriptTrainer>();
  const int ok = guarded(error, error_size, [&] {
    torch::manual_seed(seed);
    const std::int64_t c = channels;
    auto& m = trainer->module;
    m.register_parameter("w1", he_normal({c, 1, 3, 3, 3}, 27).requires_grad_(), false);
    m.register_parameter("b1", torch::zeros({c}).requires_grad_(), false);
    m.register_parameter("w2", he_normal({c, c, 3, 3, 3}, 27 * c).requires_grad_(), false);
    m.register_parameter("b2", torch::zeros({c}).requires_grad_(), false);
    m.register_parameter("w3", he_normal({1, c, 1, 1, 1}, c).requires_grad_(), false);
    m.register_parameter("b3", torch::zeros({1}).requires_grad_(), false);
    m.register_attribute("format", c10::StringType::get(), std::string(format));
    m.register_attribute("halo_voxels", c10::IntType::get(), kHalo);
    m.define(kForwardSource);
    for (const auto& parameter : m.parameters()) trainer->parameters.push_back(parameter);
    trainer->optimiser =
        std::make_unique<torch::optim::Adam>(trainer->parameters, torch::optim::AdamOptions(learning_rate));
  });
  return ok != 0 ? trainer.release() : nullptr;
}

int64_t ptwin_torchscript_trainer_parameters(const PtwinTorchScriptTrainer* trainer) {
  std::int64_t count = 0;
  for (const auto& parameter : trainer->parameters) count += parameter.numel();
  return count;
}

int ptwin_torchscript_trainer_step(PtwinTorchScriptTrainer* trainer, const float* inputs, const float* targets,
                                   int64_t batch, int64_t in, double* loss, char* error, size_t error_size) {
  return guarded(error, error_size, [&] {
    const std::int64_t out = in - 2 * kHalo;
    const auto input = torch::from_blob(const_cast<float*>(inputs), {batch, 1, in, in, in}, torch::kFloat32);
    const auto target = torch::from_blob(const_cast<float*>(targets), {batch, 1, out, out, out}, torch::kFloat32);
    trainer->optimiser->zero_grad();
    const auto logits = trainer->module.forward({input}).toTensor();
    auto value = torch::binary_cross_entropy_with_logits(logits, target);
    value.backward();
    trainer->optimiser->step();
    *loss = value.item<double>();
  });
}

int ptwin_torchscript_trainer_save(PtwinTorchScriptTrainer* trainer, const char* path, const char* description,
                                   char* error, size_t error_size) {
  return guarded(error, error_size, [&] {
    trainer->module.register_attribute("description", c10::StringType::get(), std::string(description));
    trainer->module.eval();
    trainer->module.save(path);
  });
}

void ptwin_torchscript_trainer_free(PtwinTorchScriptTrainer* trainer) { delete trainer; }

}  // extern "C"
