//===- Elementwise.cpp - Lowerings of arithmetic, comparisons, activations ===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;
using E = ElementBuilder &;

/// An op computing `f` on the elements of its operand (parameter 0).
static Lowering unaryMap(std::function<Value(E, Value)> f) {
  return mapLowering({0}, [f](E e, ValueRange x) { return f(e, x[0]); });
}

/// An op computing `f` on the elements of its two operands (parameters 0 and 1), broadcast.
static Lowering binaryMap(std::function<Value(E, Value, Value)> f) {
  return mapLowering({0, 1}, [f](E e, ValueRange x) { return f(e, x[0], x[1]); });
}

/// An op computing `f` on the elements of parameter 0, given the node's arguments (for its
/// hyper-parameters).
static Lowering unaryWithArgs(std::function<Value(E, Value, const LoweredArgs &)> f) {
  return [f](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    return unaryMap([&](E e, Value x) { return f(e, x, a); })(c, a);
  };
}

template <typename MathOp>
static Value mathOf(E e, Value x) {
  return MathOp::create(e.b, e.loc, x);
}

/// `x <pred> y` as an i1: `fp` on floats, `ip` (a signed predicate) on integers, unsigned
/// where the elements are.
static Value compare(E e, mlir::arith::CmpFPredicate fp, mlir::arith::CmpIPredicate ip, Value x,
                     Value y) {
  if (e.isFloat())
    return mlir::arith::CmpFOp::create(e.b, e.loc, fp, x, y);
  return mlir::arith::CmpIOp::create(e.b, e.loc, integerPredicate(ip, e.type), x, y);
}
static Value greater(E e, Value x, Value y) {
  return compare(e, mlir::arith::CmpFPredicate::OGT, mlir::arith::CmpIPredicate::sgt, x, y);
}
static Value less(E e, Value x, Value y) {
  return compare(e, mlir::arith::CmpFPredicate::OLT, mlir::arith::CmpIPredicate::slt, x, y);
}

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

/// add/sub with alpha: x + alpha * y.
static Lowering withAlpha(bool subtract) {
  return [subtract](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    double alpha = a.toDouble("alpha");
    return binaryMap([=](E e, Value x, Value y) {
      Value scaled = alpha == 1 ? y : e.mul(y, e.constant(alpha));
      return subtract ? e.sub(x, scaled) : e.add(x, scaled);
    })(c, a);
  };
}

/// Python's floor division and modulo (the result takes the divisor's sign).
static Value floorDivElement(E e, Value x, Value y) {
  if (e.isFloat())
    return mlir::math::FloorOp::create(e.b, e.loc, e.div(x, y));
  if (e.isUnsigned())
    return e.div(x, y);
  return mlir::arith::FloorDivSIOp::create(e.b, e.loc, x, y);
}
static Value modElement(E e, Value x, Value y) {
  return e.sub(x, e.mul(floorDivElement(e, x, y), y));
}

/// Division rounded towards zero: divsi on integers.
static Value truncDivElement(E e, Value x, Value y) {
  if (e.isFloat())
    return mathOf<mlir::math::TruncOp>(e, e.div(x, y));
  return e.div(x, y);
}

static Lowered lowerDiv(LoweringContext &c, const LoweredArgs &a) {
  switch (divRounding(a.literal("rounding_mode"))) {
  case DivRounding::Trunc:
    return binaryMap(truncDivElement)(c, a);
  case DivRounding::Floor:
    return binaryMap(floorDivElement)(c, a);
  case DivRounding::None:
    break;
  }
  return binaryMap(&ElementBuilder::div)(c, a);
}

/// rsub: other - alpha * self.
static Lowered lowerRsub(LoweringContext &c, const LoweredArgs &a) {
  double alpha = a.toDouble("alpha");
  return binaryMap([=](E e, Value x, Value y) {
    return e.sub(y, alpha == 1 ? x : e.mul(x, e.constant(alpha)));
  })(c, a);
}

