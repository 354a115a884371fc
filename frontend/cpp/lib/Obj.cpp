//===- Obj.cpp - Values of a traced C++ program ---------------------------===//
#include "fxmlir/Frontend/Obj.h"
#include "fxmlir/Frontend/Proxy.h"
#include "fxmlir/Frontend/Tracer.h"

#include <cmath>

namespace fx {

Obj::Obj(const Proxy &proxy)
    : kind(Kind::Proxy), tracer(proxy.getTracer()), value(proxy.getValue()) {
  if (proxy.concreteShape)
    concreteShape = std::make_shared<const fxmlir::Shape>(*proxy.concreteShape);
}

Obj Obj::dict(std::vector<std::pair<Obj, Obj>> entries) {
  Obj o;
  o.kind = Kind::Dict;
  for (auto &[k, v] : entries) {
    if (k.containsProxy())
      throw TraceError("Keys for dictionaries used as an argument cannot contain a Node. Got key: "
                       "a proxy");
    o.keys.push_back(k);
    o.items.push_back(v);
  }
  return o;
}

bool Obj::containsProxy() const {
  if (kind == Kind::Proxy)
    return true;
  for (const Obj &o : items)
    if (o.containsProxy())
      return true;
  return false;
}

Proxy Obj::proxy() const {
  if (kind != Kind::Proxy)
    throw TraceError("expected a traced value (Proxy)");
  Proxy p(tracer, value);
  if (concreteShape)
    p.concreteShape = *concreteShape;
  return p;
}

int64_t Obj::toInt() const {
  if (kind == Kind::Int || kind == Kind::Bool)
    return i;
  if (kind == Kind::Proxy)
    throw TraceError("symbolically traced variables cannot be used as inputs to control flow");
  throw TraceError("expected an int");
}

double Obj::toDouble() const {
  if (kind == Kind::Float)
    return f;
  return (double)toInt();
}

Obj Obj::operator[](const Obj &index) const {
  if (kind == Kind::Proxy)
    return proxy()[index];
  if (kind == Kind::Tuple || kind == Kind::List) {
    int64_t n = (int64_t)items.size(), k = index.toInt();
    if (k < -n || k >= n)
      throw TraceError("index out of range");
    return items[k < 0 ? k + n : k];
  }
  if (kind == Kind::Dict) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const Obj &key = keys[k];
      if (key.kind == index.kind && key.s == index.s && key.i == index.i && key.f == index.f)
        return items[k];
    }
    throw TraceError("KeyError");
  }
  throw TraceError("object is not subscriptable");
}

/// Python arithmetic: a node if a proxy is involved, the value otherwise.
static Obj arith(const char *target, const Obj &a, const Obj &b,
                 double (*f)(double, double), bool intResult) {
  if (a.containsProxy() || b.containsProxy()) {
    Tracer *t = a.isProxy() ? a.proxy().getTracer() : b.proxy().getTracer();
    return t->createProxy("call_function", target, {a, b});
  }
  double r = f(a.toDouble(), b.toDouble());
  bool ints = a.getKind() != Obj::Kind::Float && b.getKind() != Obj::Kind::Float;
  if (ints && intResult)
    return Obj((int64_t)r);
  return Obj(r);
}

Obj operator+(const Obj &a, const Obj &b) {
  return arith("operator.add", a, b, [](double x, double y) { return x + y; }, true);
}
Obj operator-(const Obj &a, const Obj &b) {
  return arith("operator.sub", a, b, [](double x, double y) { return x - y; }, true);
}
Obj operator*(const Obj &a, const Obj &b) {
  return arith("operator.mul", a, b, [](double x, double y) { return x * y; }, true);
}
Obj operator/(const Obj &a, const Obj &b) {
  return arith("operator.truediv", a, b, [](double x, double y) { return x / y; }, false);
}
Obj floordiv(const Obj &a, const Obj &b) {
  return arith("operator.floordiv", a, b, [](double x, double y) { return std::floor(x / y); }, true);
}
Obj mod(const Obj &a, const Obj &b) {
  return arith("operator.mod", a, b,
               [](double x, double y) { return x - std::floor(x / y) * y; }, true);
}

} // namespace fx
