/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
/* The C interface of ptwin's TorchScript plugin (libptwin_torchscript.so), which holds every use
 * of libtorch. ptwin loads it with dlopen only when a TorchScript model is used: loading libtorch
 * registers thousands of operators and costs one to two seconds at every start of a process that
 * links it, which every other command would pay. Plain C types only, so that the plugin shares
 * no C++ objects with the program that loads it. Every function that can fail returns 0 (or
 * NULL) and writes a message into `error` (at most `error_size` bytes, NUL-terminated). */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct PtwinTorchScriptModel PtwinTorchScriptModel;
typedef struct PtwinTorchScriptTrainer PtwinTorchScriptTrainer;

/* Loads a TorchScript file and reads its string attribute `format`, int `halo_voxels` and, if
 * present, string `description`, which the caller reads back with the accessors below. */
PtwinTorchScriptModel* ptwin_torchscript_load(const char* path, int threads, char* error, size_t error_size);
/* The attribute's value, or NULL when the model does not have it with that type. */
const char* ptwin_torchscript_string_attribute(const PtwinTorchScriptModel* model, const char* name);
/* 1 and the value in *value when the model has an int attribute `name`, else 0. */
int ptwin_torchscript_int_attribute(const PtwinTorchScriptModel* model, const char* name, int64_t* value);
/* Optimises the loaded module for inference (freezing); call after reading the attributes. */
int ptwin_torchscript_freeze(PtwinTorchScriptModel* model, char* error, size_t error_size);
/* forward() on input[1, 1, depth, height, width] (float32, contiguous, z slowest); the output's
 * shape goes into output_shape[5] and its values, when they fit, into output (output_capacity
 * floats). Returns 1 on success. */
int ptwin_torchscript_forward(PtwinTorchScriptModel* model, const float* input, int64_t depth, int64_t height,
                              int64_t width, float* output, size_t output_capacity, int64_t* output_shape,
                              int* output_is_float32, char* error, size_t error_size);
void ptwin_torchscript_free(PtwinTorchScriptModel* model);

/* The small vessel segmenter (three unpadded 3D convolutions, 1 -> channels -> channels -> 1,
 * ReLU between them, halo 2; input normalised as (HU - 200) / 200 inside the model), initialised
 * with He-normal weights from `seed` and trained with Adam. */
PtwinTorchScriptTrainer* ptwin_torchscript_trainer_create(int64_t channels, double learning_rate, uint64_t seed,
                                                          const char* format, char* error, size_t error_size);
int64_t ptwin_torchscript_trainer_parameters(const PtwinTorchScriptTrainer* trainer);
/* One Adam step on inputs[batch, 1, in, in, in] and lumen targets (0/1) [batch, 1, out, out, out]
 * with out = in - 4; the binary cross-entropy of the logits goes into *loss. */
int ptwin_torchscript_trainer_step(PtwinTorchScriptTrainer* trainer, const float* inputs, const float* targets,
                                   int64_t batch, int64_t in, double* loss, char* error, size_t error_size);
/* Saves the module with a string attribute `description`. */
int ptwin_torchscript_trainer_save(PtwinTorchScriptTrainer* trainer, const char* path, const char* description,
                                   char* error, size_t error_size);
void ptwin_torchscript_trainer_free(PtwinTorchScriptTrainer* trainer);

#ifdef __cplusplus
}
#endif