/// Integer pow as torch computes it: a negative exponent gives 0 except for the bases 1 and -1
/// (math.ipowi would divide by zero on base 0). Unsigned elements (uint8) go through i64, where
/// an exponent of 128 or more is not negative.
static Value integerPow(E e, Value x, Value y) {
  if (e.isUnsigned()) {
    ElementBuilder wide{e.b, e.loc, e.b.getI64Type()};
    Value p = integerPow(wide, LoweringContext::cast(e.b, e.loc, x, wide.type),
                         LoweringContext::cast(e.b, e.loc, y, wide.type));
    return LoweringContext::cast(e.b, e.loc, p, e.type);
  }
  using mlir::arith::CmpIPredicate;
  auto cmp = [&](CmpIPredicate p, Value u, Value v) {
    return mlir::arith::CmpIOp::create(e.b, e.loc, p, u, v);
  };
  Value zero = e.constant(0), one = e.constant(1), minusOne = e.constant(-1);
  Value negative = cmp(CmpIPredicate::slt, y, zero);
  Value power = mlir::math::IPowIOp::create(e.b, e.loc, x, e.select(negative, zero, y));
  Value odd = cmp(CmpIPredicate::ne, mlir::arith::AndIOp::create(e.b, e.loc, y, one), zero);
  Value ofMinusOne = e.select(odd, minusOne, one);
  Value reciprocal = e.select(cmp(CmpIPredicate::eq, x, one), one,
                              e.select(cmp(CmpIPredicate::eq, x, minusOne), ofMinusOne, zero));
  return e.select(negative, reciprocal, power);
}

static Value powElement(E e, Value x, Value y) {
  if (!e.isFloat())
    return integerPow(e, x, y);
  return mlir::math::PowFOp::create(e.b, e.loc, x, y);
}

template <typename BitwiseOp>
static Value bitwiseElement(E e, Value x, Value y) {
  if (e.isFloat())
    throw OpError("bitwise ops of floating tensors");
  return BitwiseOp::create(e.b, e.loc, x, y);
}

static void populateArithmeticLowerings(LoweringTable &table) {
  table.add("add", withAlpha(false));
  table.add("sub", withAlpha(true));
  table.add("mul", binaryMap(&ElementBuilder::mul));
  table.add("div", lowerDiv);
  table.add("rsub", lowerRsub);
  table.add("minimum", binaryMap(&ElementBuilder::min));
  table.add("maximum", binaryMap(&ElementBuilder::max));
  table.add("floor_divide", binaryMap(floorDivElement));
  table.add("remainder", binaryMap(modElement));
  table.add("pow", binaryMap(powElement));
  table.add("bitwise_and", binaryMap(bitwiseElement<mlir::arith::AndIOp>));
  table.add("bitwise_or", binaryMap(bitwiseElement<mlir::arith::OrIOp>));
  table.add("bitwise_xor", binaryMap(bitwiseElement<mlir::arith::XOrIOp>));
  // ~x is x ^ (all ones): -1 signed, 255 for uint8, True for bool (logical not).
  table.add("bitwise_not", unaryMap([](E e, Value x) {
              unsigned width = e.isFloat() ? 0 : e.type.getIntOrFloatBitWidth();
              fxmlir::Element ones =
                  e.isUnsigned() ? std::ldexp((fxmlir::Element)1, width) - 1 : -1;
              return bitwiseElement<mlir::arith::XOrIOp>(e, x, e.constant(ones));
            }));
  table.add("neg", unaryMap(&ElementBuilder::neg));
  table.add("abs", unaryMap([](E e, Value x) { return e.isUnsigned() ? x : e.max(x, e.neg(x)); }));
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

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
                   return mlir::arith::CmpIOp::create(b, l, integerPredicate(ip, t), p, q);
                 },
                 t);
  };
}

/// logical_<op> and logical_not: the operands' truthiness combined (`x ^ true` negates).
template <typename LogicalOp>
static Lowering logicalLowering(bool unary) {
  return [unary](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    std::vector<Lowered> operands = {a.at(0)};
    if (!unary)
      operands.push_back(a.at(1));
    return c.map(operands, c.result(), [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
      Value p = LoweringContext::cast(b, l, x[0], b.getI1Type());
      Value q = unary ? mlir::arith::ConstantOp::create(b, l, b.getBoolAttr(true)).getResult()
                      : LoweringContext::cast(b, l, x[1], b.getI1Type());
      return LogicalOp::create(b, l, p, q).getResult();
    });
  };
}

