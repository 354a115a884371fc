//===- Npy.h - NumPy .npy files -----------------------------------*- C++ -*-===//
#ifndef FXMLIR_RUNTIME_NPY_H
#define FXMLIR_RUNTIME_NPY_H

#include "fxmlir/Runtime/Tensor.h"

#include <string>

namespace fxmlir {
/// Reads a C-ordered .npy file (bool, u8, i8, i16, i32, i64, f16, f32, f64; little endian).
/// Throws OpError with the reason on anything else.
Tensor readNpy(const std::string &path);
/// Writes `t` as a .npy file of its dtype.
void writeNpy(const std::string &path, const Tensor &t);
} // namespace fxmlir

#endif
