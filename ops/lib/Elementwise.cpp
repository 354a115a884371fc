//===- Elementwise.cpp - Arithmetic, comparisons, activations -------------===//
#include "KernelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <algorithm>
#include <limits>

namespace fxmlir {

Tensor asTensor(const PyValue &v) {
  if (v.isTensor())
    return v.tensor();
  if (v.kind() == PyValue::Kind::Bool)
    return Tensor({}, DType::Bool, v.toDouble());
  if (v.kind() == PyValue::Kind::Int)
    return Tensor({}, DType::I64, v.toDouble());
  if (v.kind() == PyValue::Kind::Float)
    return Tensor({}, DType::F32, v.toDouble());
  throw OpError(std::string("expected a Tensor or a number, got ") + v.kindName() + " " +
                v.describe());
}

static int category(DType d) { return d == DType::Bool ? 0 : isFloating(d) ? 2 : 1; }
static int category(const PyValue &v) {
  if (v.isTensor())
    return category(v.tensor().dtype());
  return v.kind() == PyValue::Kind::Bool ? 0 : v.kind() == PyValue::Kind::Int ? 1 : 2;
}

DType resultDType(const PyValue &a, const PyValue &b) {
  // Dimensioned tensors win over 0-d tensors and numbers within a category (torch.result_type).
  auto rank = [](const PyValue &v) { return v.isTensor() ? (v.tensor().dim() > 0 ? 2 : 1) : 0; };
  auto dtypeOf = [](const PyValue &v) {
    if (v.isTensor())
      return v.tensor().dtype();
    return v.kind() == PyValue::Kind::Bool ? DType::Bool
           : v.kind() == PyValue::Kind::Int ? DType::I64
                                            : DType::F32;
  };
  int ra = rank(a), rb = rank(b);
  if (ra == rb)
    return promoteTypes(dtypeOf(a), dtypeOf(b));
  const PyValue &hi = ra > rb ? a : b, &lo = ra > rb ? b : a;
  if (category(lo) > category(hi))
    return isFloating(dtypeOf(lo)) && !lo.isTensor() ? DType::F32 : dtypeOf(lo);
  return dtypeOf(hi);
}

PyValue binary(const PyValue &a, const PyValue &b, const std::function<double(double, double)> &f,
               bool intResult, const DType *out) {
  if (!a.isTensor() && !b.isTensor()) {
    double r = f(a.toDouble(), b.toDouble());
    bool ints = a.kind() != PyValue::Kind::Float && b.kind() != PyValue::Kind::Float;
    if (out && *out == DType::Bool)
      return PyValue::boolean(r != 0);
    if (ints && intResult)
      return PyValue::integer((int64_t)r);
    return PyValue::floating(r);
  }
  Tensor ta = asTensor(a), tb = asTensor(b);
  DType dtype = out ? *out : resultDType(a, b);
  Shape shape = broadcastShapes(ta.shape(), tb.shape());
  std::vector<int64_t> ia = broadcastIndex(ta, shape), ib = broadcastIndex(tb, shape);
  Tensor r(shape, dtype);
  for (int64_t i = 0; i < r.numel(); ++i)
    r[i] = f(ta[ia[i]], tb[ib[i]]);
  return r.round();
}

Tensor unary(const Tensor &t, const std::function<double(double)> &f, const DType *out) {
  Tensor r(t.shape(), out ? *out : t.dtype());
  for (int64_t i = 0; i < t.numel(); ++i)
    r[i] = f(t[i]);
  return r.round();
}

DimSplit splitAt(const Shape &shape, int64_t dim) {
  DimSplit s;
  for (int64_t i = 0; i < (int64_t)shape.size(); ++i) {
    if (i < dim)
      s.outer *= shape[i];
    else if (i == dim)
      s.size = shape[i];
    else
      s.inner *= shape[i];
  }
  return s;
}

std::vector<int64_t> reductionDims(const PyValue &dims, int64_t rank) {
  std::vector<int64_t> out;
  if (!dims.isNone())
    for (int64_t d : dims.toIntList())
      out.push_back(wrapDim(d, rank));
  if (out.empty())
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(d);
  std::sort(out.begin(), out.end());
  return out;
}

static double pyFloorDiv(double a, double b) { return std::floor(a / b); }
static double pyMod(double a, double b) { return a - std::floor(a / b) * b; }

/// Floating results of integer inputs (true division, sqrt, ...) are float32, as in torch.
static DType floatOf(DType d) { return isFloating(d) ? d : DType::F32; }

static PyValue trueDivide(const PyValue &a, const PyValue &b) {
  if (!a.isTensor() && !b.isTensor()) {
    if (b.toDouble() == 0)
      throw OpError("division by zero");
    return PyValue::floating(a.toDouble() / b.toDouble());
  }
  DType out = floatOf(resultDType(a, b));
  return binary(a, b, [](double x, double y) { return x / y; }, false, &out);
}

static double gelu(double x, bool tanhApprox) {
  if (tanhApprox)
    return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
}

using mlir::Value;
using mlir::ValueRange;
using E = ElementBuilder &;

/// The type both sides of a comparison are brought to: torch's promotion of the operands.
static mlir::Type comparisonType(LoweringContext &c, const Lowered &x, const Lowered &y) {
  mlir::Type best;
  bool literalFloat = false;
  for (const Lowered *v : {&x, &y}) {
    if (!v->isTensor()) {
      literalFloat |= v->isLiteral() && v->literal().kind() == PyValue::Kind::Float;
      continue;
    }
    mlir::Type t = elementTypeOf(v->tensor());
    bool tf = mlir::isa<mlir::FloatType>(t), bf = best && mlir::isa<mlir::FloatType>(best);
    if (!best || (tf && !bf) ||
        (tf == bf && t.getIntOrFloatBitWidth() > best.getIntOrFloatBitWidth()))
      best = t;
  }
  if (literalFloat && !mlir::isa<mlir::FloatType>(best))
    return c.b.getF32Type();
  return best.isInteger(1) ? c.b.getI64Type() : best;
}

static Lowering compareLowering(mlir::arith::CmpFPredicate fp, mlir::arith::CmpIPredicate ip) {
  return [fp, ip](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::Type t = comparisonType(c, a.at(0), a.at(1));
    return c.map({a.at(0), a.at(1)}, c.result(),
                 [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) -> Value {
                   Value p = LoweringContext::cast(b, l, x[0], t);
                   Value q = LoweringContext::cast(b, l, x[1], t);
                   if (mlir::isa<mlir::FloatType>(t))
                     return mlir::arith::CmpFOp::create(b, l, fp, p, q);
                   return mlir::arith::CmpIOp::create(b, l, ip, p, q);
                 },
                 t);
  };
}

/// Python's floor division and modulo (the result takes the divisor's sign).
static Value floorDivElement(E e, Value x, Value y) {
  if (e.isFloat())
    return mlir::math::FloorOp::create(e.b, e.loc, e.div(x, y));
  return mlir::arith::FloorDivSIOp::create(e.b, e.loc, x, y);
}
static Value modElement(E e, Value x, Value y) { return e.sub(x, e.mul(floorDivElement(e, x, y), y)); }

static Value clampTo(E e, Value x, double lo, double hi) {
  return e.min(e.max(x, e.constant(lo)), e.constant(hi));
}
static Value sigmoidOf(E e, Value x) {
  Value one = e.constant(1);
  return e.div(one, e.add(one, e.exp(e.neg(x))));
}

/// Dropout-like ops are the identity in eval mode; in training they are random.
static Lowering identityUnlessTraining(const char *op) {
  return [op](LoweringContext &, const LoweredArgs &a) -> Lowered {
    if (a.toBool("training") && a.toDouble("p") > 0)
      throw OpError(std::string(op) + " with training=True is random and cannot be compiled; "
                    "lower the model in eval mode");
    return a["input"];
  };
}

void registerElementwiseOps(Registry &r) {
  using K = const BoundArgs &;
  auto arith = [&](const std::string &name, std::vector<std::string> aliases,
                   std::function<double(double, double)> f, bool intResult, ElementFn lower) {
    r.addOp(name + "(Any self, Any other)", std::move(aliases), [f, intResult](K a) {
      return binary(a["self"], a["other"], f, intResult);
    }).lowerWith(mapLowering({0, 1}, std::move(lower)));
  };
  // add/sub with alpha: x + alpha * y.
  auto withAlpha = [](bool subtract) -> Lowering {
    return [subtract](LoweringContext &c, const LoweredArgs &a) -> Lowered {
      double alpha = a.toDouble("alpha");
      return mapLowering({0, 1}, [=](E e, ValueRange x) {
        Value y = alpha == 1 ? x[1] : e.mul(x[1], e.constant(alpha));
        return subtract ? e.sub(x[0], y) : e.add(x[0], y);
      })(c, a);
    };
  };
  r.addOp("operator.add(Any self, Any other, *, Scalar alpha=1)",
          {"torch.add", "method:add", "method:__add__"}, [](K a) {
            double alpha = a.toDouble("alpha");
            if (a["self"].kind() == PyValue::Kind::List) { // list concatenation
              std::vector<PyValue> items = a["self"].items();
              for (const PyValue &v : a["other"].items())
                items.push_back(v);
              return PyValue::list(items);
            }
            return binary(a["self"], a["other"], [alpha](double x, double y) { return x + alpha * y; },
                          true);
          }).lowerWith(withAlpha(false));
  r.addOp("operator.sub(Any self, Any other, *, Scalar alpha=1)", {"torch.sub", "method:sub"},
          [](K a) {
            double alpha = a.toDouble("alpha");
            return binary(a["self"], a["other"],
                          [alpha](double x, double y) { return x - alpha * y; }, true);
          }).lowerWith(withAlpha(true));
  arith("operator.mul", {"torch.mul", "method:mul", "method:__mul__"},
        [](double x, double y) { return x * y; }, true, [](E e, ValueRange x) { return e.mul(x[0], x[1]); });
  r.addOp("operator.truediv(Any self, Any other)", {"torch.div", "method:div", "torch.true_divide"},
          [](K a) { return trueDivide(a["self"], a["other"]); })
      .lowerWith(mapLowering({0, 1}, [](E e, ValueRange x) { return e.div(x[0], x[1]); }));
  arith("operator.floordiv", {"torch.floor_divide", "method:floor_divide"}, pyFloorDiv, true,
        [](E e, ValueRange x) { return floorDivElement(e, x[0], x[1]); });
  arith("operator.mod", {"torch.remainder", "method:remainder"}, pyMod, true,
        [](E e, ValueRange x) { return modElement(e, x[0], x[1]); });
  r.addOp("operator.pow(Any self, Any exponent)", {"torch.pow", "method:pow"}, [](K a) {
    const PyValue &x = a["self"], &e = a["exponent"];
    bool intPow = x.kind() == PyValue::Kind::Int && e.kind() == PyValue::Kind::Int && e.toInt() >= 0;
    return binary(x, e, [](double p, double q) { return std::pow(p, q); }, intPow);
  }).lowerWith(mapLowering({0, 1}, [](E e, ValueRange x) -> Value {
    if (!e.isFloat())
      throw OpError("pow of integer tensors cannot be compiled yet");
    return mlir::math::PowFOp::create(e.b, e.loc, x[0], x[1]);
  }));
  DType boolean = DType::Bool;
  using FP = mlir::arith::CmpFPredicate;
  using IP = mlir::arith::CmpIPredicate;
  auto compare = [&](const std::string &op, std::function<bool(double, double)> f, FP fp, IP ip) {
    r.addOp("operator." + op + "(Any self, Any other)", {"torch." + op, "method:" + op},
            [f, boolean](K a) {
              return binary(a["self"], a["other"], [f](double x, double y) { return f(x, y) ? 1.0 : 0.0; },
                            false, &boolean);
            }).lowerWith(compareLowering(fp, ip));
  };
  compare("eq", [](double x, double y) { return x == y; }, FP::OEQ, IP::eq);
  compare("ne", [](double x, double y) { return x != y; }, FP::UNE, IP::ne);
  compare("lt", [](double x, double y) { return x < y; }, FP::OLT, IP::slt);
  compare("le", [](double x, double y) { return x <= y; }, FP::OLE, IP::sle);
  compare("gt", [](double x, double y) { return x > y; }, FP::OGT, IP::sgt);
  compare("ge", [](double x, double y) { return x >= y; }, FP::OGE, IP::sge);
  auto bitwise = [](bool isAnd) {
    return [isAnd](E e, ValueRange x) -> Value {
      if (e.isFloat())
        throw OpError("bitwise and/or of floating tensors");
      return isAnd ? mlir::arith::AndIOp::create(e.b, e.loc, x[0], x[1]).getResult()
                   : mlir::arith::OrIOp::create(e.b, e.loc, x[0], x[1]).getResult();
    };
  };
  arith("operator.and_", {"torch.bitwise_and", "torch.logical_and"},
        [](double x, double y) { return (double)((int64_t)x & (int64_t)y); }, true, bitwise(true));
  arith("operator.or_", {"torch.bitwise_or", "torch.logical_or"},
        [](double x, double y) { return (double)((int64_t)x | (int64_t)y); }, true, bitwise(false));

  auto unaryOp = [&](const std::string &schema, std::vector<std::string> aliases,
                     std::function<double(double)> f, bool floatResult,
                     std::function<Value(E, Value)> lower) {
    r.addOp(schema, std::move(aliases), [f, floatResult](K a) -> PyValue {
      const PyValue &x = a.at(0);
      if (!x.isTensor()) {
        double v = f(x.toDouble());
        return x.kind() == PyValue::Kind::Int && !floatResult ? PyValue::integer((int64_t)v)
                                                              : PyValue::floating(v);
      }
      DType out = floatResult ? floatOf(x.tensor().dtype()) : x.tensor().dtype();
      return unary(x.tensor(), f, &out);
    }).lowerWith(mapLowering({0}, [lower](E e, ValueRange x) { return lower(e, x[0]); }));
  };
  unaryOp("operator.neg(Any self)", {"torch.neg", "method:neg"}, [](double x) { return -x; }, false,
          [](E e, Value x) { return e.neg(x); });
  unaryOp("operator.abs(Any self)", {"torch.abs", "method:abs"}, [](double x) { return std::fabs(x); },
          false, [](E e, Value x) { return e.max(x, e.neg(x)); });
  // The canonical form of each op is its most general spelling (here F.relu with `inplace`).
  unaryOp("torch.nn.functional.relu(Tensor input, bool inplace=False)", {"torch.relu", "method:relu"},
          [](double x) { return x > 0 ? x : 0.0; }, false,
          [](E e, Value x) { return e.max(x, e.constant(0)); });
  unaryOp("torch.nn.functional.relu6(Tensor input, bool inplace=False)", {},
          [](double x) { return std::min(std::max(x, 0.0), 6.0); }, false,
          [](E e, Value x) { return clampTo(e, x, 0, 6); });
  r.addOp("torch.nn.functional.hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, bool inplace=False)",
          {}, [](K a) {
            double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
            return PyValue(unary(a.tensor("input"), [=](double x) { return std::min(std::max(x, lo), hi); }));
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) {
            double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
            return mapLowering({0}, [=](E e, ValueRange x) { return clampTo(e, x[0], lo, hi); })(c, a);
          });
  r.addOp("torch.nn.functional.gelu(Tensor input, *, str approximate=\"none\")",
          {"torch._C._nn.gelu"}, [](K a) {
            const std::string &mode = a["approximate"].toStr();
            if (mode != "none" && mode != "tanh")
              throw OpError("gelu: approximate must be 'none' or 'tanh', got '" + mode + "'");
            bool t = mode == "tanh";
            return PyValue(unary(a.tensor("input"), [t](double x) { return gelu(x, t); }));
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) {
            bool t = a.literal("approximate").toStr() == "tanh";
            return mapLowering({0}, [t](E e, ValueRange v) {
              Value x = v[0], half = e.constant(0.5), one = e.constant(1);
              Value inner = t ? e.tanh(e.mul(e.constant(std::sqrt(2 / M_PI)),
                                             e.add(x, e.mul(e.constant(0.044715), e.mul(x, e.mul(x, x))))))
                              : e.erf(e.mul(x, e.constant(1 / std::sqrt(2.0))));
              return e.mul(e.mul(half, x), e.add(one, inner));
            })(c, a);
          });
  unaryOp("torch.nn.functional.silu(Tensor input, bool inplace=False)", {},
          [](double x) { return x / (1 + std::exp(-x)); }, true,
          [](E e, Value x) { return e.mul(x, sigmoidOf(e, x)); });
  unaryOp("torch.sigmoid(Tensor self)", {"method:sigmoid", "torch.nn.functional.sigmoid"},
          [](double x) { return 1 / (1 + std::exp(-x)); }, true, sigmoidOf);
  unaryOp("torch.tanh(Tensor self)", {"method:tanh", "torch.nn.functional.tanh"},
          [](double x) { return std::tanh(x); }, true, [](E e, Value x) { return e.tanh(x); });
  unaryOp("torch.nn.functional.hardswish(Tensor input, bool inplace=False)", {},
          [](double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; }, true,
          [](E e, Value x) { return e.div(e.mul(x, clampTo(e, e.add(x, e.constant(3)), 0, 6)), e.constant(6)); });
  unaryOp("torch.nn.functional.hardsigmoid(Tensor input, bool inplace=False)", {},
          [](double x) { return std::min(std::max(x + 3, 0.0), 6.0) / 6; }, true,
          [](E e, Value x) { return e.div(clampTo(e, e.add(x, e.constant(3)), 0, 6), e.constant(6)); });
  unaryOp("torch.exp(Tensor self)", {"method:exp"}, [](double x) { return std::exp(x); }, true,
          [](E e, Value x) { return e.exp(x); });
  unaryOp("torch.log(Tensor self)", {"method:log"}, [](double x) { return std::log(x); }, true,
          [](E e, Value x) { return e.log(x); });
  unaryOp("torch.sqrt(Tensor self)", {"method:sqrt"}, [](double x) { return std::sqrt(x); }, true,
          [](E e, Value x) { return e.sqrt(x); });
  unaryOp("torch.rsqrt(Tensor self)", {"method:rsqrt"}, [](double x) { return 1 / std::sqrt(x); }, true,
          [](E e, Value x) { return e.rsqrt(x); });
  // Python's math functions take numbers: fx-to-linalg evaluates them at compile time.
  unaryOp("math.sqrt(float x)", {}, [](double x) { return std::sqrt(x); }, true,
          [](E e, Value x) { return e.sqrt(x); });
  unaryOp("math.exp(float x)", {}, [](double x) { return std::exp(x); }, true,
          [](E e, Value x) { return e.exp(x); });
  unaryOp("math.log(float x)", {}, [](double x) { return std::log(x); }, true,
          [](E e, Value x) { return e.log(x); });

  r.addOp("torch.clamp(Tensor self, Scalar? min=None, Scalar? max=None)",
          {"method:clamp", "method:clip", "torch.clip"}, [](K a) {
            bool hasLo = !a.isNone("min"), hasHi = !a.isNone("max");
            double lo = hasLo ? a.toDouble("min") : 0, hi = hasHi ? a.toDouble("max") : 0;
            return PyValue(unary(a.tensor("self"), [=](double x) {
              if (std::isnan(x))
                return x;
              if (hasLo)
                x = std::max(x, lo);
              if (hasHi)
                x = std::min(x, hi);
              return x;
            }));
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) {
            bool hasLo = !a.isNone("min"), hasHi = !a.isNone("max");
            double lo = hasLo ? a.toDouble("min") : 0, hi = hasHi ? a.toDouble("max") : 0;
            return mapLowering({0}, [=](E e, ValueRange v) {
              Value x = v[0];
              if (hasLo)
                x = e.max(x, e.constant(lo));
              if (hasHi)
                x = e.min(x, e.constant(hi));
              return x;
            })(c, a);
          });
  r.addOp("torch.where(Tensor condition, Any self, Any other)", {}, [](K a) {
    Tensor c = a.tensor("condition"), x = asTensor(a["self"]), y = asTensor(a["other"]);
    Shape shape = broadcastShapes(broadcastShapes(c.shape(), x.shape()), y.shape());
    auto ic = broadcastIndex(c, shape), ix = broadcastIndex(x, shape), iy = broadcastIndex(y, shape);
    Tensor out(shape, resultDType(a["self"], a["other"]));
    for (int64_t i = 0; i < out.numel(); ++i)
      out[i] = c[ic[i]] != 0 ? x[ix[i]] : y[iy[i]];
    return PyValue(out.round());
  }).lowerWith([](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::Type t = c.resultElementType();
    return c.map({a["condition"], a["self"], a["other"]}, c.result(),
                 [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
                   Value cond = LoweringContext::cast(b, l, x[0], b.getI1Type());
                   return ElementBuilder{b, l, t}.select(cond, LoweringContext::cast(b, l, x[1], t),
                                                         LoweringContext::cast(b, l, x[2], t));
                 });
  });
  r.addOp("method:masked_fill(Tensor self, Tensor mask, Any value)", {"torch.masked_fill"},
          [](K a) {
            const Tensor &x = a.tensor("self"), &m = a.tensor("mask");
            double v = a["value"].toDouble();
            Shape shape = broadcastShapes(x.shape(), m.shape());
            if (shape != x.shape())
              throw OpError("masked_fill: mask of shape " + shapeToString(m.shape()) +
                            " does not broadcast to " + shapeToString(x.shape()));
            auto im = broadcastIndex(m, shape);
            Tensor out = x.clone();
            for (int64_t i = 0; i < out.numel(); ++i)
              if (m[im[i]] != 0)
                out[i] = v;
            return PyValue(out.round());
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) -> Lowered {
            mlir::Type t = c.resultElementType();
            return c.map({a["self"], a["mask"], a["value"]}, c.result(),
                         [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
                           Value m = LoweringContext::cast(b, l, x[1], b.getI1Type());
                           return ElementBuilder{b, l, t}.select(
                               m, LoweringContext::cast(b, l, x[2], t), x[0]);
                         });
          });
  r.addOp("torch.nn.functional.dropout(Tensor input, float p=0.5, bool training=True, bool inplace=False)",
          {"torch.dropout"}, [](K a) {
            if (a.toBool("training") && a.toDouble("p") > 0)
              throw OpError("dropout with training=True is random; the interpreter runs models in "
                            "eval mode");
            return a["input"];
          }).lowerWith(identityUnlessTraining("dropout"));
  r.addOp("torchvision.ops.stochastic_depth.stochastic_depth(Tensor input, float p, str mode, bool training=True)",
          {}, [](K a) {
            if (a.toBool("training") && a.toDouble("p") > 0)
              throw OpError("stochastic_depth with training=True is random; the interpreter "
                            "runs models in eval mode");
            return a["input"];
          }).lowerWith(identityUnlessTraining("stochastic_depth"));
  r.addOp("torch._assert(Any condition, str message)", {"torch._assert_async"}, [](K a) {
    const PyValue &c = a["condition"];
    bool ok = c.isTensor() ? c.tensor().numel() == 1 && c.tensor()[0] != 0 : c.toBool();
    if (!ok)
      throw OpError("assertion failed: " + a["message"].toStr());
    return PyValue::none();
  }, /*impure=*/true).lowerWith([](LoweringContext &, const LoweredArgs &a) -> Lowered {
    // Only conditions known at compile time (concrete_args checks) are supported.
    if (!a.literal("condition").toBool())
      throw OpError("assertion failed: " + a.literal("message").toStr());
    return PyValue::none();
  });
}

} // namespace fxmlir