static void populateComparisonLowerings(LoweringTable &table) {
  using FP = mlir::arith::CmpFPredicate;
  using IP = mlir::arith::CmpIPredicate;
  table.add("eq", compareLowering(FP::OEQ, IP::eq));
  table.add("ne", compareLowering(FP::UNE, IP::ne));
  table.add("lt", compareLowering(FP::OLT, IP::slt));
  table.add("le", compareLowering(FP::OLE, IP::sle));
  table.add("gt", compareLowering(FP::OGT, IP::sgt));
  table.add("ge", compareLowering(FP::OGE, IP::sge));
  table.add("logical_and", logicalLowering<mlir::arith::AndIOp>(false));
  table.add("logical_or", logicalLowering<mlir::arith::OrIOp>(false));
  table.add("logical_xor", logicalLowering<mlir::arith::XOrIOp>(false));
  table.add("logical_not", logicalLowering<mlir::arith::XOrIOp>(true));
}

//===----------------------------------------------------------------------===//
// Activations and math functions
//===----------------------------------------------------------------------===//

static Value clampTo(E e, Value x, double lo, double hi) {
  return e.min(e.max(x, e.constant(lo)), e.constant(hi));
}
static Value sigmoidOf(E e, Value x) {
  Value one = e.constant(1);
  return e.div(one, e.add(one, e.exp(e.neg(x))));
}
static Value relu6Of(E e, Value x) { return clampTo(e, x, 0, 6); }
static Value hardsigmoidOf(E e, Value x) {
  return e.div(relu6Of(e, e.add(x, e.constant(3))), e.constant(6));
}

static Lowered lowerHardtanh(LoweringContext &c, const LoweredArgs &a) {
  double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
  return unaryMap([=](E e, Value x) { return clampTo(e, x, lo, hi); })(c, a);
}

static Value geluOf(E e, Value x, bool tanhApprox) {
  Value half = e.constant(0.5), one = e.constant(1);
  Value inner = tanhApprox
                    ? e.tanh(e.mul(e.constant(std::sqrt(2 / M_PI)),
                                   e.add(x, e.mul(e.constant(0.044715), e.mul(x, e.mul(x, x))))))
                    : e.erf(e.mul(x, e.constant(1 / std::sqrt(2.0))));
  return e.mul(e.mul(half, x), e.add(one, inner));
}

static Lowered lowerGelu(LoweringContext &c, const LoweredArgs &a) {
  bool tanhApprox = geluUsesTanh(a.literal("approximate").toStr());
  return unaryMap([tanhApprox](E e, Value x) { return geluOf(e, x, tanhApprox); })(c, a);
}

static Value absOf(E e, Value x) { return mathOf<mlir::math::AbsFOp>(e, x); }
static Value expm1Of(E e, Value x) { return mathOf<mlir::math::ExpM1Op>(e, x); }
static Value log1pOf(E e, Value x) { return mathOf<mlir::math::Log1pOp>(e, x); }

static Value eluOf(E e, Value x, double alpha) {
  return e.select(greater(e, x, e.constant(0)), x, e.mul(e.constant(alpha), expm1Of(e, x)));
}
static Value softplusOf(E e, Value x, double beta, double threshold) {
  Value scaled = e.mul(x, e.constant(beta));
  Value smooth = e.div(log1pOf(e, e.exp(scaled)), e.constant(beta));
  return e.select(greater(e, scaled, e.constant(threshold)), x, smooth);
}

