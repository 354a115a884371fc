//===- Obj.h - Values of a traced C++ program -------------------*- C++ -*-===//
//
// What flows through a traced forward: a Proxy (a node of the graph being built) or a
// Python-level value (int, float, bool, str, None, Ellipsis, slice, dtype, a constant tensor,
// and tuples, lists and dicts of these). Arithmetic on Objs records nodes when a proxy is
// involved and computes directly otherwise (sizes made concrete by param_shapes_constant).
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_OBJ_H
#define FXMLIR_FRONTEND_OBJ_H

#include "fxmlir/Runtime/Tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fx {

class Proxy;
class Tracer;

/// torch.fx's TraceError (a ValueError), and the other errors tracing raises; the message is
/// torch.fx's where it has one.
struct TraceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Obj {
public:
  enum class Kind { None, Bool, Int, Float, Str, Proxy, Tensor, Tuple, List, Dict, Slice,
                    Ellipsis, DType };

  Obj() = default;
  Obj(bool b) : kind(Kind::Bool), i(b) {}
  Obj(int v) : kind(Kind::Int), i(v) {}
  Obj(int64_t v) : kind(Kind::Int), i(v) {}
  Obj(double v) : kind(Kind::Float), f(v) {}
  Obj(const char *s) : kind(Kind::Str), s(s) {}
  Obj(std::string s) : kind(Kind::Str), s(std::move(s)) {}
  Obj(const Proxy &p);
  Obj(fxmlir::Tensor t) : kind(Kind::Tensor), tensor(std::make_shared<fxmlir::Tensor>(std::move(t))) {}
  Obj(std::initializer_list<Obj> items) : kind(Kind::Tuple), items(items) {}

  static Obj none() { return Obj(); }
  static Obj ellipsis() { Obj o; o.kind = Kind::Ellipsis; return o; }
  static Obj dtype(fxmlir::DType d) { Obj o; o.kind = Kind::DType; o.s = fxmlir::dtypeName(d); return o; }
  static Obj tuple(std::vector<Obj> v) { Obj o; o.kind = Kind::Tuple; o.items = std::move(v); return o; }
  static Obj list(std::vector<Obj> v) { Obj o; o.kind = Kind::List; o.items = std::move(v); return o; }
  static Obj dict(std::vector<std::pair<Obj, Obj>> entries);
  static Obj slice(Obj start, Obj stop) { return slice(std::move(start), std::move(stop), none()); }
  static Obj slice(Obj start, Obj stop, Obj step) {
    Obj o;
    o.kind = Kind::Slice;
    o.items = {std::move(start), std::move(stop), std::move(step)};
    return o;
  }

  Kind getKind() const { return kind; }
  bool isProxy() const { return kind == Kind::Proxy; }
  bool isNone() const { return kind == Kind::None; }
  /// True if a proxy appears anywhere inside.
  bool containsProxy() const;
  /// The proxy this value is (throws TraceError for other values).
  Proxy proxy() const;
  int64_t toInt() const;
  double toDouble() const;
  const std::string &str() const { return s; }
  const fxmlir::Tensor &getTensor() const { return *tensor; }
  const std::vector<Obj> &getItems() const { return items; }
  const std::vector<Obj> &getKeys() const { return keys; }

  /// `obj[index]`: a getitem node for a proxy, the element otherwise.
  Obj operator[](const Obj &index) const;

private:
  Kind kind = Kind::None;
  int64_t i = 0;
  double f = 0;
  std::string s;
  // A proxy is held inline (no allocation): its tracer, node value and, under
  // param_shapes_constant, its known shape.
  Tracer *tracer = nullptr;
  void *value = nullptr;
  std::shared_ptr<const fxmlir::Shape> concreteShape;
  std::shared_ptr<fxmlir::Tensor> tensor;
  std::vector<Obj> items, keys;
};

// Python arithmetic on values: records operator.* nodes when a proxy is involved.
Obj operator+(const Obj &a, const Obj &b);
Obj operator-(const Obj &a, const Obj &b);
Obj operator*(const Obj &a, const Obj &b);
Obj operator/(const Obj &a, const Obj &b);
Obj floordiv(const Obj &a, const Obj &b);
Obj mod(const Obj &a, const Obj &b);

} // namespace fx

#endif
