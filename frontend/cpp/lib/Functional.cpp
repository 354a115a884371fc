//===- Functional.cpp - torch functions for traced C++ programs -----------===//
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Tracer.h"
#include "fxmlir/Ops/Registry.h"

#include <cmath>

namespace fx {

static fxmlir::PyValue toPyValue(const Obj &o) {
  using K = Obj::Kind;
  std::vector<fxmlir::PyValue> items;
  for (const Obj &i : o.getItems())
    items.push_back(toPyValue(i));
  switch (o.getKind()) {
  case K::None: return fxmlir::PyValue::none();
  case K::Bool: return fxmlir::PyValue::boolean(o.toInt() != 0);
  case K::Int: return fxmlir::PyValue::integer(o.toInt());
  case K::Float: return fxmlir::PyValue::floating(o.toDouble());
  case K::Str: return fxmlir::PyValue::str(o.str());
  case K::Tensor: return fxmlir::PyValue(o.getTensor());
  case K::Tuple: return fxmlir::PyValue::tuple(items);
  case K::List: return fxmlir::PyValue::list(items);
  case K::Slice: return fxmlir::PyValue::slice(items[0], items[1], items[2]);
  case K::Ellipsis: return fxmlir::PyValue::ellipsis();
  case K::DType: {
    fxmlir::DType d;
    fxmlir::parseDType(o.str(), d);
    return fxmlir::PyValue::dtype(d);
  }
  default: throw TraceError("cannot evaluate this argument");
  }
}

static Obj fromPyValue(const fxmlir::PyValue &v) {
  using K = fxmlir::PyValue::Kind;
  switch (v.kind()) {
  case K::Tensor: return Obj(v.tensor());
  case K::Int: return Obj(v.toInt());
  case K::Float: return Obj(v.toDouble());
  case K::Bool: return Obj(v.toBool());
  case K::None: return Obj::none();
  case K::Tuple: case K::List: {
    std::vector<Obj> items;
    for (const auto &i : v.items())
      items.push_back(fromPyValue(i));
    return v.kind() == K::Tuple ? Obj::tuple(items) : Obj::list(items);
  }
  default: throw TraceError("cannot represent the result of this call");
  }
}

Obj call(const std::string &target, const std::vector<Obj> &args, const Kwargs &kwargs) {
  bool proxy = false;
  for (const Obj &a : args)
    proxy |= a.containsProxy();
  for (const auto &kv : kwargs)
    proxy |= kv.second.containsProxy();
  if (proxy)
    return Tracer::current()->callFunction(target, args, kwargs);
  // No proxy: Python would just run the function.
  std::vector<fxmlir::PyValue> a;
  for (const Obj &o : args)
    a.push_back(toPyValue(o));
  std::vector<std::pair<std::string, fxmlir::PyValue>> kw;
  for (const auto &[k, o] : kwargs)
    kw.emplace_back(k, toPyValue(o));
  try {
    return fromPyValue(fxmlir::callTarget("call_function", target, a, kw));
  } catch (const fxmlir::OpError &e) {
    throw TraceError(target + ": " + e.what());
  }
}

namespace math {
static Obj autowrapped(const char *target, const Obj &x, double (*f)(double)) {
  if (x.containsProxy())
    return Tracer::current()->callFunction(target, {x});
  return Obj(f(x.toDouble()));
}
Obj sqrt(const Obj &x) { return autowrapped("math.sqrt", x, [](double v) { return std::sqrt(v); }); }
Obj exp(const Obj &x) { return autowrapped("math.exp", x, [](double v) { return std::exp(v); }); }
Obj log(const Obj &x) { return autowrapped("math.log", x, [](double v) { return std::log(v); }); }
} // namespace math

} // namespace fx