static Value leakyReluOf(E e, Value x, const LoweredArgs &a) {
  Value scaled = e.mul(x, e.constant(a.toDouble("negative_slope")));
  return e.select(greater(e, x, e.constant(0)), x, scaled);
}
static Value seluOf(E e, Value x) {
  return e.mul(e.constant(1.0507009873554804934193349852946),
               eluOf(e, x, 1.6732632423543772848170429916717));
}
static Value celuOf(E e, Value x, const LoweredArgs &a) {
  double alpha = a.toDouble("alpha");
  checkCeluAlpha(alpha);
  Value negative = e.mul(e.constant(alpha), expm1Of(e, e.div(x, e.constant(alpha))));
  return e.select(greater(e, x, e.constant(0)), x, negative);
}
static Value logsigmoidOf(E e, Value x) {
  return e.sub(e.min(x, e.constant(0)), log1pOf(e, e.exp(e.neg(absOf(e, x)))));
}
/// hardshrink keeps NaN: the unordered comparisons hold for it.
static Value hardshrinkOf(E e, Value x, const LoweredArgs &a) {
  double l = a.toDouble("lambd");
  using FP = mlir::arith::CmpFPredicate;
  using IP = mlir::arith::CmpIPredicate;
  Value outside = mlir::arith::OrIOp::create(e.b, e.loc,
                                             compare(e, FP::ULT, IP::slt, x, e.constant(-l)),
                                             compare(e, FP::UGT, IP::sgt, x, e.constant(l)));
  return e.select(outside, x, e.constant(0));
}
static Value softshrinkOf(E e, Value x, const LoweredArgs &a) {
  Value l = e.constant(a.toDouble("lambd")), minusL = e.constant(-a.toDouble("lambd"));
  Value inner = e.select(less(e, x, minusL), e.add(x, l), e.constant(0));
  return e.select(greater(e, x, l), e.sub(x, l), inner);
}
/// The threshold becomes a constant of the element type (truncated for integers, as torch).
static Value thresholdOf(E e, Value x, const LoweredArgs &a) {
  Value bound = e.constant(a.toDouble("threshold"));
  return e.select(greater(e, x, bound), x, e.constant(a.toDouble("value")));
}

/// glu: the first half of `dim` times the sigmoid of the second.
static Lowered lowerGlu(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.tensor("input");
  llvm::SmallVector<int64_t> sizes(shapeOf(input));
  int64_t dim = gluDim(Shape(sizes.begin(), sizes.end()), a.toInt("dim"));
  sizes[dim] /= 2;
  llvm::SmallVector<int64_t> offsets(sizes.size(), 0), strides(sizes.size(), 1);
  Value first = c.slice(input, offsets, sizes, strides);
  offsets[dim] = sizes[dim];
  Value second = c.slice(input, offsets, sizes, strides);
  mlir::Type t = c.resultElementType();
  return c.map({first, second}, c.result(), [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
    ElementBuilder e{b, l, t};
    return e.mul(x[0], sigmoidOf(e, x[1]));
  });
}

/// prelu: x where x > 0, else weight * x, the weight shaped to broadcast along dim 1 (or a
/// 0-d tensor where it is one value for all).
static Lowered lowerPrelu(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), w = a.tensor("weight");
  int64_t rank = rankOf(x);
  bool perChannel = preluPerChannel(shapeOf(x).vec(), shapeOf(w).vec());
  w = perChannel ? c.alongDim(c.reshape(w, {shapeOf(x)[1]}), 1, rank) : c.reshape(w, {});
  mlir::Type t = c.resultElementType();
  return c.map({x, w}, c.result(), [t](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
    ElementBuilder e{b, l, t};
    return e.select(greater(e, v[0], e.constant(0)), v[0], e.mul(v[1], v[0]));
  });
}

static void populateParametricActivationLowerings(LoweringTable &table) {
  table.add("leaky_relu", unaryWithArgs(leakyReluOf));
  table.add("elu", unaryWithArgs([](E e, Value x, const LoweredArgs &a) {
              return eluOf(e, x, a.toDouble("alpha"));
            }));
  table.add("selu", unaryMap(seluOf));
  table.add("celu", unaryWithArgs(celuOf));
  table.add("softplus", unaryWithArgs([](E e, Value x, const LoweredArgs &a) {
              return softplusOf(e, x, a.toDouble("beta"), a.toDouble("threshold"));
            }));
  table.add("mish", unaryMap([](E e, Value x) { return e.mul(x, e.tanh(softplusOf(e, x, 1, 20))); }));
  table.add("softsign", unaryMap([](E e, Value x) {
              return e.div(x, e.add(e.constant(1), absOf(e, x)));
            }));
  table.add("logsigmoid", unaryMap(logsigmoidOf));
  table.add("tanhshrink", unaryMap([](E e, Value x) { return e.sub(x, e.tanh(x)); }));
  table.add("hardshrink", unaryWithArgs(hardshrinkOf));
  table.add("softshrink", unaryWithArgs(softshrinkOf));
  table.add("threshold", unaryWithArgs(thresholdOf));
  table.add("glu", lowerGlu);
  table.add("prelu", lowerPrelu);
}

