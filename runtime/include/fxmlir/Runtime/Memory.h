//===- Memory.h - Checking allocations sized by the input -------*- C++ -*-===//
//
// A tensor's size comes from its graph or its input files, so it can be anything. Allocating
// more than the machine has must be an error naming the tensor, not an abort: a failed `new`
// aborts in the LLVM tools, and on Linux (overcommit) a huge allocation may even succeed and
// get the process killed when its pages are touched. So tensors are checked before they exist.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_MEMORY_H
#define FXMLIR_RUNTIME_MEMORY_H

#include "fxmlir/Runtime/Tensor.h"

#include <cstdint>

namespace fxmlir {

/// Bytes this process can still allocate and touch: the memory the system has available (RAM
/// and swap), within the process's address-space and data limits and its cgroup's limit.
uint64_t availableMemory();

/// The number of elements of a `dtype` tensor of `shape`; throws OpError, naming the tensor
/// and its size, if a dimension is negative or if `bytesPerElement` bytes per element do not
/// fit in `availableMemory()`.
int64_t checkedNumElements(const Shape &shape, DType dtype, uint64_t bytesPerElement);

} // namespace fxmlir

#endif
