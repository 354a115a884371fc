//===- Entry.h - Calling compiled graphs ---------------------------*- C++ -*-===//
//
// A compiled graph (JIT or shared library) exposes `void <name>_packed(void **buffers)` and a
// signature string such as "x:f32[1,3,8,8]->output0:f32[1,10]". These helpers check inputs
// against the signature, convert tensors to and from the buffers' element types, and call.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_ENTRY_H
#define FXMLIR_RUNTIME_ENTRY_H

#include "fxmlir/Runtime/Tensor.h"

#include <string>
#include <vector>

namespace fxmlir {

struct TensorSpec {
  std::string name;
  DType dtype;
  Shape shape;
};

struct EntrySignature {
  std::vector<TensorSpec> inputs, outputs;
  /// Parses the signature string; throws OpError if it is malformed.
  static EntrySignature parse(const std::string &text);
};

using PackedEntry = void (*)(void **);

/// Device memory functions of a CUDA library (fx_cuda_alloc, ...), for its `_device` entries.
struct DeviceMemory {
  void *(*alloc)(size_t) = nullptr;
  void (*free)(void *) = nullptr;
  void (*toDevice)(void *, const void *, size_t) = nullptr;
  void (*toHost)(void *, const void *, size_t) = nullptr;
};

/// Runs `entry` `repeat` times on `inputs` (checked against `signature`, throws OpError on a
/// mismatch); returns the outputs and, in `seconds`, the time of each run. With `device`,
/// `entry` is a `_device` entry: the buffers are copied to device memory once, before the
/// timed runs, and the outputs back after them.
std::vector<Tensor> callEntry(PackedEntry entry, const EntrySignature &signature,
                              const std::vector<Tensor> &inputs, int repeat,
                              std::vector<double> &seconds,
                              const DeviceMemory *device = nullptr);

} // namespace fxmlir

#endif
