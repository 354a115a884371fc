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
  return mlir::arith::FloorDivSIOp::create(e.b, e.loc, x, y);
}
static Value modElement(E e, Value x, Value y) {
  return e.sub(x, e.mul(floorDivElement(e, x, y), y));
}

static Value powElement(E e, Value x, Value y) {
  if (!e.isFloat())
    throw OpError("pow of integer tensors cannot be compiled yet");
  return mlir::math::PowFOp::create(e.b, e.loc, x, y);
}

template <typename BitwiseOp>
static Value bitwiseElement(E e, Value x, Value y) {
  if (e.isFloat())
    throw OpError("bitwise and/or of floating tensors");
  return BitwiseOp::create(e.b, e.loc, x, y);
}

static void populateArithmeticLowerings(LoweringTable &table) {
  table.add("add", withAlpha(false));
  table.add("sub", withAlpha(true));
  table.add("mul", binaryMap(&ElementBuilder::mul));
  table.add("div", binaryMap(&ElementBuilder::div));
  table.add("floor_divide", binaryMap(floorDivElement));
  table.add("remainder", binaryMap(modElement));
  table.add("pow", binaryMap(powElement));
  table.add("bitwise_and", binaryMap(bitwiseElement<mlir::arith::AndIOp>));
  table.add("bitwise_or", binaryMap(bitwiseElement<mlir::arith::OrIOp>));
  table.add("neg", unaryMap(&ElementBuilder::neg));
  table.add("abs", unaryMap([](E e, Value x) { return e.max(x, e.neg(x)); }));
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
                   return mlir::arith::CmpIOp::create(b, l, ip, p, q);
                 },
                 t);
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

/// torch.exp and friends; math.exp and friends share their lowerings.
static void populateMathLowerings(LoweringTable &table) {
  table.add("exp", unaryMap(&ElementBuilder::exp));
  table.add("log", unaryMap(&ElementBuilder::log));
  table.add("sqrt", unaryMap(&ElementBuilder::sqrt));
  table.add("rsqrt", unaryMap(&ElementBuilder::rsqrt));
}

//===----------------------------------------------------------------------===//
// Clamping and selection
//===----------------------------------------------------------------------===//

static Lowered lowerClamp(LoweringContext &c, const LoweredArgs &a) {
  ClampBounds bounds = clampBounds(a.literal("min"), a.literal("max"));
  return unaryMap([bounds](E e, Value x) {
    if (bounds.min)
      x = e.max(x, e.constant(*bounds.min));
    if (bounds.max)
      x = e.min(x, e.constant(*bounds.max));
    return x;
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
static Lowering identityUnlessTraining(std::string op) {
  return [op](LoweringContext &, const LoweredArgs &a) -> Lowered {
    if (isRandomDropout(a["p"].literal(), a.toBool("training")))
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
  table.add("stochastic_depth", identityUnlessTraining("stochastic_depth"));
  table.add("_assert", lowerAssert);
}

void populateElementwiseLowerings(LoweringTable &table) {
  populateArithmeticLowerings(table);
  populateComparisonLowerings(table);
  populateActivationLowerings(table);
  populateMathLowerings(table);
  populateSelectionLowerings(table);
  populateIdentityLowerings(table);
}

} // namespace fxmlir
