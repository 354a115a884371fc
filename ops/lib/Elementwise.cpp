//===- Elementwise.cpp - Arithmetic, comparisons, activations -------------===//
#include "KernelUtils.h"

#include <algorithm>
#include <functional>
#include <optional>

namespace fxmlir {

Tensor asTensor(const PyValue &v) {
  if (v.isTensor())
    return v.tensor();
  if (v.kind() == PyValue::Kind::Bool)
    return Tensor({}, DType::Bool, v.toElement());
  if (v.kind() == PyValue::Kind::Int)
    return Tensor({}, DType::I64, v.toElement());
  if (v.kind() == PyValue::Kind::Float)
    return Tensor({}, DType::F32, v.toElement());
  throw OpError(std::string("expected a Tensor or a number, got ") + v.kindName() + " " +
                v.describe());
}

static int category(DType d) { return d == DType::Bool ? 0 : isFloating(d) ? 2 : 1; }

/// The dtype torch gives an operand: a number's is bool, int64 or the default float32.
static DType dtypeOf(const PyValue &v) {
  if (v.isTensor())
    return v.tensor().dtype();
  return v.kind() == PyValue::Kind::Bool  ? DType::Bool
         : v.kind() == PyValue::Kind::Int ? DType::I64
                                          : DType::F32;
}

/// torch.result_type of several operands (None skipped): dimensioned tensors win over 0-d
/// tensors and those over numbers, unless the lower tier has a higher category.
static DType promoteAll(const std::vector<PyValue> &values) {
  std::optional<DType> tiers[3]; // numbers, 0-d tensors, dimensioned tensors
  for (const PyValue &v : values) {
    if (v.isNone())
      continue;
    int tier = v.isTensor() ? (v.tensor().dim() > 0 ? 2 : 1) : 0;
    tiers[tier] = tiers[tier] ? promoteTypes(*tiers[tier], dtypeOf(v)) : dtypeOf(v);
  }
  std::optional<DType> result;
  for (int tier = 2; tier >= 0; --tier)
    if (tiers[tier] && (!result || category(*tiers[tier]) > category(*result)))
      result = tiers[tier];
  return result ? *result : DType::F32;
}

DType resultDType(const PyValue &a, const PyValue &b) { return promoteAll({a, b}); }

/// `f` on the broadcast elements of `operands`, into a tensor of `dtype`.
static Tensor broadcastMap(const std::vector<Tensor> &operands, DType dtype,
                           const std::function<Element(const Element *)> &f) {
  Shape shape;
  for (const Tensor &t : operands)
    shape = broadcastShapes(shape, t.shape());
  std::vector<std::vector<int64_t>> index;
  for (const Tensor &t : operands)
    index.push_back(broadcastIndex(t, shape));
  Tensor r(shape, dtype);
  std::vector<Element> xs(operands.size());
  for (int64_t i = 0; i < r.numel(); ++i) {
    for (size_t k = 0; k < operands.size(); ++k)
      xs[k] = operands[k][index[k][i]];
    r[i] = f(xs.data());
  }
  return r.round();
}

PyValue binary(const PyValue &a, const PyValue &b, const std::function<Element(Element, Element)> &f,
               bool intResult, const DType *out) {
  if (!a.isTensor() && !b.isTensor()) {
    Element r = f(a.toElement(), b.toElement());
    bool ints = a.kind() != PyValue::Kind::Float && b.kind() != PyValue::Kind::Float;
    if (out && *out == DType::Bool)
      return PyValue::boolean(r != 0);
    if (ints && intResult)
      return PyValue::integer((int64_t)r);
    return PyValue::floating((double)r);
  }
  return broadcastMap({asTensor(a), asTensor(b)}, out ? *out : resultDType(a, b),
                      [&f](const Element *x) { return f(x[0], x[1]); });
}

Tensor unary(const Tensor &t, const std::function<Element(Element)> &f, const DType *out) {
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

using K = const BoundArgs &;

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

static Element pyFloorDiv(Element a, Element b) { return std::floor(a / b); }
static Element pyMod(Element a, Element b) { return a - std::floor(a / b) * b; }

/// Floating results of integer inputs (true division, sqrt, ...) are float32, as in torch.
static DType floatOf(DType d) { return isFloating(d) ? d : DType::F32; }

/// `self op other` on tensors or numbers, broadcast; `intResult` keeps `int op int` an int.
static void addBinaryOp(Registry &r, const std::string &name, std::vector<std::string> aliases,
                        std::function<Element(Element, Element)> f, bool intResult,
                        const std::string &lowering, std::vector<std::string> samples) {
  r.addOp(name + "(Any self, Any other)", std::move(aliases), [f, intResult](K a) {
           return binary(a["self"], a["other"], f, intResult);
         })
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// `f` on a tensor's elements or on a number; `floatResult` makes integers float (exp, sqrt).
static void addUnaryOp(Registry &r, const std::string &schema, std::vector<std::string> aliases,
                       std::function<Element(Element)> f, bool floatResult,
                       const std::string &lowering, std::vector<std::string> samples) {
  r.addOp(schema, std::move(aliases), [f, floatResult](K a) -> PyValue {
    const PyValue &x = a.at(0);
    if (!x.isTensor()) {
      Element v = f(x.toElement());
      return x.kind() == PyValue::Kind::Int && !floatResult ? PyValue::integer((int64_t)v)
                                                            : PyValue::floating((double)v);
    }
    DType out = floatResult ? floatOf(x.tensor().dtype()) : x.tensor().dtype();
    return unary(x.tensor(), f, &out);
  })
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// `self + scale * other`: add and sub with alpha.
static PyValue addScaled(K a, Element scale) {
  return binary(a["self"], a["other"], [scale](Element x, Element y) { return x + scale * y; },
                true);
}

static PyValue addKernel(K a) {
  if (a["self"].kind() == PyValue::Kind::List) { // list concatenation
    std::vector<PyValue> items = a["self"].items();
    for (const PyValue &v : a["other"].items())
      items.push_back(v);
    return PyValue::list(items);
  }
  return addScaled(a, a.toDouble("alpha"));
}

static PyValue subKernel(K a) { return addScaled(a, -a.toDouble("alpha")); }

static PyValue trueDivide(const PyValue &a, const PyValue &b) {
  if (!a.isTensor() && !b.isTensor()) {
    if (b.toElement() == 0)
      throw OpError("division by zero");
    return PyValue::floating(a.toDouble() / b.toDouble());
  }
  DType out = floatOf(resultDType(a, b));
  return binary(a, b, [](Element x, Element y) { return x / y; }, false, &out);
}

/// torch.div: true division, or rounded towards zero or down; rounded integers stay integers.
static PyValue divKernel(K a) {
  const PyValue &x = a["self"], &y = a["other"];
  DivRounding mode = divRounding(a["rounding_mode"]);
  if (mode == DivRounding::None)
    return trueDivide(x, y);
  DType out = resultDType(x, y);
  if (!isFloating(out)) {
    Tensor divisor = asTensor(y);
    for (int64_t i = 0; i < divisor.numel(); ++i)
      if (divisor[i] == 0)
        throw OpError("ZeroDivisionError");
  }
  auto truncDiv = [](Element p, Element q) { return std::trunc(p / q); };
  return binary(x, y, mode == DivRounding::Trunc ? truncDiv : pyFloorDiv, true, &out);
}

/// `other - alpha * self`.
static PyValue rsubKernel(K a) {
  double alpha = a.toDouble("alpha");
  return binary(a["self"], a["other"], [alpha](Element x, Element y) { return y - alpha * x; },
                true);
}

/// NaN-propagating minimum and maximum.
static Element nanMin(Element x, Element y) { return std::isnan(x) || std::isnan(y) ? NAN : std::min(x, y); }
static Element nanMax(Element x, Element y) { return std::isnan(x) || std::isnan(y) ? NAN : std::max(x, y); }

/// torch's integer pow: a negative exponent gives 0, except for bases 1 and -1.
static Element integerPow(Element base, Element exponent) {
  if (exponent >= 0)
    return std::pow(base, exponent);
  if (base == -1)
    return std::fmod(exponent, 2) != 0 ? -1 : 1;
  return base == 1 ? 1 : 0;
}

static PyValue powKernel(K a) {
  const PyValue &x = a["self"], &e = a["exponent"];
  bool intPow = x.kind() == PyValue::Kind::Int && e.kind() == PyValue::Kind::Int && e.toInt() >= 0;
  if ((x.isTensor() || e.isTensor()) && !isFloating(resultDType(x, e)))
    return binary(x, e, integerPow, false);
  return binary(x, e, [](Element p, Element q) { return std::pow(p, q); }, intPow);
}

/// torch's C++ name of a dtype, as its "not implemented for 'Long'" errors print it.
static const char *scalarTypeName(DType d) {
  static const char *names[] = {"Bool", "Byte",  "Char",     "Short", "Int",
                                "Long", "Half",  "BFloat16", "Float", "Double"};
  return names[(int)d];
}

/// Throws torch's error for a kernel (`bitwise_and`) that has no `dtype` implementation.
static void notImplementedFor(const std::string &kernel, DType dtype) {
  throw OpError("\"" + kernel + "_cpu\" not implemented for '" + scalarTypeName(dtype) + "'");
}

/// Bitwise ops take integers and bools only.
static void requireIntegral(const std::string &op, const PyValue &v) {
  if (v.isTensor() ? isFloating(v.tensor().dtype()) : v.kind() == PyValue::Kind::Float)
    notImplementedFor(op, v.isTensor() ? v.tensor().dtype() : DType::F32);
}

/// `operator.<op>_` (and_, or_, xor) and torch.bitwise_<op> on integers and bools.
static void addBitwiseOp(Registry &r, const std::string &op,
                         std::function<int64_t(int64_t, int64_t)> f) {
  std::string name = op.back() == '_' ? op.substr(0, op.size() - 1) : op;
  std::string torchName = "bitwise_" + name;
  r.addOp("operator." + op + "(Any self, Any other)",
          {"torch." + torchName, "method:" + torchName, "method:__" + name + "__",
           "torch.ops.aten." + torchName, "torch.ops.aten." + torchName + ".Tensor",
           "torch.ops.aten." + torchName + ".Scalar"},
          [f, torchName](K a) {
            requireIntegral(torchName, a["self"]);
            requireIntegral(torchName, a["other"]);
            return binary(a["self"], a["other"],
                          [f](Element x, Element y) { return (Element)f((int64_t)x, (int64_t)y); },
                          true);
          })
      .lowerWith(torchName)
      .withSamples({"T(2, 3, dtype='i64'), T(3, dtype='i64')",
                    "T(2, 3, dtype='bool'), T(3, dtype='bool')", "T(4, dtype='i32'), 6",
                    "T(2, 2, dtype='ui8'), T(2, 2, dtype='ui8')",
                    "<torch.ops.aten." + torchName + ".Scalar> T(3, dtype='i64'), 5"});
}

/// ~x: logical not on bools, -x - 1 on integers.
static PyValue invertKernel(K a) {
  const PyValue &x = a["self"];
  requireIntegral("bitwise_not", x);
  if (!x.isTensor())
    return PyValue::integer(~x.toInt());
  const Tensor &t = x.tensor();
  bool isBool = t.dtype() == DType::Bool;
  return unary(t, [isBool](Element v) { return isBool ? (Element)(v == 0) : -v - 1; });
}

static void registerArithmeticOps(Registry &r) {
  // operator.add is canonical, so `alpha` (torch.add's keyword) has no sample of its own.
  r.addOp("operator.add(Any self, Any other, *, Scalar alpha=1)",
          {"torch.add", "method:add", "method:__add__", "torch.ops.aten.add",
           "torch.ops.aten.add.Tensor", "torch.ops.aten.add.Scalar"},
          addKernel)
      .lowerWith("add")
      .withSamples({"<torch.ops.aten.add.Scalar> T(2, 3), 2.5, alpha=2",
                    "<torch.ops.aten.add.Tensor> T(2, 3, dtype='i64'), T(3, dtype='i64'), alpha=3",
                    "T(2, 3), T(3)", "T(2, 3, dtype='i64'), 2", "T(4, 1, dtype='f64'), T()",
                    "2.5, T(3, dtype='i32')", "T(2, 0, 3), T(3)"});
  r.addOp("operator.sub(Any self, Any other, *, Scalar alpha=1)",
          {"torch.sub", "method:sub", "torch.ops.aten.sub", "torch.ops.aten.sub.Tensor",
           "torch.ops.aten.sub.Scalar"},
          subKernel)
      .lowerWith("sub")
      .withSamples({"<torch.ops.aten.sub.Scalar> T(2, 3), 2.5", "T(2, 3), T(3)",
                    "T(3, dtype='i64'), T(2, 1, dtype='i32')", "T(2, 3), 0.5",
                    "T(), T(2, 2, dtype='f64')"});
  addBinaryOp(r, "operator.mul",
              {"torch.mul", "method:mul", "method:__mul__", "torch.ops.aten.mul",
               "torch.ops.aten.mul.Tensor", "torch.ops.aten.mul.Scalar"},
              std::multiplies<Element>(), true, "mul",
              {"T(2, 3), T(2, 1)", "T(3, dtype='i32'), 3", "T(4, dtype='i64'), 2.5",
               "T(2, 2, dtype='bool'), T(2, 2, dtype='bool')",
               "<torch.ops.aten.mul.Scalar> T(2, 3, dtype='i64'), 3"});
  r.addOp("torch.div(Any self, Any other, *, str? rounding_mode=None)",
          {"operator.truediv", "method:div", "method:__truediv__", "torch.true_divide",
           "method:true_divide", "torch.divide", "method:divide", "torch.ops.aten.div",
           "torch.ops.aten.div.Tensor", "torch.ops.aten.div.Scalar",
           "torch.ops.aten.div.Tensor_mode", "torch.ops.aten.div.Scalar_mode",
           "torch.ops.aten.divide", "torch.ops.aten.divide.Tensor", "torch.ops.aten.true_divide",
           "torch.ops.aten.true_divide.Tensor"},
          divKernel)
      .lowerWith("div")
      .withSamples({"<torch.ops.aten.div.Scalar> T(2, 3), 4",
                    "<torch.ops.aten.div.Tensor_mode> T(2, 3, low=-5, high=5), T(3, low=0.5, "
                    "high=2), rounding_mode='floor'",
                    "<torch.ops.aten.div.Scalar_mode> T(4, dtype='i64', low=-9, high=9), 2, "
                    "rounding_mode='trunc'",
                    "T(2, 3), T(3, low=0.5, high=2)",
                    "T(2, 3, dtype='i64'), T(3, dtype='i64', low=1, high=5)", "T(4), 2",
                    "T(2, 2, dtype='f64'), T(low=0.5, high=2)",
                    "T(2, 3, dtype='i64', low=-10, high=10), T(3, dtype='i64', low=1, high=4), "
                    "rounding_mode='floor'",
                    "T(2, 3, low=-5, high=5), T(2, 1, low=0.5, high=2), rounding_mode='trunc'",
                    "T(4, dtype='i32', low=-10, high=10), -3, rounding_mode='trunc'",
                    "T(3, dtype='f64', low=-5, high=5), 0.7, rounding_mode=None"});
  r.addOp("torch.rsub(Tensor self, Any other, *, Scalar alpha=1)",
          {"method:__rsub__", "torch.ops.aten.rsub", "torch.ops.aten.rsub.Scalar",
           "torch.ops.aten.rsub.Tensor"},
          rsubKernel)
      .lowerWith("rsub")
      .withSamples({"T(2, 3), 2", "T(2, 3), T(3), alpha=2", "T(4, dtype='i64'), 7",
                    "T(2, 2, dtype='f64'), T(), alpha=0.5",
                    "<torch.ops.aten.rsub.Tensor> T(2, 3), T(3), alpha=2"});
  addBinaryOp(r, "torch.minimum", {"method:minimum", "torch.ops.aten.minimum",
                                   "torch.ops.aten.minimum.default"},
              nanMin, true, "minimum",
              {"T(2, 3), T(3)", "T(4, dtype='i64'), T(4, dtype='i32')",
               "T(2, 1, dtype='f64'), T(3, dtype='i64')", "T(), T(2, 2)"});
  addBinaryOp(r, "torch.maximum", {"method:maximum", "torch.ops.aten.maximum",
                                   "torch.ops.aten.maximum.default"},
              nanMax, true, "maximum",
              {"T(2, 3), T(3)", "T(4, dtype='i64'), T(4, dtype='i32')",
               "T(2, 1, dtype='f64'), T(3, dtype='i64')", "T(), T(2, 2)",
               "T(2, 3, dtype='ui8', high=256), T(3, dtype='ui8', high=256)"});
  addBinaryOp(r, "operator.floordiv",
              {"torch.floor_divide", "method:floor_divide", "torch.ops.aten.floor_divide",
               "torch.ops.aten.floor_divide.default", "torch.ops.aten.floor_divide.Scalar"},
              pyFloorDiv, true, "floor_divide",
              {"T(2, 3, dtype='i64', low=-10, high=10), T(3, dtype='i64', low=1, high=5)",
               "T(2, 3), T(3, low=0.5, high=2)", "T(4, dtype='i32', low=-10, high=10), 3",
               "T(2, 2, dtype='f64', low=-5, high=5), T(low=-2, high=-0.5)",
               "<torch.ops.aten.floor_divide.Scalar> T(3, dtype='i64', low=-9, high=9), 4",
               "T(2, 3, dtype='ui8', high=256), T(3, dtype='ui8', low=1, high=256)"});
  addBinaryOp(r, "operator.mod",
              {"torch.remainder", "method:remainder", "torch.ops.aten.remainder",
               "torch.ops.aten.remainder.Tensor", "torch.ops.aten.remainder.Scalar"},
              pyMod, true, "remainder",
              {"T(2, 3), T(3, low=0.5, high=2)",
               "T(2, 3, dtype='i64', low=-10, high=10), T(3, dtype='i64', low=1, high=5)",
               "T(4), 1.5", "T(2, 2, dtype='f64', low=-5, high=5), T(low=-2, high=-0.5)",
               "<torch.ops.aten.remainder.Scalar> T(3, low=-5, high=5), 1.5"});
  r.addOp("operator.pow(Any self, Any exponent)",
          {"torch.pow", "method:pow", "torch.ops.aten.pow", "torch.ops.aten.pow.Tensor_Tensor",
           "torch.ops.aten.pow.Tensor_Scalar", "torch.ops.aten.pow.Scalar"},
          powKernel)
      .lowerWith("pow")
      .withSamples({"<torch.ops.aten.pow.Tensor_Scalar> T(2, 3), 3",
                    "<torch.ops.aten.pow.Scalar> 2.0, T(2, 3)", "T(2, 3, low=0.5, high=2), T(3)",
                    "T(2, 3), 2", "T(4, dtype='i64', high=5), 3", "2, T(3, dtype='f64')",
                    "T(2, 3, dtype='i64', low=-3, high=4), T(3, dtype='i64', high=4)",
                    "T(5, dtype='i64', low=-2, high=3), T(5, dtype='i64', low=-3, high=0)",
                    "T(2, 3, dtype='ui8', high=256), T(3, dtype='ui8', high=4)"});
  addBitwiseOp(r, "and_", std::bit_and<int64_t>());
  addBitwiseOp(r, "or_", std::bit_or<int64_t>());
  addBitwiseOp(r, "xor", std::bit_xor<int64_t>());
  r.addOp("operator.invert(Any self)",
          {"torch.bitwise_not", "method:bitwise_not", "method:__invert__",
           "torch.ops.aten.bitwise_not", "torch.ops.aten.bitwise_not.default"},
          invertKernel)
      .lowerWith("bitwise_not")
      .withSamples({"T(2, 3, dtype='i64', low=-5, high=5)", "T(4, dtype='bool')",
                    "T(dtype='i32')", "T(3, dtype='ui8')"});
  addUnaryOp(r, "operator.neg(Any self)",
             {"torch.neg", "method:neg", "torch.ops.aten.neg", "torch.ops.aten.neg.default"},
             std::negate<Element>(), false, "neg",
             {"T(2, 3)", "T(4, dtype='i64')", "T()", "T(2, 2, dtype='f64')"});
  addUnaryOp(r, "operator.abs(Any self)",
             {"torch.abs", "method:abs", "torch.ops.aten.abs", "torch.ops.aten.abs.default"},
             [](Element x) { return std::fabs(x); }, false, "abs",
             {"T(2, 3)", "T(4, dtype='i32', low=-5, high=5)", "T(3, dtype='f64')", "T()"});
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

/// `operator.<op>`: a bool tensor (or a bool for numbers); the lowering is named `op`.
static void addComparison(Registry &r, const std::string &op,
                          std::function<bool(Element, Element)> f) {
  DType boolean = DType::Bool;
  std::string aten = "torch.ops.aten." + op;
  r.addOp("operator." + op + "(Any self, Any other)",
          {"torch." + op, "method:" + op, aten, aten + ".Tensor", aten + ".Scalar"},
          [f, boolean](K a) {
            return binary(a["self"], a["other"],
                          [f](Element x, Element y) { return f(x, y) ? 1.0 : 0.0; }, false,
                          &boolean);
          })
      .lowerWith(op)
      // Small integers, so that equal elements occur; mixed dtypes, numbers, a 0-d tensor.
      .withSamples({"T(2, 3, dtype='i64', high=3), T(3, dtype='i64', high=3)", "T(2, 3), T(3)",
                    "T(4, dtype='i32', high=3), 1", "T(3, dtype='i64', high=3), T(dtype='f64')",
                    "<" + aten + ".Scalar> T(2, 3, dtype='i64', high=3), 1",
                    "T(2, 3, dtype='ui8', high=256), T(3, dtype='ui8', high=256)"});
}

/// Spellings of torch.<name>: the Tensor method and the aten op (packet and `overload`).
static std::vector<std::string> torchAliases(const std::string &name,
                                             const std::string &overload = "default") {
  return {"method:" + name, "torch.ops.aten." + name, "torch.ops.aten." + name + "." + overload};
}

/// torch.logical_<op>: truthiness of both operands combined, a bool tensor.
static void addLogicalOp(Registry &r, const std::string &op, std::function<bool(bool, bool)> f) {
  DType boolean = DType::Bool;
  std::string name = "logical_" + op;
  r.addOp("torch." + name + "(Tensor self, Tensor other)", torchAliases(name),
          [f, boolean](K a) {
            return binary(a["self"], a["other"],
                          [f](Element x, Element y) { return f(x != 0, y != 0) ? 1.0 : 0.0; },
                          false, &boolean);
          })
      .lowerWith(name)
      .withSamples({"T(2, 3, dtype='bool'), T(3, dtype='bool')",
                    "T(2, 3, dtype='i64', high=3), T(2, 1, dtype='i64', high=3)",
                    "T(4, low=-1, high=1), T(4, dtype='f64', low=-1, high=1)",
                    "T(3, dtype='i32', high=2), T(dtype='bool')"});
}

static PyValue logicalNotKernel(K a) {
  DType boolean = DType::Bool;
  return PyValue(unary(a.tensor("self"), [](Element x) { return (Element)(x == 0); }, &boolean));
}

static void registerComparisonOps(Registry &r) {
  addComparison(r, "eq", std::equal_to<Element>());
  addComparison(r, "ne", std::not_equal_to<Element>());
  addComparison(r, "lt", std::less<Element>());
  addComparison(r, "le", std::less_equal<Element>());
  addComparison(r, "gt", std::greater<Element>());
  addComparison(r, "ge", std::greater_equal<Element>());
  addLogicalOp(r, "and", std::logical_and<bool>());
  addLogicalOp(r, "or", std::logical_or<bool>());
  addLogicalOp(r, "xor", std::not_equal_to<bool>());
  r.addOp("torch.logical_not(Tensor self)", torchAliases("logical_not"), logicalNotKernel)
      .lowerWith("logical_not")
      .withSamples({"T(2, 3, dtype='bool')", "T(4, dtype='i64', high=3)",
                    "T(3, dtype='f64', low=-1, high=1)", "T()"});
}

//===----------------------------------------------------------------------===//
// Activations and math functions
//===----------------------------------------------------------------------===//

static Element clampScalar(Element x, Element lo, Element hi) { return std::min(std::max(x, lo), hi); }
static Element relu6(Element x) { return clampScalar(x, 0.0, 6.0); }

static PyValue hardtanhKernel(K a) {
  double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
  return PyValue(unary(a.tensor("input"), [=](Element x) { return clampScalar(x, lo, hi); }));
}

static Element gelu(Element x, bool tanhApprox) {
  if (tanhApprox)
    return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
}

static PyValue geluKernel(K a) {
  bool tanhApprox = geluUsesTanh(a["approximate"].toStr());
  return PyValue(unary(a.tensor("input"), [tanhApprox](Element x) { return gelu(x, tanhApprox); }));
}

/// An activation's element function, given its hyper-parameters.
using ElementFnOf = std::function<std::function<Element(Element)>(K)>;

/// What an activation does with integer inputs: torch's kernel `intKernel` rejects them
/// (`"elu_cpu" not implemented for 'Long'`), or they become float32 (`intKernel` empty).
static void addActivation(Registry &r, const std::string &schema,
                          std::vector<std::string> aliases, const std::string &intKernel,
                          ElementFnOf fnOf, const std::string &lowering,
                          std::vector<std::string> samples) {
  r.addOp(schema, std::move(aliases), [intKernel, fnOf](K a) {
     const Tensor &x = a.at(0).tensor();
     if (!isFloating(x.dtype()) && !intKernel.empty())
       notImplementedFor(intKernel, x.dtype());
     DType out = floatOf(x.dtype());
     return PyValue(unary(x, fnOf(a), &out));
   })
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// The element function of an activation without hyper-parameters.
static ElementFnOf fixed(Element (*f)(Element)) {
  return [f](K) { return std::function<Element(Element)>(f); };
}

static constexpr Element kSeluAlpha = 1.6732632423543772848170429916717;
static constexpr Element kSeluScale = 1.0507009873554804934193349852946;

static Element eluOf(Element x, Element alpha) { return x > 0 ? x : alpha * std::expm1(x); }
static Element selu(Element x) { return kSeluScale * eluOf(x, kSeluAlpha); }
static Element softplusOf(Element x, Element beta, Element threshold) {
  return x * beta > threshold ? x : std::log1p(std::exp(x * beta)) / beta;
}
static Element mish(Element x) { return x * std::tanh(softplusOf(x, 1, 20)); }
static Element softsign(Element x) { return x / (1 + std::fabs(x)); }
static Element logsigmoid(Element x) { return std::min<Element>(x, 0) - std::log1p(std::exp(-std::fabs(x))); }
static Element tanhshrink(Element x) { return x - std::tanh(x); }

static std::function<Element(Element)> leakyRelu(K a) {
  double slope = a.toDouble("negative_slope");
  return [slope](Element x) { return x > 0 ? x : x * slope; };
}
static std::function<Element(Element)> elu(K a) {
  double alpha = a.toDouble("alpha");
  return [alpha](Element x) { return eluOf(x, alpha); };
}
static std::function<Element(Element)> celu(K a) {
  double alpha = a.toDouble("alpha");
  checkCeluAlpha(alpha);
  return [alpha](Element x) { return x > 0 ? x : alpha * std::expm1(x / alpha); };
}
static std::function<Element(Element)> softplus(K a) {
  double beta = a.toDouble("beta"), threshold = a.toDouble("threshold");
  return [=](Element x) { return softplusOf(x, beta, threshold); };
}
static std::function<Element(Element)> hardshrink(K a) {
  double l = a.toDouble("lambd");
  return [l](Element x) { return x >= -l && x <= l ? 0.0 : x; };
}
static std::function<Element(Element)> softshrink(K a) {
  double l = a.toDouble("lambd");
  return [l](Element x) { return x > l ? x - l : x < -l ? x + l : 0.0; };
}

/// threshold keeps integers integers: `x > threshold ? x : value`, the threshold converted to
/// the input's dtype first (truncated for integers), as torch does.
static PyValue thresholdKernel(K a) {
  const Tensor &x = a.tensor("input");
  Element th = roundToDType(a.toDouble("threshold"), x.dtype()), value = a.toDouble("value");
  return PyValue(unary(x, [=](Element v) { return v > th ? v : value; }));
}

/// glu: the first half of `dim` times the sigmoid of the second.
static PyValue gluKernel(K a) {
  const Tensor &x = a.tensor("input");
  if (!isFloating(x.dtype()))
    notImplementedFor("glu", x.dtype());
  int64_t dim = gluDim(x.shape(), a.toInt("dim"));
  DimSplit s = splitAt(x.shape(), dim);
  Shape shape = x.shape();
  shape[dim] /= 2;
  Tensor out(shape, x.dtype());
  int64_t half = s.size / 2;
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < half; ++k)
      for (int64_t i = 0; i < s.inner; ++i) {
        Element first = x[(o * s.size + k) * s.inner + i];
        Element second = x[(o * s.size + k + half) * s.inner + i];
        out[(o * half + k) * s.inner + i] = first / (1 + std::exp(-second));
      }
  return PyValue(out.round());
}

/// prelu: x where x > 0, else weight * x, the weight along dim 1 (or one value for all).
static PyValue preluKernel(K a) {
  const Tensor &x = a.tensor("input"), &w = a.tensor("weight");
  if (!isFloating(x.dtype()))
    notImplementedFor("prelu", x.dtype());
  if (w.dtype() != x.dtype())
    throw OpError(std::string("prelu: Found dtype ") + scalarTypeName(w.dtype()) +
                  " but expected " + scalarTypeName(x.dtype()));
  Shape along; // the weight's shape broadcast against x
  if (preluPerChannel(x.shape(), w.shape())) {
    along.assign(x.dim() - 1, 1);
    along[0] = w.numel();
  }
  DType out = x.dtype();
  return binary(
      PyValue(x), PyValue(w.reshape(along)),
      [](Element v, Element slope) { return v > 0 ? v : slope * v; }, false, &out);
}

static void registerParametricActivationOps(Registry &r) {
  addActivation(r,
                "torch.nn.functional.leaky_relu(Tensor input, float negative_slope=0.01, "
                "bool inplace=False)",
                {"torch._C._nn.leaky_relu", "torch.ops.aten.leaky_relu",
                 "torch.ops.aten.leaky_relu.default"},
                "leaky_relu", leakyRelu, "leaky_relu",
                {"T(2, 3)", "T(4, dtype='f64'), 0.2", "T(3, 2), negative_slope=0.1, inplace=True",
                 "T()"});
  addActivation(r, "torch.nn.functional.elu(Tensor input, float alpha=1.0, bool inplace=False)",
                {"torch._C._nn.elu", "torch.ops.aten.elu", "torch.ops.aten.elu.default"}, "elu",
                elu, "elu",
                {"T(2, 3)", "T(4, dtype='f64'), 0.5", "T(3, 2), alpha=2.0, inplace=True", "T()"});
  addActivation(r, "torch.nn.functional.selu(Tensor input, bool inplace=False)",
                {"torch.selu", "torch.ops.aten.selu", "torch.ops.aten.selu.default"}, "elu",
                fixed(selu), "selu", {"T(2, 3)", "T(4, dtype='f64')", "T(3), inplace=True"});
  addActivation(r, "torch.nn.functional.celu(Tensor input, float alpha=1.0, bool inplace=False)",
                {"torch.celu", "torch.ops.aten.celu", "torch.ops.aten.celu.default"}, "elu", celu,
                "celu", {"T(2, 3)", "T(4, dtype='f64'), 0.5", "T(3, 2), alpha=2.0", "T()"});
  addActivation(r,
                "torch.nn.functional.softplus(Tensor input, float beta=1, float threshold=20)",
                {"torch._C._nn.softplus", "torch.ops.aten.softplus",
                 "torch.ops.aten.softplus.default"},
                "softplus", softplus, "softplus",
                {"T(2, 3)", "T(4, dtype='f64', low=-5, high=5), 2.0, 3.0",
                 "T(3, 2, low=-30, high=30), threshold=10", "T(), beta=0.5"});
  addActivation(r, "torch.nn.functional.mish(Tensor input, bool inplace=False)",
                {"torch._C._nn.mish", "torch.ops.aten.mish", "torch.ops.aten.mish.default"},
                "mish", fixed(mish), "mish", {"T(2, 3)", "T(4, dtype='f64')", "T(3), inplace=True"});
  addActivation(r, "torch.nn.functional.softsign(Tensor input)", {}, "", fixed(softsign),
                "softsign", {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-5, high=5)"});
  addActivation(r, "torch.nn.functional.logsigmoid(Tensor input)",
                {"torch._C._nn.log_sigmoid", "torch.ops.aten.log_sigmoid",
                 "torch.ops.aten.log_sigmoid.default"},
                "log_sigmoid", fixed(logsigmoid), "logsigmoid",
                {"T(2, 3)", "T(4, dtype='f64', low=-30, high=30)", "T()"});
  addActivation(r, "torch.nn.functional.tanhshrink(Tensor input)", {}, "", fixed(tanhshrink),
                "tanhshrink",
                {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-5, high=5)"});
  addActivation(r, "torch.nn.functional.hardshrink(Tensor input, float lambd=0.5)",
                {"torch.hardshrink", "method:hardshrink", "torch.ops.aten.hardshrink",
                 "torch.ops.aten.hardshrink.default"},
                "hardshrink", hardshrink, "hardshrink",
                {"T(2, 3)", "T(4, dtype='f64'), 0.3", "T(3, 2), lambd=1.0", "T()"});
  addActivation(r, "torch.nn.functional.softshrink(Tensor input, float lambd=0.5)",
                {"torch._C._nn.softshrink", "torch.ops.aten.softshrink",
                 "torch.ops.aten.softshrink.default"},
                "softshrink", softshrink, "softshrink",
                {"T(2, 3)", "T(4, dtype='f64'), 0.3", "T(3, 2), lambd=1.0", "T()"});
  r.addOp("torch.nn.functional.threshold(Tensor input, float threshold, float value, "
          "bool inplace=False)",
          {"torch.nn.functional._threshold", "torch.threshold", "torch.ops.aten.threshold",
           "torch.ops.aten.threshold.default"},
          thresholdKernel)
      .lowerWith("threshold")
      .withSamples({"T(2, 3), 0.1, 20.0", "T(4, dtype='i64', low=-5, high=5), -1.5, 9",
                    "T(3, dtype='f64'), threshold=0.0, value=-1.0", "T(), 0.5, 0.0, True"});
  r.addOp("torch.nn.functional.glu(Tensor input, int dim=-1)",
          {"torch._C._nn.glu", "torch.ops.aten.glu", "torch.ops.aten.glu.default"}, gluKernel)
      .lowerWith("glu")
      .withSamples({"T(2, 4)", "T(4, 3, dtype='f64'), 0", "T(2, 6, 3), dim=-2", "T(2, 4, 3), 1"});
  r.addOp("torch.prelu(Tensor input, Tensor weight)",
          {"torch.nn.functional.prelu", "method:prelu", "torch.ops.aten.prelu",
           "torch.ops.aten.prelu.default"},
          preluKernel)
      .lowerWith("prelu")
      .withSamples({"T(2, 3, 4), T(3)", "T(2, 3, 4, 5, dtype='f64'), T(1, dtype='f64')",
                    "T(4, 2), T(2, low=-1, high=1)", "T(5), T(1)", "T(), T()",
                    "T(1, 2, 3, 2, 2), T(2)"});
}

static void registerActivationOps(Registry &r) {
  // The canonical form of each op is its most general spelling (here F.relu with `inplace`).
  addUnaryOp(r, "torch.nn.functional.relu(Tensor input, bool inplace=False)",
             {"torch.relu", "method:relu", "torch.ops.aten.relu", "torch.ops.aten.relu.default"},
             [](Element x) { return x > 0 ? x : 0.0; }, false, "relu",
             {"T(2, 3)", "T(4, dtype='i64', low=-5, high=5)", "T(3, 4, dtype='f64'), inplace=True",
              "T()"});
  addUnaryOp(r, "torch.nn.functional.relu6(Tensor input, bool inplace=False)",
             {"torch.ops.aten.relu6", "torch.ops.aten.relu6.default"}, relu6, false, "relu6",
             {"T(2, 3, low=-8, high=8)", "T(4, dtype='f64', low=-8, high=8), inplace=True",
              "T(5, dtype='i32', low=-3, high=10)"});
  r.addOp("torch.nn.functional.hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, "
          "bool inplace=False)",
          {"torch.ops.aten.hardtanh", "torch.ops.aten.hardtanh.default"}, hardtanhKernel)
      .lowerWith("hardtanh")
      .withSamples({"T(2, 3, low=-2, high=2)", "T(4, low=-3, high=3), -2.0, 2.0",
                    "T(2, 2, dtype='f64', low=-2, high=2), min_val=-0.5, max_val=0.5",
                    "T(3, low=-2, high=2), inplace=True"});
  r.addOp("torch.nn.functional.gelu(Tensor input, *, str approximate=\"none\")",
          {"torch._C._nn.gelu", "torch.ops.aten.gelu", "torch.ops.aten.gelu.default"}, geluKernel)
      .lowerWith("gelu")
      .withSamples({"T(2, 3)", "T(4, 5), approximate='tanh'", "T(3, dtype='f64')",
                    "T(2, 2, dtype='f64'), approximate='none'"});
  addUnaryOp(r, "torch.nn.functional.silu(Tensor input, bool inplace=False)",
             {"torch.ops.aten.silu", "torch.ops.aten.silu.default"},
             [](Element x) { return x / (1 + std::exp(-x)); }, true, "silu",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, 2), inplace=True"});
  addUnaryOp(r, "torch.sigmoid(Tensor self)",
             {"method:sigmoid", "torch.nn.functional.sigmoid", "torch.ops.aten.sigmoid",
              "torch.ops.aten.sigmoid.default"},
             [](Element x) { return 1 / (1 + std::exp(-x)); }, true, "sigmoid",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-3, high=3)", "T()"});
  addUnaryOp(r, "torch.tanh(Tensor self)",
             {"method:tanh", "torch.nn.functional.tanh", "torch.ops.aten.tanh",
              "torch.ops.aten.tanh.default"},
             [](Element x) { return std::tanh(x); }, true, "tanh",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-3, high=3)", "T()"});
  addUnaryOp(r, "torch.nn.functional.hardswish(Tensor input, bool inplace=False)",
             {"torch.ops.aten.hardswish", "torch.ops.aten.hardswish.default"},
             [](Element x) { return x * relu6(x + 3) / 6; }, true, "hardswish",
             {"T(2, 3, low=-4, high=4)", "T(4, dtype='f64', low=-4, high=4)",
              "T(3, low=-4, high=4), inplace=True"});
  addUnaryOp(r, "torch.nn.functional.hardsigmoid(Tensor input, bool inplace=False)",
             {"torch.ops.aten.hardsigmoid", "torch.ops.aten.hardsigmoid.default"},
             [](Element x) { return relu6(x + 3) / 6; }, true, "hardsigmoid",
             {"T(2, 3, low=-4, high=4)", "T(4, dtype='f64', low=-4, high=4)",
              "T(3, low=-4, high=4), inplace=True"});
}

static Element sign(Element x) { return (Element)(0 < x) - (Element)(x < 0); } // NaN -> 0, as torch

/// Where a math function's samples lie: its floats ("low=0.1, high=5"; empty: anywhere) and
/// its integers.
struct Domain {
  const char *floats, *ints;
};
static const Domain kAnyReal{"", "low=-3, high=3"}, kPositive{"low=0.1, high=5", "low=1, high=10"},
    kUnitInterval{"low=-0.9, high=0.9", "low=0, high=1"},
    kRounding{"low=-5, high=5", "low=-5, high=5"}, kAcoshDomain{"low=1, high=5", "low=1, high=10"},
    kLog1pDomain{"low=-0.9, high=5", "low=0, high=10"};

/// Broadcastable f32, f64, int64 and rank-0 samples in `d`.
static std::vector<std::string> samplesIn(const Domain &d) {
  std::string floats = d.floats, range = floats.empty() ? "" : ", " + floats;
  return {"T(2, 3" + range + ")", "T(4, dtype='f64'" + range + ")",
          "T(3, dtype='i64', " + std::string(d.ints) + ")", "T(" + floats + ")"};
}

/// torch.<name>(Tensor self) on the elements; `floatResult` makes integers float32.
struct MathFunction {
  const char *name;
  Element (*f)(Element);
  bool floatResult;
  Domain domain;
};

// Rounding keeps integers as they are (floor of an int tensor is that tensor).
static const MathFunction kMathFunctions[] = {
    {"floor", [](Element x) { return std::floor(x); }, false, kRounding},
    {"ceil", [](Element x) { return std::ceil(x); }, false, kRounding},
    {"trunc", [](Element x) { return std::trunc(x); }, false, kRounding},
    {"sign", sign, false, kRounding},
    {"reciprocal", [](Element x) { return 1 / x; }, true, kPositive},
    {"exp2", [](Element x) { return std::exp2(x); }, true, kAnyReal},
    {"expm1", [](Element x) { return std::expm1(x); }, true, kAnyReal},
    {"log2", [](Element x) { return std::log2(x); }, true, kPositive},
    {"log10", [](Element x) { return std::log10(x); }, true, kPositive},
    {"log1p", [](Element x) { return std::log1p(x); }, true, kLog1pDomain},
    {"sin", [](Element x) { return std::sin(x); }, true, kAnyReal},
    {"cos", [](Element x) { return std::cos(x); }, true, kAnyReal},
    {"tan", [](Element x) { return std::tan(x); }, true, kUnitInterval},
    {"asin", [](Element x) { return std::asin(x); }, true, kUnitInterval},
    {"acos", [](Element x) { return std::acos(x); }, true, kUnitInterval},
    {"atan", [](Element x) { return std::atan(x); }, true, kAnyReal},
    {"sinh", [](Element x) { return std::sinh(x); }, true, kAnyReal},
    {"cosh", [](Element x) { return std::cosh(x); }, true, kAnyReal},
    {"asinh", [](Element x) { return std::asinh(x); }, true, kAnyReal},
    {"acosh", [](Element x) { return std::acosh(x); }, true, kAcoshDomain},
    {"atanh", [](Element x) { return std::atanh(x); }, true, kUnitInterval},
    {"erf", [](Element x) { return std::erf(x); }, true, kAnyReal},
};

/// torch.round: half to even, at `decimals` digits (negative: tens, hundreds, ...).
static Element roundTo(Element x, int64_t decimals) {
  if (decimals == 0)
    return std::nearbyint(x);
  Element scale = std::pow(10.0, (Element)std::llabs(decimals));
  return decimals > 0 ? std::nearbyint(x * scale) / scale : std::nearbyint(x / scale) * scale;
}

static PyValue roundKernel(K a) {
  const Tensor &x = a.tensor("self");
  int64_t decimals = a.toInt("decimals");
  if (!isFloating(x.dtype()) && decimals != 0)
    notImplementedFor("round", x.dtype());
  if (!isFloating(x.dtype()))
    return PyValue(x);
  return PyValue(unary(x, [decimals](Element v) { return roundTo(v, decimals); }));
}

/// square of bools is int64 (it is pow(x, 2)); other dtypes stay.
static PyValue squareKernel(K a) {
  const Tensor &x = a.tensor("self");
  DType out = x.dtype() == DType::Bool ? DType::I64 : x.dtype();
  return PyValue(unary(x, [](Element v) { return v * v; }, &out));
}

static void registerMathOps(Registry &r) {
  for (const MathFunction &m : kMathFunctions)
    addUnaryOp(r, std::string("torch.") + m.name + "(Tensor self)", torchAliases(m.name), m.f,
               m.floatResult, m.name, samplesIn(m.domain));
  r.addOp("torch.square(Tensor self)", torchAliases("square"), squareKernel)
      .lowerWith("square")
      .withSamples({"T(2, 3)", "T(4, dtype='i64', low=-5, high=5)", "T(3, dtype='bool')",
                    "T(dtype='f64')"});
  r.addOp("torch.round(Tensor self, *, int decimals=0)", torchAliases("round"), roundKernel)
      .lowerWith("round")
      .withSamples({"T(2, 3, low=-5, high=5)", "T(4, dtype='f64', low=-50, high=50), decimals=1",
                    "T(3, low=-500, high=500), decimals=-2", "T(3, dtype='i64')", "T()"});
  addUnaryOp(r, "torch.exp(Tensor self)",
             {"method:exp", "torch.ops.aten.exp", "torch.ops.aten.exp.default"},
             [](Element x) { return std::exp(x); }, true, "exp",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', high=5)", "T()"});
  addUnaryOp(r, "torch.log(Tensor self)",
             {"method:log", "torch.ops.aten.log", "torch.ops.aten.log.default"},
             [](Element x) { return std::log(x); }, true, "log",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  addUnaryOp(r, "torch.sqrt(Tensor self)",
             {"method:sqrt", "torch.ops.aten.sqrt", "torch.ops.aten.sqrt.default"},
             [](Element x) { return std::sqrt(x); }, true, "sqrt",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  addUnaryOp(r, "torch.rsqrt(Tensor self)",
             {"method:rsqrt", "torch.ops.aten.rsqrt", "torch.ops.aten.rsqrt.default"},
             [](Element x) { return 1 / std::sqrt(x); }, true, "rsqrt",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  // Python's math functions take numbers: fx-to-linalg evaluates them at compile time.
  addUnaryOp(r, "math.sqrt(float x)", {}, [](Element x) { return std::sqrt(x); }, true, "sqrt",
             {"2.0", "64"});
  addUnaryOp(r, "math.exp(float x)", {}, [](Element x) { return std::exp(x); }, true, "exp",
             {"1.5", "-2"});
  addUnaryOp(r, "math.log(float x)", {}, [](Element x) { return std::log(x); }, true, "log",
             {"2.0", "10"});
}

//===----------------------------------------------------------------------===//
// Clamping and selection
//===----------------------------------------------------------------------===//

/// clamp with number or tensor bounds (None leaves a side open), NaN-propagating; the result
/// has the dtype torch promotes self and the bounds to.
static PyValue clampKernel(K a) {
  const PyValue &lo = a["min"], &hi = a["max"];
  clampTakesTensors(lo.isNone(), lo.isTensor(), hi.isNone(), hi.isTensor());
  DType out = promoteAll({a["self"], lo, hi});
  auto bound = [](const PyValue &v, Element open) {
    return v.isNone() ? Tensor({}, DType::F64, open) : asTensor(v);
  };
  return PyValue(broadcastMap({a.tensor("self"), bound(lo, -INFINITY), bound(hi, INFINITY)}, out,
                              [](const Element *x) {
                                if (std::isnan(x[0]) || std::isnan(x[1]) || std::isnan(x[2]))
                                  return (Element)NAN;
                                return std::min(std::max(x[0], x[1]), x[2]);
                              }));
}

static PyValue whereKernel(K a) {
  DType out = resultDType(a["self"], a["other"]);
  return PyValue(broadcastMap({a.tensor("condition"), asTensor(a["self"]), asTensor(a["other"])},
                              out, [](const Element *x) { return x[0] != 0 ? x[1] : x[2]; }));
}

static PyValue maskedFillKernel(K a) {
  const Tensor &x = a.tensor("self"), &m = a.tensor("mask");
  Element v = a["value"].toElement();
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
}

static void registerSelectionOps(Registry &r) {
  // Number bounds are aten's clamp.default, tensor bounds clamp.Tensor.
  r.addOp("torch.clamp(Tensor self, Any min=None, Any max=None)",
          {"method:clamp", "method:clip", "torch.clip", "torch.ops.aten.clamp",
           "torch.ops.aten.clamp.default", "torch.ops.aten.clamp.Tensor", "torch.ops.aten.clip",
           "torch.ops.aten.clip.default", "torch.ops.aten.clip.Tensor"},
          clampKernel)
      .lowerWith("clamp")
      .withSamples(
          {"T(2, 3), -0.5, 0.5", "T(4), min=0.0", "T(2, 3, dtype='f64'), max=0.2",
           "T(5, dtype='i64'), 2, 7", "T(5, dtype='i64'), 0.5",
           "T(2, 3), T(3, low=-1, high=0), T(2, 1, low=0, high=1)",
           "T(4, dtype='i64'), min=T(dtype='f64')", "T(2, 3, dtype='i32'), max=T(3, dtype='i32')",
           "<torch.ops.aten.clamp.Tensor> T(2, 3), T(3, low=-1, high=0), T(3, low=0, high=1)",
           "<torch.ops.aten.clip.Tensor> T(2, 3), None, T(1, low=0, high=1)"});
  r.addOp("torch.where(Tensor condition, Any self, Any other)",
          {"torch.ops.aten.where", "torch.ops.aten.where.self", "torch.ops.aten.where.ScalarOther",
           "torch.ops.aten.where.ScalarSelf", "torch.ops.aten.where.Scalar"},
          whereKernel)
      .lowerWith("where")
      .withSamples(
          {"<torch.ops.aten.where.ScalarOther> T(2, 3, dtype='bool'), T(2, 3), 0.5",
           "<torch.ops.aten.where.ScalarSelf> T(3, dtype='bool'), 1.5, T(2, 3)",
           "<torch.ops.aten.where.Scalar> T(2, 2, dtype='bool'), 1.0, 0.0",
           "T(2, 3, dtype='bool'), T(2, 3), T(3)", "T(4, dtype='bool'), T(4, dtype='i64'), 0",
           "T(2, 1, dtype='bool'), 1.0, T(3, dtype='f64')", "T(3, dtype='bool'), T(), T(3)",
           "T(2, 3, dtype='bool'), 1.0, 0", "T(4, dtype='bool'), 2, -1"});
  r.addOp("method:masked_fill(Tensor self, Tensor mask, Any value)",
          {"torch.masked_fill", "torch.ops.aten.masked_fill", "torch.ops.aten.masked_fill.Scalar",
           "torch.ops.aten.masked_fill.Tensor"},
          maskedFillKernel)
      .lowerWith("masked_fill")
      .withSamples({"<torch.ops.aten.masked_fill.Tensor> T(2, 3), T(2, 3, dtype='bool'), T()",
                    "T(2, 3), T(2, 3, dtype='bool'), 0.0", "T(2, 3), T(3, dtype='bool'), -math.inf",
                    "T(4, dtype='i64'), T(4, dtype='bool'), 7",
                    "T(2, 2, dtype='f64'), T(2, 2, dtype='bool'), T()"});
}

//===----------------------------------------------------------------------===//
// Dropout and assertions
//===----------------------------------------------------------------------===//

/// Dropout-like ops are the identity in eval mode; in training they are random.
static Kernel identityUnlessTraining(std::string op, std::string flag = "training") {
  return [op, flag](K a) {
    if (isRandomDropout(a["p"], a.toBool(flag)))
      throw OpError(op + " with training=True is random; the interpreter runs models in eval "
                         "mode");
    return a["input"];
  };
}

static PyValue assertKernel(K a) {
  const PyValue &c = a["condition"];
  bool holds = c.isTensor() ? c.tensor().numel() == 1 && c.tensor()[0] != 0 : c.toBool();
  checkAssertion(holds, a["message"]);
  return PyValue::none();
}

/// Ops that compute nothing in an eval-mode model.
static void registerIdentityOps(Registry &r) {
  // torch.dropout(input, p, train) has no defaults: the first sample passes all three.
  r.addOp("torch.nn.functional.dropout(Tensor input, float p=0.5, bool training=True, "
          "bool inplace=False)",
          {"torch.nn.functional.dropout1d", "torch.nn.functional.dropout2d",
           "torch.nn.functional.dropout3d"},
          identityUnlessTraining("dropout"))
      .lowerWith("dropout")
      .withSamples({"T(2, 3, 4), 0.5, False", "T(4, 5), p=0.1, training=False",
                    "T(3, dtype='f64'), 0.0, True", "T(2, 2), training=False, inplace=True"});
  // torch.dropout is aten's: the flag is `train` and has no default.
  r.addOp("torch.dropout(Tensor input, float p, bool train)",
          {"torch.feature_dropout", "torch.alpha_dropout", "torch.feature_alpha_dropout",
           "torch.ops.aten.dropout", "torch.ops.aten.dropout.default"},
          identityUnlessTraining("dropout", "train"))
      .lowerWith("dropout_train")
      .withSamples({"T(2, 3, 4), 0.5, False", "T(4, 5), p=0.1, train=False"});
  r.addOp("torch.nn.functional.alpha_dropout(Tensor input, float p=0.5, bool training=False, "
          "bool inplace=False)",
          {"torch.nn.functional.feature_alpha_dropout"}, identityUnlessTraining("alpha_dropout"))
      .lowerWith("dropout")
      .withSamples({"T(2, 3, 4), 0.5", "T(4, 5), p=0.1, training=False"});
  r.addOp("torchvision.ops.stochastic_depth.stochastic_depth(Tensor input, float p, str mode, "
          "bool training=True)",
          {}, identityUnlessTraining("stochastic_depth"))
      .lowerWith("stochastic_depth")
      .withSamples({"T(2, 3, 4), 0.2, 'row', False", "T(4, 5), 0.5, 'batch', training=False",
                    "T(2, 3), 0.0, 'row'"});
  r.addOp("torch._assert(Any condition, str message)", {}, assertKernel)
      .lowerWith("_assert")
      .withSamples({"True, 'holds'", "T(dtype='i64', low=1, high=2), 'a 0-d tensor'",
                    "T(1, low=0.5, high=1), message='a 1-element tensor'"});
}

//===----------------------------------------------------------------------===//
// Activation backwards
//===----------------------------------------------------------------------===//

static Element sigmoidOf(Element x) { return 1 / (1 + std::exp(-x)); }

/// The standard normal's cdf and pdf: gelu is x * cdf(x), its derivative cdf + x * pdf.
static Element normalCdf(Element x) { return 0.5 * (1 + std::erf(x / std::sqrt(2.0))); }
static Element normalPdf(Element x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI); }

/// An activation's gradient at one element, from the broadcast elements of its operands
/// (grad_output first, then what the op saved: its input, its result, a buffer).
using GradFn = std::function<Element(const Element *)>;
using GradFnOf = std::function<GradFn(K)>;

/// aten's `<name>.default(params)`: `fnOf(args)` on the broadcast elements of the tensor
/// parameters `operands`, in their promoted floating dtype (integers are float32, as torch's
/// kernels would refuse them anyway). The lowering has the op's name.
static void addActivationBackward(Registry &r, const std::string &name, const std::string &params,
                                  std::vector<std::string> operands, GradFnOf fnOf,
                                  std::vector<std::string> samples) {
  r.addOp("torch.ops.aten." + name + ".default(" + params + ")", {"torch.ops.aten." + name},
          [operands, fnOf](K a) {
            std::vector<PyValue> values;
            std::vector<Tensor> tensors;
            for (const std::string &o : operands) {
              values.push_back(a[o]);
              tensors.push_back(a.tensor(o));
            }
            return PyValue(broadcastMap(tensors, floatOf(promoteAll(values)), fnOf(a)));
          })
      .lowerWith(name)
      .withSamples(std::move(samples));
}

/// A gradient without hyper-parameters, of grad_output `x[0]` and the saved `x[1]`.
static GradFnOf fixedGrad(Element (*f)(Element g, Element x)) {
  return [f](K) { return GradFn([f](const Element *x) { return f(x[0], x[1]); }); };
}

static Element sigmoidGrad(Element g, Element y) { return g * (1 - y) * y; }
static Element tanhGrad(Element g, Element y) { return g * (1 - y * y); }
static Element siluGrad(Element g, Element x) {
  Element s = sigmoidOf(x);
  return g * s * (1 + x * (1 - s));
}
static Element hardswishGrad(Element g, Element x) {
  return x < -3 ? 0.0 : x <= 3 ? g * (x / 3 + 0.5) : g;
}
static Element hardsigmoidGrad(Element g, Element x) { return x > -3 && x < 3 ? g / 6 : 0.0; }
static Element mishGrad(Element g, Element x) {
  Element t = std::tanh(softplusOf(x, 1, 20));
  return g * (t + x * sigmoidOf(x) * (1 - t * t));
}

/// d gelu / dx: cdf + x * pdf, or the derivative of the tanh approximation.
static GradFn geluGrad(K a) {
  if (!geluUsesTanh(a["approximate"].toStr()))
    return [](const Element *v) { return v[0] * (normalCdf(v[1]) + v[1] * normalPdf(v[1])); };
  return [](const Element *v) {
    Element x = v[1], beta = std::sqrt(2 / M_PI), kappa = 0.044715;
    Element t = std::tanh(beta * (x + kappa * x * x * x));
    return v[0] * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * beta * (1 + 3 * kappa * x * x));
  };
}
/// The gradient passes where self > threshold (relu's backward is threshold 0).
static GradFn thresholdGrad(K a) {
  double th = a.toDouble("threshold");
  return [th](const Element *v) { return v[1] <= th ? 0.0 : v[0]; };
}
static GradFn hardtanhGrad(K a) {
  double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
  return [=](const Element *v) { return v[1] <= lo || v[1] >= hi ? 0.0 : v[0]; };
}
static GradFn leakyReluGrad(K a) {
  double slope = a.toDouble("negative_slope");
  return [slope](const Element *v) { return v[1] > 0 ? v[0] : v[0] * slope; };
}
/// elu (and selu, celu through scale and input_scale) from the input or, with is_result, from
/// the result, where alpha * scale * exp(x * input_scale) is result + alpha * scale.
static GradFn eluGrad(K a) {
  double negCoef = a.toDouble("alpha") * a.toDouble("scale"), posCoef = a.toDouble("scale");
  double inScale = a.toDouble("input_scale");
  bool isResult = a.toBool("is_result");
  return [=](const Element *v) {
    Element g = v[0], x = v[1];
    if (x > 0)
      return g * posCoef;
    return isResult ? g * inScale * (x + negCoef) : g * inScale * negCoef * std::exp(x * inScale);
  };
}
static GradFn softplusGrad(K a) {
  double beta = a.toDouble("beta"), threshold = a.toDouble("threshold");
  return [=](const Element *v) {
    Element z = std::exp(v[1] * beta);
    return v[1] * beta > threshold ? v[0] : v[0] * z / (z + 1);
  };
}
/// torch's CPU kernel reads exp(-|x|) from the forward's buffer rather than recomputing it.
static GradFn logSigmoidGrad(K) {
  return [](const Element *v) {
    bool negative = v[1] < 0;
    return v[0] * ((negative ? 1.0 : 0.0) - (negative ? 1.0 : -1.0) * v[2] / (1 + v[2]));
  };
}

static void registerActivationBackwardOps(Registry &r) {
  const std::vector<std::string> gradAndSelf{"grad_output", "self"},
      gradAndResult{"grad_output", "output"};
  // Broadcasting operands (torch broadcasts them as it does the forward's), f32 and f64.
  const std::vector<std::string> plain{"T(2, 3), T(2, 3)", "T(2, 3), T(3)",
                                       "T(4, dtype='f64'), T(4, dtype='f64')"};
  addActivationBackward(r, "threshold_backward",
                        "Tensor grad_output, Tensor self, Scalar threshold", gradAndSelf,
                        thresholdGrad,
                        {"T(2, 3), T(2, 3), 0", "T(3), T(2, 3), 0.25",
                         "T(4, dtype='f64'), T(4, dtype='f64'), -0.5"});
  addActivationBackward(r, "sigmoid_backward", "Tensor grad_output, Tensor output",
                        gradAndResult, fixedGrad(sigmoidGrad),
                        {"T(2, 3), T(2, 3, low=0, high=1)", "T(2, 3), T(3, low=0, high=1)",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=0, high=1)"});
  addActivationBackward(r, "tanh_backward", "Tensor grad_output, Tensor output", gradAndResult,
                        fixedGrad(tanhGrad),
                        {"T(2, 3), T(2, 3, low=-1, high=1)", "T(3), T(2, 3, low=-1, high=1)",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=-1, high=1)"});
  addActivationBackward(r, "gelu_backward",
                        "Tensor grad_output, Tensor self, *, str approximate=\"none\"",
                        gradAndSelf, geluGrad,
                        {"T(2, 3), T(2, 3)", "T(2, 3), T(3), approximate='tanh'",
                         "T(4, dtype='f64'), T(4, dtype='f64'), approximate='none'",
                         "T(4, dtype='f64'), T(4, dtype='f64'), approximate='tanh'"});
  addActivationBackward(r, "silu_backward", "Tensor grad_output, Tensor self", gradAndSelf,
                        fixedGrad(siluGrad), plain);
  addActivationBackward(r, "hardtanh_backward",
                        "Tensor grad_output, Tensor self, Scalar min_val, Scalar max_val",
                        gradAndSelf, hardtanhGrad,
                        {"T(2, 3), T(2, 3, low=-2, high=2), -1.0, 1.0",
                         "T(3), T(2, 3, low=-8, high=8), 0.0, 6.0",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=-2, high=2), -0.5, 0.5"});
  addActivationBackward(r, "hardswish_backward", "Tensor grad_output, Tensor self", gradAndSelf,
                        fixedGrad(hardswishGrad),
                        {"T(2, 3), T(2, 3, low=-5, high=5)", "T(2, 3), T(3, low=-5, high=5)",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=-5, high=5)"});
  addActivationBackward(r, "hardsigmoid_backward", "Tensor grad_output, Tensor self",
                        gradAndSelf, fixedGrad(hardsigmoidGrad),
                        {"T(2, 3), T(2, 3, low=-5, high=5)", "T(2, 3), T(3, low=-5, high=5)",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=-5, high=5)"});
  addActivationBackward(r, "leaky_relu_backward",
                        "Tensor grad_output, Tensor self, Scalar negative_slope, "
                        "bool self_is_result",
                        gradAndSelf, leakyReluGrad,
                        {"T(2, 3), T(2, 3), 0.01, False", "T(3), T(2, 3), 0.2, True",
                         "T(4, dtype='f64'), T(4, dtype='f64'), 0.1, False"});
  addActivationBackward(r, "elu_backward",
                        "Tensor grad_output, Scalar alpha, Scalar scale, Scalar input_scale, "
                        "bool is_result, Tensor self_or_result",
                        {"grad_output", "self_or_result"}, eluGrad,
                        {"T(2, 3), 1.0, 1, 1, False, T(2, 3)",
                         "T(2, 3), 1.6732632423543772, 1.0507009873554805, 1, True, T(3)",
                         "T(4, dtype='f64'), 2.0, 1, 0.5, False, T(4, dtype='f64')"});
  addActivationBackward(r, "softplus_backward",
                        "Tensor grad_output, Tensor self, Scalar beta, Scalar threshold",
                        gradAndSelf, softplusGrad,
                        {"T(2, 3), T(2, 3), 1, 20", "T(3), T(2, 3, low=-5, high=5), 2.0, 3.0",
                         "T(4, dtype='f64'), T(4, dtype='f64', low=-30, high=30), 0.5, 10"});
  addActivationBackward(r, "mish_backward", "Tensor grad_output, Tensor self", gradAndSelf,
                        fixedGrad(mishGrad), plain);
  addActivationBackward(r, "log_sigmoid_backward",
                        "Tensor grad_output, Tensor self, Tensor buffer",
                        {"grad_output", "self", "buffer"}, logSigmoidGrad,
                        {"T(2, 3), T(2, 3), T(2, 3, low=0, high=1)",
                         "T(3), T(2, 3), T(2, 3, low=0, high=1)",
                         "T(4, dtype='f64'), T(4, dtype='f64'), T(4, dtype='f64', low=0, high=1)"});
}

void registerElementwiseOps(Registry &r) {
  registerArithmeticOps(r);
  registerComparisonOps(r);
  registerActivationOps(r);
  registerParametricActivationOps(r);
  registerMathOps(r);
  registerSelectionOps(r);
  registerIdentityOps(r);
  registerActivationBackwardOps(r);
}

} // namespace fxmlir