static void populateActivationLowerings(LoweringTable &table) {
  table.add("relu", unaryMap([](E e, Value x) { return e.max(x, e.constant(0)); }));
  table.add("relu6", unaryMap(relu6Of));
  table.add("hardtanh", lowerHardtanh);
  table.add("gelu", lowerGelu);
  table.add("silu", unaryMap([](E e, Value x) { return e.mul(x, sigmoidOf(e, x)); }));
  table.add("sigmoid", unaryMap(sigmoidOf));
  table.add("tanh", unaryMap(&ElementBuilder::tanh));
  table.add("hardswish", unaryMap([](E e, Value x) {
              return e.div(e.mul(x, relu6Of(e, e.add(x, e.constant(3)))), e.constant(6));
            }));
  table.add("hardsigmoid", unaryMap(hardsigmoidOf));
}

/// Rounding is the identity on integers.
template <typename MathOp>
static Value roundingOf(E e, Value x) {
  return e.isFloat() ? mathOf<MathOp>(e, x) : x;
}

/// sign: (0 < x) - (x < 0), so NaN gives 0; bools are their own sign.
static Value signOf(E e, Value x) {
  if (e.type.isInteger(1))
    return x;
  Value zero = e.constant(0);
  return e.select(greater(e, x, zero), e.constant(1),
                  e.select(less(e, x, zero), e.constant(-1), zero));
}

/// torch.round: half to even at `decimals` digits (the kernel's roundTo).
static Value roundOf(E e, Value x, const LoweredArgs &a) {
  int64_t decimals = a.toInt("decimals");
  if (!e.isFloat())
    return x;
  if (decimals == 0)
    return mathOf<mlir::math::RoundEvenOp>(e, x);
  Value scale = e.constant(std::pow(10.0, (double)std::llabs(decimals)));
  if (decimals > 0)
    return e.div(mathOf<mlir::math::RoundEvenOp>(e, e.mul(x, scale)), scale);
  return e.mul(mathOf<mlir::math::RoundEvenOp>(e, e.div(x, scale)), scale);
}

/// The registry's torch.<name> math functions (kMathFunctions in ops/lib/Elementwise.cpp).
static const std::pair<const char *, Value (*)(E, Value)> kMathFunctions[] = {
    {"floor", roundingOf<mlir::math::FloorOp>},
    {"ceil", roundingOf<mlir::math::CeilOp>},
    {"trunc", roundingOf<mlir::math::TruncOp>},
    {"sign", signOf},
    {"square", [](E e, Value x) { return e.mul(x, x); }},
    {"reciprocal", [](E e, Value x) { return e.div(e.constant(1), x); }},
    {"exp2", mathOf<mlir::math::Exp2Op>},
    {"expm1", mathOf<mlir::math::ExpM1Op>},
    {"log2", mathOf<mlir::math::Log2Op>},
    {"log10", mathOf<mlir::math::Log10Op>},
    {"log1p", mathOf<mlir::math::Log1pOp>},
    {"sin", mathOf<mlir::math::SinOp>},
    {"cos", mathOf<mlir::math::CosOp>},
    {"tan", mathOf<mlir::math::TanOp>},
    {"asin", mathOf<mlir::math::AsinOp>},
    {"acos", mathOf<mlir::math::AcosOp>},
    {"atan", mathOf<mlir::math::AtanOp>},
    {"sinh", mathOf<mlir::math::SinhOp>},
    {"cosh", mathOf<mlir::math::CoshOp>},
    {"asinh", mathOf<mlir::math::AsinhOp>},
    {"acosh", mathOf<mlir::math::AcoshOp>},
    {"atanh", mathOf<mlir::math::AtanhOp>},
    {"erf", [](E e, Value x) { return e.erf(x); }},
};

