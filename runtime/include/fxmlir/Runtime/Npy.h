//===- Npy.h - NumPy .npy files -----------------------------------*- C++ -*-===//
#ifndef FXMLIR_RUNTIME_NPY_H
#define FXMLIR_RUNTIME_NPY_H

#include "fxmlir/Runtime/Tensor.h"

#include <string>

namespace fxmlir {
/// Reads a .npy file as numpy writes it: bool, u8, i8, i16, i32, i64, f16, f32 or f64, in
/// either byte order, C or Fortran order (a transposed view: read back row-major). Throws
/// OpError with the reason on anything else (naming a dtype it does not take, such as complex).
Tensor readNpy(const std::string &path);
/// Writes `t` as a .npy file of its dtype.
void writeNpy(const std::string &path, const Tensor &t);
} // namespace fxmlir

#endif
