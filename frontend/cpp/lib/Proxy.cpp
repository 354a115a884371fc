//===- Proxy.cpp - A value being traced -----------------------------------===//
#include "fxmlir/Frontend/Proxy.h"
#include "fxmlir/Frontend/Tracer.h"

namespace fx {

Proxy Proxy::method(const std::string &name, std::vector<Obj> args, Kwargs kwargs) const {
  args.insert(args.begin(), Obj(*this));
  return tracer->createProxy("call_method", name, args, kwargs);
}

Proxy Proxy::mean(Obj dims, bool keepdim) const {
  if (keepdim)
    return method("mean", {dims}, {{"keepdim", Obj(true)}});
  return method("mean", {dims});
}
Proxy Proxy::split(Obj size, Obj dim) const { return method("split", {size}, {{"dim", dim}}); }
Proxy Proxy::chunk(Obj chunks, Obj dim) const { return method("chunk", {chunks}, {{"dim", dim}}); }
Proxy Proxy::clamp(Obj min, Obj max) const {
  return method("clamp", {}, {{"min", min}, {"max", max}});
}

Obj Proxy::size() const {
  if (concreteShape) {
    std::vector<Obj> dims;
    for (int64_t d : *concreteShape)
      dims.push_back(Obj(d));
    return Obj::tuple(dims);
  }
  return method("size");
}
Obj Proxy::size(Obj dim) const {
  if (concreteShape)
    return Obj((*concreteShape)[fxmlir::wrapDim(dim.toInt(), (int64_t)concreteShape->size())]);
  return method("size", {dim});
}
Obj Proxy::dim() const {
  if (concreteShape)
    return Obj((int64_t)concreteShape->size());
  return method("dim");
}
Obj Proxy::shape() const {
  if (concreteShape)
    return size();
  return attr("shape");
}
Proxy Proxy::attr(const std::string &name) const {
  return tracer->createProxy("call_function", "builtins.getattr", {Obj(*this), Obj(name)});
}

Obj Proxy::operator[](const Obj &index) const {
  return tracer->createProxy("call_function", "operator.getitem", {Obj(*this), index});
}

Proxy::operator bool() const {
  throw TraceError("symbolically traced variables cannot be used as inputs to control flow");
}

const Obj *Proxy::begin() const {
  throw TraceError(
      "Proxy object cannot be iterated. This can be attempted when the Proxy is used in a loop "
      "or as a *args or **kwargs function argument. See the torch.fx docs on pytorch.org for a "
      "more detailed explanation of what types of control flow can be traced, and check out the "
      "Proxy docstring for help troubleshooting Proxy iteration errors");
}
const Obj *Proxy::end() const { return begin(); }

int64_t len(const Proxy &) {
  throw TraceError("'len' is not supported in symbolic tracing by default. If you want this "
                   "call to be recorded, please call torch.fx.wrap('len') at module scope");
}

static Proxy binary(const char *target, const Obj &a, const Obj &b) {
  Tracer *t = a.isProxy() ? a.proxy().getTracer() : b.proxy().getTracer();
  return t->createProxy("call_function", target, {a, b});
}

#define FX_PROXY_BINARY(OP, TARGET)                                                               \
  Proxy operator OP(const Proxy &a, const Obj &b) { return binary(TARGET, Obj(a), b); }          \
  Proxy operator OP(const Proxy &a, const Proxy &b) { return binary(TARGET, Obj(a), Obj(b)); }   \
  Proxy operator OP(double a, const Proxy &b) { return binary(TARGET, Obj(a), Obj(b)); }         \
  Proxy operator OP(int64_t a, const Proxy &b) { return binary(TARGET, Obj(a), Obj(b)); }        \
  Proxy operator OP(int a, const Proxy &b) { return binary(TARGET, Obj(a), Obj(b)); }
FX_PROXY_BINARY(+, "operator.add")
FX_PROXY_BINARY(-, "operator.sub")
FX_PROXY_BINARY(*, "operator.mul")
FX_PROXY_BINARY(/, "operator.truediv")
FX_PROXY_BINARY(%, "operator.mod")
FX_PROXY_BINARY(<<, "operator.lshift")
FX_PROXY_BINARY(>>, "operator.rshift")
FX_PROXY_BINARY(&, "operator.and_")
FX_PROXY_BINARY(|, "operator.or_")
FX_PROXY_BINARY(^, "operator.xor")
FX_PROXY_BINARY(==, "operator.eq")
FX_PROXY_BINARY(!=, "operator.ne")
FX_PROXY_BINARY(<, "operator.lt")
FX_PROXY_BINARY(<=, "operator.le")
FX_PROXY_BINARY(>, "operator.gt")
FX_PROXY_BINARY(>=, "operator.ge")
#undef FX_PROXY_BINARY

static Proxy unary(const char *target, const Proxy &a) {
  return a.getTracer()->createProxy("call_function", target, {Obj(a)});
}
Proxy operator-(const Proxy &a) { return unary("operator.neg", a); }
Proxy operator+(const Proxy &a) { return unary("operator.pos", a); }
Proxy operator~(const Proxy &a) { return unary("operator.invert", a); }
Proxy abs(const Proxy &a) { return unary("operator.abs", a); }
Proxy floordiv(const Proxy &a, const Obj &b) { return binary("operator.floordiv", Obj(a), b); }
Proxy pow(const Proxy &a, const Obj &b) { return binary("operator.pow", Obj(a), b); }
Proxy matmul(const Obj &a, const Obj &b) { return binary("operator.matmul", a, b); }

} // namespace fx
