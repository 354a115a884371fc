//===- Functional.h - torch functions for traced C++ programs ---*- C++ -*-===//
//
// torch-namespace functions (`fx::torch::flatten`), torch.nn.functional (`fx::F::relu`) and
// autowrapped math functions (`fx::math::sqrt`). With a proxy among the arguments they record
// a call_function with torch's target name and the arguments torch.fx records (for the Python
// functions of torch.nn.functional, those of their `handle_torch_function` call); without one
// they compute the value (with the reference kernels), as Python would.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_FUNCTIONAL_H
#define FXMLIR_FRONTEND_FUNCTIONAL_H

#include "fxmlir/Frontend/Proxy.h"

namespace fx {

/// Any registered function by its torch target: a node with proxies, a value without.
Obj call(const std::string &target, const std::vector<Obj> &args, const Kwargs &kwargs = {});

namespace torch {
inline Obj flatten(const Obj &x) { return call("torch.flatten", {x}); }
inline Obj flatten(const Obj &x, Obj start) { return call("torch.flatten", {x, start}); }
inline Obj flatten(const Obj &x, Obj start, Obj end) { return call("torch.flatten", {x, start, end}); }
inline Obj cat(std::vector<Obj> tensors, Obj dim) { return call("torch.cat", {Obj::list(std::move(tensors)), dim}); }
inline Obj relu(const Obj &x) { return call("torch.relu", {x}); }
inline Obj sigmoid(const Obj &x) { return call("torch.sigmoid", {x}); }
inline Obj tanh(const Obj &x) { return call("torch.tanh", {x}); }
inline Obj matmul(const Obj &a, const Obj &b) { return call("torch.matmul", {a, b}); }
inline Obj permute(const Obj &x, std::vector<Obj> dims) { return call("torch.permute", {x, Obj::list(std::move(dims))}); }
inline Obj transpose(const Obj &x, Obj d0, Obj d1) { return call("torch.transpose", {x, d0, d1}); }
inline Obj onesLike(const Obj &x) { return call("torch.ones_like", {x}); }
inline Obj tril(const Obj &x) { return call("torch.tril", {x}); }
inline Obj cumsum(const Obj &x, Obj dim) { return call("torch.cumsum", {x}, {{"dim", dim}}); }
inline Obj mean(const Obj &x, Obj dim) { return call("torch.mean", {x, dim}); }
inline Obj sum(const Obj &x, Obj dim) { return call("torch.sum", {x, dim}); }
inline Obj sqrt(const Obj &x) { return call("torch.sqrt", {x}); }
} // namespace torch

namespace F {
inline Obj relu(const Obj &x, bool inplace = false) {
  return call("torch.nn.functional.relu", {x}, {{"inplace", Obj(inplace)}});
}
inline Obj gelu(const Obj &x) { return call("torch._C._nn.gelu", {x}); }
inline Obj softmax(const Obj &x, Obj dim) {
  return call("torch.nn.functional.softmax", {x},
              {{"dim", dim}, {"_stacklevel", Obj(3)}, {"dtype", Obj::none()}});
}
inline Obj adaptiveAvgPool2d(const Obj &x, Obj size) {
  return call("torch.nn.functional.adaptive_avg_pool2d", {x, size});
}
inline Obj dropout(const Obj &x, double p, bool training) {
  return call("torch.nn.functional.dropout", {x},
              {{"p", Obj(p)}, {"training", Obj(training)}, {"inplace", Obj(false)}});
}
inline Obj linear(const Obj &x, const Obj &w, const Obj &b) { return call("torch._C._nn.linear", {x, w, b}); }
} // namespace F

namespace math {
/// Autowrapped: a call_function math.X on a proxy, the C++ value otherwise.
Obj sqrt(const Obj &x);
Obj exp(const Obj &x);
Obj log(const Obj &x);
} // namespace math

} // namespace fx

#endif
