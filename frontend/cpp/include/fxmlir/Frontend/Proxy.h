//===- Proxy.h - A value being traced ---------------------------*- C++ -*-===//
//
// torch.fx's Proxy: operators record `call_function operator.X`, methods record
// `call_method`, and anything that needs a concrete value (a branch, a loop, len) raises
// torch.fx's TraceError.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_PROXY_H
#define FXMLIR_FRONTEND_PROXY_H

#include "fxmlir/Frontend/Obj.h"

#include <optional>

namespace fx {

using Kwargs = std::vector<std::pair<std::string, Obj>>;

class Proxy {
public:
  Proxy(Tracer *tracer, void *value) : tracer(tracer), value(value) {}

  Tracer *getTracer() const { return tracer; }
  /// The mlir::Value of the node, as an opaque pointer (mlir::Value::getFromOpaquePointer).
  void *getValue() const { return value; }

  /// A call_method node on this proxy.
  Proxy method(const std::string &name, std::vector<Obj> args = {}, Kwargs kwargs = {}) const;

  // Tensor methods, recorded as call_method with torch's names.
  Proxy view(std::vector<Obj> size) const { return method("view", std::move(size)); }
  Proxy reshape(std::vector<Obj> size) const { return method("reshape", std::move(size)); }
  Proxy permute(std::vector<Obj> dims) const { return method("permute", std::move(dims)); }
  Proxy transpose(Obj d0, Obj d1) const { return method("transpose", {d0, d1}); }
  Proxy flatten(Obj start = 0) const { return method("flatten", {start}); }
  Proxy contiguous() const { return method("contiguous"); }
  Proxy relu() const { return method("relu"); }
  Proxy sigmoid() const { return method("sigmoid"); }
  Proxy softmax(Obj dim) const { return method("softmax", {dim}); }
  Proxy mean(Obj dims, bool keepdim = false) const;
  Proxy sum(Obj dim) const { return method("sum", {dim}); }
  Proxy matmul(const Obj &other) const { return method("matmul", {other}); }
  Proxy maskedFill(const Obj &mask, Obj value) const { return method("masked_fill", {mask, value}); }
  Proxy split(Obj size, Obj dim) const;
  Proxy chunk(Obj chunks, Obj dim) const;
  Proxy unsqueeze(Obj dim) const { return method("unsqueeze", {dim}); }
  Proxy clamp(Obj min, Obj max) const;
  Proxy to(fxmlir::DType dtype) const { return method("to", {Obj::dtype(dtype)}); }
  /// `x.size()` and `x.size(d)`: a node, or a concrete int under param_shapes_constant.
  Obj size() const;
  Obj size(Obj dim) const;
  Obj dim() const;
  /// `x.shape` / `x.dtype`: `getattr(x, 'shape')` nodes.
  Obj shape() const;
  Proxy attr(const std::string &name) const;

  Obj operator[](const Obj &index) const;

  /// `if x:` on a proxy: torch.fx's TraceError.
  explicit operator bool() const;
  /// `for v in x:` on a proxy: torch.fx's TraceError (C++ range-for calls begin()).
  const Obj *begin() const;
  const Obj *end() const;

  /// Set by getattr under param_shapes_constant: the parameter's shape is known.
  std::optional<fxmlir::Shape> concreteShape;

private:
  Tracer *tracer;
  void *value;
};

/// len(proxy): torch.fx's RuntimeError.
int64_t len(const Proxy &p);

// Operators record operator.* call_function nodes; a literal on the left gives the reflected
// form (`1.0 / x` -> operator.truediv(1.0, x)).
#define FX_PROXY_BINARY(OP)                                                                       \
  Proxy operator OP(const Proxy &a, const Obj &b);                                               \
  Proxy operator OP(const Proxy &a, const Proxy &b);                                             \
  Proxy operator OP(double a, const Proxy &b);                                                   \
  Proxy operator OP(int64_t a, const Proxy &b);                                                  \
  Proxy operator OP(int a, const Proxy &b);
FX_PROXY_BINARY(+)
FX_PROXY_BINARY(-)
FX_PROXY_BINARY(*)
FX_PROXY_BINARY(/)
FX_PROXY_BINARY(%)
FX_PROXY_BINARY(<<)
FX_PROXY_BINARY(>>)
FX_PROXY_BINARY(&)
FX_PROXY_BINARY(|)
FX_PROXY_BINARY(^)
FX_PROXY_BINARY(==)
FX_PROXY_BINARY(!=)
FX_PROXY_BINARY(<)
FX_PROXY_BINARY(<=)
FX_PROXY_BINARY(>)
FX_PROXY_BINARY(>=)
#undef FX_PROXY_BINARY
Proxy operator-(const Proxy &a);
Proxy operator+(const Proxy &a);
Proxy operator~(const Proxy &a);
/// Python operators C++ lacks: //, **, @, abs.
Proxy floordiv(const Proxy &a, const Obj &b);
Proxy pow(const Proxy &a, const Obj &b);
Proxy matmul(const Obj &a, const Obj &b);
Proxy abs(const Proxy &a);

} // namespace fx

#endif