/// torch.exp and friends; math.exp and friends share their lowerings.
static void populateMathLowerings(LoweringTable &table) {
  table.add("exp", unaryMap(&ElementBuilder::exp));
  table.add("log", unaryMap(&ElementBuilder::log));
  table.add("sqrt", unaryMap(&ElementBuilder::sqrt));
  table.add("rsqrt", unaryMap(&ElementBuilder::rsqrt));
  for (const auto &[name, fn] : kMathFunctions)
    table.add(name, unaryMap(fn));
  table.add("round", unaryWithArgs(roundOf));
}

//===----------------------------------------------------------------------===//
// Clamping and selection
//===----------------------------------------------------------------------===//

/// clamp with number or tensor bounds: max with min, then min with max (NaN-propagating).
static Lowered lowerClamp(LoweringContext &c, const LoweredArgs &a) {
  bool hasMin = !a.isNone("min"), hasMax = !a.isNone("max");
  clampTakesTensors(!hasMin, a["min"].isTensor(), !hasMax, a["max"].isTensor());
  std::vector<size_t> operands = {0};
  if (hasMin)
    operands.push_back(1);
  if (hasMax)
    operands.push_back(2);
  return mapLowering(operands, [=](E e, ValueRange x) {
    Value v = hasMin ? e.max(x[0], x[1]) : x[0];
    return hasMax ? e.min(v, x.back()) : v;
  })(c, a);
}

static Lowered lowerWhere(LoweringContext &c, const LoweredArgs &a) {
  mlir::Type t = c.resultElementType();
  return c.map({a["condition"], a["self"], a["other"]}, c.result(),
               [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
                 Value cond = LoweringContext::cast(b, l, x[0], b.getI1Type());
                 return ElementBuilder{b, l, t}.select(cond, LoweringContext::cast(b, l, x[1], t),
                                                       LoweringContext::cast(b, l, x[2], t));
               });
}

static Lowered lowerMaskedFill(LoweringContext &c, const LoweredArgs &a) {
  mlir::Type t = c.resultElementType();
  return c.map({a["self"], a["mask"], a["value"]}, c.result(),
               [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
                 Value m = LoweringContext::cast(b, l, x[1], b.getI1Type());
                 return ElementBuilder{b, l, t}.select(
                     m, LoweringContext::cast(b, l, x[2], t), x[0]);
               });
}

static void populateSelectionLowerings(LoweringTable &table) {
  table.add("clamp", lowerClamp);
  table.add("where", lowerWhere);
  table.add("masked_fill", lowerMaskedFill);
}

//===----------------------------------------------------------------------===//
// Dropout and assertions
//===----------------------------------------------------------------------===//

/// Dropout-like ops are the identity in eval mode; in training they are random.
static Lowering identityUnlessTraining(std::string op, std::string flag = "training") {
  return [op, flag](LoweringContext &, const LoweredArgs &a) -> Lowered {
    if (isRandomDropout(a["p"].literal(), a.toBool(flag)))
      throw OpError(op + " with training=True is random and cannot be compiled; "
                         "lower the model in eval mode");
    return a["input"];
  };
}

static Lowered lowerAssert(LoweringContext &, const LoweredArgs &a) {
  // Only conditions known at compile time (concrete_args checks) are supported.
  checkAssertion(a.literal("condition").toBool(), a["message"].literal());
  return PyValue::none();
}

static void populateIdentityLowerings(LoweringTable &table) {
  table.add("dropout", identityUnlessTraining("dropout"));
  table.add("dropout_train", identityUnlessTraining("dropout", "train"));
  table.add("stochastic_depth", identityUnlessTraining("stochastic_depth"));
  table.add("_assert", lowerAssert);
}

//===----------------------------------------------------------------------===//
// Activation backwards
//===----------------------------------------------------------------------===//

/// An activation's gradient: grad_output and what the op saved, in the result element type.
using GradBody = std::function<Value(E, ValueRange)>;

/// Maps `bodyOf(args)` over the broadcast tensor parameters `operands` (the kernel's
/// addActivationBackward).
static Lowering gradMap(std::vector<std::string> operands,
                        std::function<GradBody(const LoweredArgs &)> bodyOf) {
  return [operands, bodyOf](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    GradBody body = bodyOf(a);
    mlir::Type t = c.resultElementType();
    std::vector<Lowered> values;
    for (const std::string &o : operands)
      values.push_back(a[o]);
    return c.map(values, c.result(), [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
      llvm::SmallVector<Value> xs;
      for (Value v : x)
        xs.push_back(LoweringContext::cast(b, l, v, t));
      ElementBuilder e{b, l, t};
      return body(e, xs);
    });
  };
}

