//===- Elementwise.cpp - Arithmetic, comparisons, activations -------------===//
#include "KernelUtils.h"

#include <algorithm>
#include <functional>

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

using K = const BoundArgs &;

//===----------------------------------------------------------------------===//
// Arithmetic
//===----------------------------------------------------------------------===//

static double pyFloorDiv(double a, double b) { return std::floor(a / b); }
static double pyMod(double a, double b) { return a - std::floor(a / b) * b; }

/// Floating results of integer inputs (true division, sqrt, ...) are float32, as in torch.
static DType floatOf(DType d) { return isFloating(d) ? d : DType::F32; }

/// `self op other` on tensors or numbers, broadcast; `intResult` keeps `int op int` an int.
static void addBinaryOp(Registry &r, const std::string &name, std::vector<std::string> aliases,
                        std::function<double(double, double)> f, bool intResult,
                        const std::string &lowering, std::vector<std::string> samples) {
  r.addOp(name + "(Any self, Any other)", std::move(aliases), [f, intResult](K a) {
           return binary(a["self"], a["other"], f, intResult);
         })
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// `f` on a tensor's elements or on a number; `floatResult` makes integers float (exp, sqrt).
static void addUnaryOp(Registry &r, const std::string &schema, std::vector<std::string> aliases,
                       std::function<double(double)> f, bool floatResult,
                       const std::string &lowering, std::vector<std::string> samples) {
  r.addOp(schema, std::move(aliases), [f, floatResult](K a) -> PyValue {
    const PyValue &x = a.at(0);
    if (!x.isTensor()) {
      double v = f(x.toDouble());
      return x.kind() == PyValue::Kind::Int && !floatResult ? PyValue::integer((int64_t)v)
                                                            : PyValue::floating(v);
    }
    DType out = floatResult ? floatOf(x.tensor().dtype()) : x.tensor().dtype();
    return unary(x.tensor(), f, &out);
  })
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// `self + scale * other`: add and sub with alpha.
static PyValue addScaled(K a, double scale) {
  return binary(a["self"], a["other"], [scale](double x, double y) { return x + scale * y; },
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
    if (b.toDouble() == 0)
      throw OpError("division by zero");
    return PyValue::floating(a.toDouble() / b.toDouble());
  }
  DType out = floatOf(resultDType(a, b));
  return binary(a, b, [](double x, double y) { return x / y; }, false, &out);
}

static PyValue powKernel(K a) {
  const PyValue &x = a["self"], &e = a["exponent"];
  bool intPow = x.kind() == PyValue::Kind::Int && e.kind() == PyValue::Kind::Int && e.toInt() >= 0;
  return binary(x, e, [](double p, double q) { return std::pow(p, q); }, intPow);
}

static void registerArithmeticOps(Registry &r) {
  // operator.add is canonical, so `alpha` (torch.add's keyword) has no sample of its own.
  r.addOp("operator.add(Any self, Any other, *, Scalar alpha=1)",
          {"torch.add", "method:add", "method:__add__"}, addKernel)
      .lowerWith("add")
      .withSamples({"T(2, 3), T(3)", "T(2, 3, dtype='i64'), 2", "T(4, 1, dtype='f64'), T()",
                    "2.5, T(3, dtype='i32')"});
  r.addOp("operator.sub(Any self, Any other, *, Scalar alpha=1)", {"torch.sub", "method:sub"},
          subKernel)
      .lowerWith("sub")
      .withSamples({"T(2, 3), T(3)", "T(3, dtype='i64'), T(2, 1, dtype='i32')", "T(2, 3), 0.5",
                    "T(), T(2, 2, dtype='f64')"});
  addBinaryOp(r, "operator.mul", {"torch.mul", "method:mul", "method:__mul__"},
              std::multiplies<double>(), true, "mul",
              {"T(2, 3), T(2, 1)", "T(3, dtype='i32'), 3", "T(4, dtype='i64'), 2.5",
               "T(2, 2, dtype='bool'), T(2, 2, dtype='bool')"});
  r.addOp("operator.truediv(Any self, Any other)", {"torch.div", "method:div", "torch.true_divide"},
          [](K a) { return trueDivide(a["self"], a["other"]); })
      .lowerWith("div")
      .withSamples({"T(2, 3), T(3, low=0.5, high=2)",
                    "T(2, 3, dtype='i64'), T(3, dtype='i64', low=1, high=5)", "T(4), 2",
                    "T(2, 2, dtype='f64'), T(low=0.5, high=2)"});
  addBinaryOp(r, "operator.floordiv", {"torch.floor_divide", "method:floor_divide"}, pyFloorDiv,
              true, "floor_divide",
              {"T(2, 3, dtype='i64', low=-10, high=10), T(3, dtype='i64', low=1, high=5)",
               "T(2, 3), T(3, low=0.5, high=2)", "T(4, dtype='i32', low=-10, high=10), 3",
               "T(2, 2, dtype='f64', low=-5, high=5), T(low=-2, high=-0.5)"});
  addBinaryOp(r, "operator.mod", {"torch.remainder", "method:remainder"}, pyMod, true,
              "remainder",
              {"T(2, 3), T(3, low=0.5, high=2)",
               "T(2, 3, dtype='i64', low=-10, high=10), T(3, dtype='i64', low=1, high=5)",
               "T(4), 1.5", "T(2, 2, dtype='f64', low=-5, high=5), T(low=-2, high=-0.5)"});
  r.addOp("operator.pow(Any self, Any exponent)", {"torch.pow", "method:pow"}, powKernel)
      .lowerWith("pow")
      .withSamples({"T(2, 3, low=0.5, high=2), T(3)", "T(2, 3), 2", "T(4, dtype='i64', high=5), 3",
                    "2, T(3, dtype='f64')"});
  // The first sample is bool: it also runs as torch.logical_and/logical_or.
  addBinaryOp(r, "operator.and_", {"torch.bitwise_and", "torch.logical_and"},
              [](double x, double y) { return (double)((int64_t)x & (int64_t)y); }, true,
              "bitwise_and",
              {"T(2, 3, dtype='bool'), T(3, dtype='bool')",
               "T(2, 3, dtype='i64'), T(3, dtype='i64')", "T(4, dtype='i32'), 6",
               "T(2, 2, dtype='ui8'), T(2, 2, dtype='ui8')"});
  addBinaryOp(r, "operator.or_", {"torch.bitwise_or", "torch.logical_or"},
              [](double x, double y) { return (double)((int64_t)x | (int64_t)y); }, true,
              "bitwise_or",
              {"T(2, 3, dtype='bool'), T(3, dtype='bool')",
               "T(2, 3, dtype='i64'), T(3, dtype='i64')", "T(4, dtype='i32'), 6",
               "T(2, 2, dtype='ui8'), T(2, 2, dtype='ui8')"});
  addUnaryOp(r, "operator.neg(Any self)", {"torch.neg", "method:neg"}, std::negate<double>(),
             false, "neg", {"T(2, 3)", "T(4, dtype='i64')", "T()", "T(2, 2, dtype='f64')"});
  addUnaryOp(r, "operator.abs(Any self)", {"torch.abs", "method:abs"},
             [](double x) { return std::fabs(x); }, false, "abs",
             {"T(2, 3)", "T(4, dtype='i32', low=-5, high=5)", "T(3, dtype='f64')", "T()"});
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

/// `operator.<op>`: a bool tensor (or a bool for numbers); the lowering is named `op`.
static void addComparison(Registry &r, const std::string &op,
                          std::function<bool(double, double)> f) {
  DType boolean = DType::Bool;
  r.addOp("operator." + op + "(Any self, Any other)", {"torch." + op, "method:" + op},
          [f, boolean](K a) {
            return binary(a["self"], a["other"],
                          [f](double x, double y) { return f(x, y) ? 1.0 : 0.0; }, false,
                          &boolean);
          })
      .lowerWith(op)
      // Small integers, so that equal elements occur; mixed dtypes, numbers, a 0-d tensor.
      .withSamples({"T(2, 3, dtype='i64', high=3), T(3, dtype='i64', high=3)", "T(2, 3), T(3)",
                    "T(4, dtype='i32', high=3), 1", "T(3, dtype='i64', high=3), T(dtype='f64')"});
}

static void registerComparisonOps(Registry &r) {
  addComparison(r, "eq", std::equal_to<double>());
  addComparison(r, "ne", std::not_equal_to<double>());
  addComparison(r, "lt", std::less<double>());
  addComparison(r, "le", std::less_equal<double>());
  addComparison(r, "gt", std::greater<double>());
  addComparison(r, "ge", std::greater_equal<double>());
}

//===----------------------------------------------------------------------===//
// Activations and math functions
//===----------------------------------------------------------------------===//

static double clampScalar(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }
static double relu6(double x) { return clampScalar(x, 0.0, 6.0); }

static PyValue hardtanhKernel(K a) {
  double lo = a.toDouble("min_val"), hi = a.toDouble("max_val");
  return PyValue(unary(a.tensor("input"), [=](double x) { return clampScalar(x, lo, hi); }));
}

static double gelu(double x, bool tanhApprox) {
  if (tanhApprox)
    return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
}

static PyValue geluKernel(K a) {
  bool tanhApprox = geluUsesTanh(a["approximate"].toStr());
  return PyValue(unary(a.tensor("input"), [tanhApprox](double x) { return gelu(x, tanhApprox); }));
}

static void registerActivationOps(Registry &r) {
  // The canonical form of each op is its most general spelling (here F.relu with `inplace`).
  addUnaryOp(r, "torch.nn.functional.relu(Tensor input, bool inplace=False)",
             {"torch.relu", "method:relu"}, [](double x) { return x > 0 ? x : 0.0; }, false,
             "relu",
             {"T(2, 3)", "T(4, dtype='i64', low=-5, high=5)", "T(3, 4, dtype='f64'), inplace=True",
              "T()"});
  addUnaryOp(r, "torch.nn.functional.relu6(Tensor input, bool inplace=False)", {}, relu6, false,
             "relu6",
             {"T(2, 3, low=-8, high=8)", "T(4, dtype='f64', low=-8, high=8), inplace=True",
              "T(5, dtype='i32', low=-3, high=10)"});
  r.addOp("torch.nn.functional.hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, "
          "bool inplace=False)",
          {}, hardtanhKernel)
      .lowerWith("hardtanh")
      .withSamples({"T(2, 3, low=-2, high=2)", "T(4, low=-3, high=3), -2.0, 2.0",
                    "T(2, 2, dtype='f64', low=-2, high=2), min_val=-0.5, max_val=0.5",
                    "T(3, low=-2, high=2), inplace=True"});
  r.addOp("torch.nn.functional.gelu(Tensor input, *, str approximate=\"none\")",
          {"torch._C._nn.gelu"}, geluKernel)
      .lowerWith("gelu")
      .withSamples({"T(2, 3)", "T(4, 5), approximate='tanh'", "T(3, dtype='f64')",
                    "T(2, 2, dtype='f64'), approximate='none'"});
  addUnaryOp(r, "torch.nn.functional.silu(Tensor input, bool inplace=False)", {},
             [](double x) { return x / (1 + std::exp(-x)); }, true, "silu",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, 2), inplace=True"});
  addUnaryOp(r, "torch.sigmoid(Tensor self)", {"method:sigmoid", "torch.nn.functional.sigmoid"},
             [](double x) { return 1 / (1 + std::exp(-x)); }, true, "sigmoid",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-3, high=3)", "T()"});
  addUnaryOp(r, "torch.tanh(Tensor self)", {"method:tanh", "torch.nn.functional.tanh"},
             [](double x) { return std::tanh(x); }, true, "tanh",
             {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', low=-3, high=3)", "T()"});
  addUnaryOp(r, "torch.nn.functional.hardswish(Tensor input, bool inplace=False)", {},
             [](double x) { return x * relu6(x + 3) / 6; }, true, "hardswish",
             {"T(2, 3, low=-4, high=4)", "T(4, dtype='f64', low=-4, high=4)",
              "T(3, low=-4, high=4), inplace=True"});
  addUnaryOp(r, "torch.nn.functional.hardsigmoid(Tensor input, bool inplace=False)", {},
             [](double x) { return relu6(x + 3) / 6; }, true, "hardsigmoid",
             {"T(2, 3, low=-4, high=4)", "T(4, dtype='f64', low=-4, high=4)",
              "T(3, low=-4, high=4), inplace=True"});
}

static void registerMathOps(Registry &r) {
  addUnaryOp(r, "torch.exp(Tensor self)", {"method:exp"}, [](double x) { return std::exp(x); },
             true, "exp", {"T(2, 3)", "T(4, dtype='f64')", "T(3, dtype='i64', high=5)", "T()"});
  addUnaryOp(r, "torch.log(Tensor self)", {"method:log"}, [](double x) { return std::log(x); },
             true, "log",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  addUnaryOp(r, "torch.sqrt(Tensor self)", {"method:sqrt"}, [](double x) { return std::sqrt(x); },
             true, "sqrt",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  addUnaryOp(r, "torch.rsqrt(Tensor self)", {"method:rsqrt"},
             [](double x) { return 1 / std::sqrt(x); }, true, "rsqrt",
             {"T(2, 3, low=0.1, high=5)", "T(4, dtype='f64', low=0.1, high=5)",
              "T(3, dtype='i64', low=1, high=10)", "T(low=0.1, high=5)"});
  // Python's math functions take numbers: fx-to-linalg evaluates them at compile time.
  addUnaryOp(r, "math.sqrt(float x)", {}, [](double x) { return std::sqrt(x); }, true, "sqrt",
             {"2.0", "64"});
  addUnaryOp(r, "math.exp(float x)", {}, [](double x) { return std::exp(x); }, true, "exp",
             {"1.5", "-2"});
  addUnaryOp(r, "math.log(float x)", {}, [](double x) { return std::log(x); }, true, "log",
             {"2.0", "10"});
}

//===----------------------------------------------------------------------===//
// Clamping and selection
//===----------------------------------------------------------------------===//

static PyValue clampKernel(K a) {
  ClampBounds bounds = clampBounds(a["min"], a["max"]);
  return PyValue(unary(a.tensor("self"), [bounds](double x) {
    if (std::isnan(x))
      return x;
    if (bounds.min)
      x = std::max(x, *bounds.min);
    if (bounds.max)
      x = std::min(x, *bounds.max);
    return x;
  }));
}

static PyValue whereKernel(K a) {
  Tensor c = a.tensor("condition"), x = asTensor(a["self"]), y = asTensor(a["other"]);
  Shape shape = broadcastShapes(broadcastShapes(c.shape(), x.shape()), y.shape());
  auto ic = broadcastIndex(c, shape), ix = broadcastIndex(x, shape), iy = broadcastIndex(y, shape);
  Tensor out(shape, resultDType(a["self"], a["other"]));
  for (int64_t i = 0; i < out.numel(); ++i)
    out[i] = c[ic[i]] != 0 ? x[ix[i]] : y[iy[i]];
  return PyValue(out.round());
}

static PyValue maskedFillKernel(K a) {
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
}

static void registerSelectionOps(Registry &r) {
  r.addOp("torch.clamp(Tensor self, Scalar? min=None, Scalar? max=None)",
          {"method:clamp", "method:clip", "torch.clip"}, clampKernel)
      .lowerWith("clamp")
      .withSamples({"T(2, 3), -0.5, 0.5", "T(4), min=0.0", "T(2, 3, dtype='f64'), max=0.2",
                    "T(5, dtype='i64'), 2, 7"});
  r.addOp("torch.where(Tensor condition, Any self, Any other)", {}, whereKernel)
      .lowerWith("where")
      .withSamples({"T(2, 3, dtype='bool'), T(2, 3), T(3)",
                    "T(4, dtype='bool'), T(4, dtype='i64'), 0",
                    "T(2, 1, dtype='bool'), 1.0, T(3, dtype='f64')",
                    "T(3, dtype='bool'), T(), T(3)"});
  r.addOp("method:masked_fill(Tensor self, Tensor mask, Any value)", {"torch.masked_fill"},
          maskedFillKernel)
      .lowerWith("masked_fill")
      .withSamples({"T(2, 3), T(2, 3, dtype='bool'), 0.0", "T(2, 3), T(3, dtype='bool'), -math.inf",
                    "T(4, dtype='i64'), T(4, dtype='bool'), 7",
                    "T(2, 2, dtype='f64'), T(2, 2, dtype='bool'), T()"});
}

//===----------------------------------------------------------------------===//
// Dropout and assertions
//===----------------------------------------------------------------------===//

/// Dropout-like ops are the identity in eval mode; in training they are random.
static Kernel identityUnlessTraining(std::string op) {
  return [op](K a) {
    if (isRandomDropout(a["p"], a.toBool("training")))
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
          {"torch.dropout"}, identityUnlessTraining("dropout"))
      .lowerWith("dropout")
      .withSamples({"T(2, 3), 0.5, False", "T(4, 5), p=0.1, training=False",
                    "T(3, dtype='f64'), 0.0, True", "T(2, 2), training=False, inplace=True"});
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

void registerElementwiseOps(Registry &r) {
  registerArithmeticOps(r);
  registerComparisonOps(r);
  registerActivationOps(r);
  registerMathOps(r);
  registerSelectionOps(r);
  registerIdentityOps(r);
}

} // namespace fxmlir
