//===- KernelUtils.h - Shared helpers of the reference kernels --*- C++ -*-===//
#ifndef FXMLIR_OPS_LIB_KERNELUTILS_H
#define FXMLIR_OPS_LIB_KERNELUTILS_H

#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Ops/ShapeRules.h"

#include <cmath>

namespace fxmlir {

/// A tensor from a tensor or a Python number (0-d, of the number's default dtype).
Tensor asTensor(const PyValue &v);

/// The dtype of `a op b` under torch's promotion, where Python numbers only raise the category.
DType resultDType(const PyValue &a, const PyValue &b);

/// Applies `f` elementwise with broadcasting; numbers on both sides give a Python number
/// (`intResult` tells whether int op int stays int). The result has dtype `out` when given.
PyValue binary(const PyValue &a, const PyValue &b, const std::function<Element(Element, Element)> &f,
               bool intResult, const DType *out = nullptr);

/// `f` on every element; the result keeps the dtype unless `out` says otherwise.
Tensor unary(const Tensor &t, const std::function<Element(Element)> &f, const DType *out = nullptr);

/// A shape seen as [outer, size, inner] around `dim`: how many slices precede it, its size and
/// the contiguous run each of its positions covers.
struct DimSplit {
  int64_t outer = 1, size = 1, inner = 1;
};
DimSplit splitAt(const Shape &shape, int64_t dim);

/// x[...] with the tensor entries of an index (see splitTensorIndex), after its basic entries:
/// integer tensors, lists of ints and bool masks starting at the given dims of `x`.
Tensor indexByTensors(const Tensor &x, const std::vector<std::pair<int64_t, PyValue>> &entries);

/// An op's aten spellings: torch.ops.aten.<name> (the overload packet, which picks an overload
/// by its arguments) and torch.ops.aten.<name>.<overload> for each of `overloads`.
inline std::vector<std::string> atenSpellings(const std::string &name,
                                              std::vector<std::string> overloads = {"default"}) {
  std::vector<std::string> spellings = {"torch.ops.aten." + name};
  for (const std::string &o : overloads)
    spellings.push_back("torch.ops.aten." + name + "." + o);
  return spellings;
}

/// `a` followed by `b`: an entry's aliases and spellings made by a helper.
inline std::vector<std::string> concat(std::vector<std::string> a,
                                       const std::vector<std::string> &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace fxmlir

#endif