/// grad_output and the saved input (or result) of an op without hyper-parameters.
static Lowering fixedGrad(Value (*f)(E, Value g, Value x)) {
  return gradMap({"grad_output", "self"}, [f](const LoweredArgs &) {
    return GradBody([f](E e, ValueRange v) { return f(e, v[0], v[1]); });
  });
}
static Lowering fixedResultGrad(Value (*f)(E, Value g, Value y)) {
  return gradMap({"grad_output", "output"}, [f](const LoweredArgs &) {
    return GradBody([f](E e, ValueRange v) { return f(e, v[0], v[1]); });
  });
}

static Value lessOrEqual(E e, Value x, Value y) {
  return compare(e, mlir::arith::CmpFPredicate::OLE, mlir::arith::CmpIPredicate::sle, x, y);
}
/// 1 - v, the derivative factors of sigmoid and tanh.
static Value oneMinus(E e, Value v) { return e.sub(e.constant(1), v); }

static Value sigmoidGrad(E e, Value g, Value y) { return e.mul(e.mul(g, oneMinus(e, y)), y); }
static Value tanhGrad(E e, Value g, Value y) { return e.mul(g, oneMinus(e, e.mul(y, y))); }
static Value siluGrad(E e, Value g, Value x) {
  Value s = sigmoidOf(e, x);
  return e.mul(e.mul(g, s), e.add(e.constant(1), e.mul(x, oneMinus(e, s))));
}
static Value hardswishGrad(E e, Value g, Value x) {
  Value middle = e.mul(g, e.add(e.div(x, e.constant(3)), e.constant(0.5)));
  return e.select(less(e, x, e.constant(-3)), e.constant(0),
                  e.select(lessOrEqual(e, x, e.constant(3)), middle, g));
}
static Value hardsigmoidGrad(E e, Value g, Value x) {
  Value inside = mlir::arith::AndIOp::create(e.b, e.loc, greater(e, x, e.constant(-3)),
                                             less(e, x, e.constant(3)));
  return e.select(inside, e.div(g, e.constant(6)), e.constant(0));
}
static Value mishGrad(E e, Value g, Value x) {
  Value t = e.tanh(softplusOf(e, x, 1, 20));
  return e.mul(g, e.add(t, e.mul(e.mul(x, sigmoidOf(e, x)), oneMinus(e, e.mul(t, t)))));
}

/// d gelu / dx: cdf + x * pdf of the standard normal, or the tanh approximation's derivative.
static GradBody geluGrad(const LoweredArgs &a) {
  if (!geluUsesTanh(a.literal("approximate").toStr()))
    return [](E e, ValueRange v) {
      Value x = v[1];
      Value cdf = e.mul(e.constant(0.5),
                        e.add(e.constant(1), e.erf(e.mul(x, e.constant(1 / std::sqrt(2.0))))));
      Value pdf = e.mul(e.constant(1 / std::sqrt(2 * M_PI)),
                        e.exp(e.mul(e.constant(-0.5), e.mul(x, x))));
      return e.mul(v[0], e.add(cdf, e.mul(x, pdf)));
    };
  return [](E e, ValueRange v) {
    Value x = v[1], beta = e.constant(std::sqrt(2 / M_PI)), kappa = e.constant(0.044715);
    Value xx = e.mul(x, x);
    Value t = e.tanh(e.mul(beta, e.add(x, e.mul(kappa, e.mul(xx, x)))));
    Value left = e.mul(e.constant(0.5), e.add(e.constant(1), t));
    Value inner = e.mul(beta, e.add(e.constant(1), e.mul(e.constant(3 * 0.044715), xx)));
    Value right = e.mul(e.mul(e.mul(e.constant(0.5), x), oneMinus(e, e.mul(t, t))), inner);
    return e.mul(v[0], e.add(left, right));
  };
}
static GradBody thresholdGrad(const LoweredArgs &a) {
  double th = a.toDouble("threshold");
  return [th](E e, ValueRange v) {
    return e.select(lessOrEqual(e, v[1], e.constant(th)), e.constant(0), v[0]);
  };
}
static GradBody hardtanhGrad(const LoweredArgs &a) {
  double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
  return [=](E e, ValueRange v) {
    Value outside = mlir::arith::OrIOp::create(
        e.b, e.loc, lessOrEqual(e, v[1], e.constant(lo)),
        compare(e, mlir::arith::CmpFPredicate::OGE, mlir::arith::CmpIPredicate::sge, v[1],
                e.constant(hi)));
    return e.select(outside, e.constant(0), v[0]);
  };
}
static GradBody leakyReluGrad(const LoweredArgs &a) {
  double slope = a.toDouble("negative_slope");
  return [slope](E e, ValueRange v) {
    return e.select(greater(e, v[1], e.constant(0)), v[0], e.mul(v[0], e.constant(slope)));
  };
}
/// elu from the input, or from the result (is_result) where the exponential is
/// result + alpha * scale.
static GradBody eluGrad(const LoweredArgs &a) {
  double negCoef = a.toDouble("alpha") * a.toDouble("scale"), posCoef = a.toDouble("scale");
  double inScale = a.toDouble("input_scale");
  bool isResult = a.toBool("is_result");
  return [=](E e, ValueRange v) {
    Value g = v[0], x = v[1];
    Value exponential = isResult ? e.add(x, e.constant(negCoef))
                                 : e.mul(e.constant(negCoef), e.exp(e.mul(x, e.constant(inScale))));
    Value negative = e.mul(e.mul(g, e.constant(inScale)), exponential);
    return e.select(greater(e, x, e.constant(0)), e.mul(g, e.constant(posCoef)), negative);
  };
}
static GradBody softplusGrad(const LoweredArgs &a) {
  double beta = a.toDouble("beta"), threshold = a.toDouble("threshold");
  return [=](E e, ValueRange v) {
    Value scaled = e.mul(v[1], e.constant(beta)), z = e.exp(scaled);
    Value smooth = e.div(e.mul(v[0], z), e.add(z, e.constant(1)));
    return e.select(greater(e, scaled, e.constant(threshold)), v[0], smooth);
  };
}
/// torch's CPU formula, with exp(-|x|) read from the forward's buffer.
static GradBody logSigmoidGrad(const LoweredArgs &) {
  return [](E e, ValueRange v) {
    Value negative = less(e, v[1], e.constant(0));
    Value ratio = e.div(v[2], e.add(e.constant(1), v[2]));
    return e.mul(v[0], e.select(negative, oneMinus(e, ratio), ratio));
  };
}

static void populateActivationBackwardLowerings(LoweringTable &table) {
  table.add("threshold_backward", gradMap({"grad_output", "self"}, thresholdGrad));
  table.add("sigmoid_backward", fixedResultGrad(sigmoidGrad));
  table.add("tanh_backward", fixedResultGrad(tanhGrad));
  table.add("gelu_backward", gradMap({"grad_output", "self"}, geluGrad));
  table.add("silu_backward", fixedGrad(siluGrad));
  table.add("hardtanh_backward", gradMap({"grad_output", "self"}, hardtanhGrad));
  table.add("hardswish_backward", fixedGrad(hardswishGrad));
  table.add("hardsigmoid_backward", fixedGrad(hardsigmoidGrad));
  table.add("leaky_relu_backward", gradMap({"grad_output", "self"}, leakyReluGrad));
  table.add("elu_backward", gradMap({"grad_output", "self_or_result"}, eluGrad));
  table.add("softplus_backward", gradMap({"grad_output", "self"}, softplusGrad));
  table.add("mish_backward", fixedGrad(mishGrad));
  table.add("log_sigmoid_backward", gradMap({"grad_output", "self", "buffer"}, logSigmoidGrad));
}

void populateElementwiseLowerings(LoweringTable &table) {
  populateArithmeticLowerings(table);
  populateComparisonLowerings(table);
  populateActivationLowerings(table);
  populateParametricActivationLowerings(table);
  populateMathLowerings(table);
  populateSelectionLowerings(table);
  populateIdentityLowerings(table);
  populateActivationBackwardLowerings(table);
}

} // namespace fxmlir
