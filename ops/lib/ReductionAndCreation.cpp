//===- ReductionAndCreation.cpp - Reductions, creation ops, *_like, tril --===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class Reduce { Sum, Mean, Max, Min, Prod, Any, All };

/// Argument `name`, or None where the schema lacks it: an aten overload's entry (sum.default has
/// no dim, keepdim or step) shares its op's kernel.
static PyValue argOrNone(const BoundArgs &a, const char *name) {
  return a.getSchema().find(name) < 0 ? PyValue::none() : a[name];
}
static bool keepdimOf(const BoundArgs &a) {
  PyValue keepdim = argOrNone(a, "keepdim");
  return !keepdim.isNone() && keepdim.toBool();
}

static Element nanMax(Element a, Element b) { return std::isnan(a) || a >= b ? a : b; }
static Element nanMin(Element a, Element b) { return std::isnan(a) || a <= b ? a : b; }
static Element add(Element a, Element b) { return a + b; }
static Element mul(Element a, Element b) { return a * b; }
static Element logicalOr(Element a, Element b) { return (a != 0) || (b != 0); }
static Element logicalAnd(Element a, Element b) { return (a != 0) && (b != 0); }

/// How each reduction starts and combines (NaN propagates through max and min, as in torch).
struct Combiner {
  Element init;
  Element (*combine)(Element, Element);
};
static Combiner combinerOf(Reduce kind) {
  constexpr Element inf = std::numeric_limits<Element>::infinity();
  switch (kind) {
  case Reduce::Sum:
  case Reduce::Mean: return {0.0, add};
  case Reduce::Max: return {-inf, nanMax};
  case Reduce::Min: return {inf, nanMin};
  case Reduce::Prod: return {1.0, mul};
  case Reduce::Any: return {0.0, logicalOr};
  case Reduce::All: return {1.0, logicalAnd};
  }
  return {0.0, add};
}

/// A reduction of a tensor of `shape` over `dims`: the result's shapes with and without the
/// reduced dims, and the flat index of the result element each input element goes to.
struct ReductionPlan {
  std::vector<int64_t> dims;
  Shape kept, out;
  std::vector<int64_t> slot;

  ReductionPlan(const Shape &shape, std::vector<int64_t> reducedDims) : dims(reducedDims) {
    int64_t rank = (int64_t)shape.size();
    std::vector<bool> reduced(rank, false);
    for (int64_t d : dims)
      reduced[d] = true;
    for (int64_t d = 0; d < rank; ++d) {
      if (!reduced[d])
        out.push_back(shape[d]);
      kept.push_back(reduced[d] ? 1 : shape[d]);
    }
    Shape strides = contiguousStrides(kept);
    std::vector<int64_t> counter(rank, 0);
    for (int64_t flat = 0, n = numElements(shape); flat < n; ++flat) {
      int64_t dst = 0;
      for (int64_t d = 0; d < rank; ++d)
        dst += reduced[d] ? 0 : counter[d] * strides[d];
      slot.push_back(dst);
      for (int64_t d = rank - 1; d >= 0 && ++counter[d] == shape[d]; --d)
        counter[d] = 0;
    }
  }
  /// `acc` (of the kept shape) rounded, its reduced dims dropped unless `keepdim`.
  Tensor finish(Tensor acc, bool keepdim) const {
    acc.round();
    return keepdim ? acc : acc.reshape(out);
  }
};

/// Combines `x`'s elements per result element, in a tensor of the kept shape and `dtype`.
static Tensor combine(const Tensor &x, const ReductionPlan &plan, Combiner c, DType dtype) {
  Tensor acc(plan.kept, dtype, c.init);
  for (int64_t i = 0; i < x.numel(); ++i)
    acc[plan.slot[i]] = c.combine(acc[plan.slot[i]], x[i]);
  return acc;
}

/// The tensor a reduction combines: dtype= first; sums and products of integers in int64;
/// means of integers refused (as torch).
static Tensor reductionInput(const Tensor &x, Reduce kind, const PyValue &dtype) {
  if (!dtype.isNone())
    return x.to(dtype.toDType());
  bool integral = !isFloating(x.dtype());
  if (integral && (kind == Reduce::Sum || kind == Reduce::Prod))
    return x.to(DType::I64);
  if (integral && kind == Reduce::Mean)
    throw OpError("mean(): could not infer output dtype. Input dtype must be either a floating "
                  "point or complex dtype. Got: " + std::string(dtypeName(x.dtype())));
  return x;
}

/// any/all give bool, except of uint8 (torch keeps uint8 there).
static DType reductionDType(Reduce kind, DType input) {
  if ((kind == Reduce::Any || kind == Reduce::All) && input != DType::U8)
    return DType::Bool;
  return input;
}

static Tensor reduce(const Tensor &x0, const PyValue &dims, bool keepdim, Reduce kind,
                     const PyValue &dtype) {
  Tensor x = reductionInput(x0, kind, dtype);
  ReductionPlan plan(x.shape(), reductionDims(dims, x.dim()));
  Tensor acc = combine(x, plan, combinerOf(kind), reductionDType(kind, x.dtype()));
  if (kind == Reduce::Mean) {
    Element n = (Element)reducedElementCount(x.shape(), plan.dims);
    for (int64_t i = 0; i < acc.numel(); ++i)
      acc[i] /= n;
  }
  return plan.finish(acc, keepdim);
}

/// The kernel of sum, mean, prod, amax, amin, any or all; dtype= where the schema has it.
static Kernel reductionKernel(Reduce kind) {
  return [kind](const BoundArgs &a) {
    return PyValue(reduce(a.tensor("input"), argOrNone(a, "dim"), keepdimOf(a), kind,
                          argOrNone(a, "dtype")));
  };
}

static void checkVarianceDType(DType dtype) {
  if (!isFloating(dtype))
    throw OpError("std and var only support floating point and complex dtypes");
}

/// var (std when `root`): the mean of squared deviations, divided by N - correction.
static Kernel varianceKernel(bool root) {
  return [root](const BoundArgs &a) {
    const Tensor &x = a.tensor("input");
    checkVarianceDType(x.dtype());
    VarianceArgs v = varianceArgs(argOrNone(a, "dim"), argOrNone(a, "unbiased"),
                                  argOrNone(a, "correction"), x.dim());
    ReductionPlan plan(x.shape(), v.dims);
    Tensor mean = combine(x, plan, combinerOf(Reduce::Sum), DType::F64);
    Element n = (Element)reducedElementCount(x.shape(), v.dims);
    for (int64_t i = 0; i < mean.numel(); ++i)
      mean[i] /= n;
    Tensor acc(plan.kept, x.dtype(), 0.0);
    for (int64_t i = 0; i < x.numel(); ++i) {
      Element d = x[i] - mean[plan.slot[i]];
      acc[plan.slot[i]] += d * d;
    }
    Element divisor = varianceDivisor(x.shape(), v);
    for (int64_t i = 0; i < acc.numel(); ++i)
      acc[i] = root ? std::sqrt(acc[i] / divisor) : acc[i] / divisor;
    return PyValue(plan.finish(acc, keepdimOf(a)));
  };
}

/// log(sum(exp(x))) around the max, which an infinite max replaces by 0; integers give float32.
static PyValue logsumexp(const BoundArgs &a) {
  Tensor x = a.tensor("input");
  if (!isFloating(x.dtype()))
    x = x.to(DType::F32);
  ReductionPlan plan(x.shape(), reductionDims(a["dim"], x.dim()));
  Tensor max = combine(x, plan, combinerOf(Reduce::Max), DType::F64);
  for (int64_t i = 0; i < max.numel(); ++i)
    max[i] = std::isinf(max[i]) ? 0.0 : max[i];
  Tensor acc(plan.kept, x.dtype(), 0.0);
  for (int64_t i = 0; i < x.numel(); ++i)
    acc[plan.slot[i]] += std::exp(x[i] - max[plan.slot[i]]);
  for (int64_t i = 0; i < acc.numel(); ++i)
    acc[i] = std::log(acc[i]) + max[i];
  return PyValue(plan.finish(acc, a.toBool("keepdim")));
}

/// Whether `v` at a later position replaces `best`: strictly beyond it, or the first NaN.
static bool replaces(Element v, Element best, bool isMax) {
  if (std::isnan(best))
    return false;
  return std::isnan(v) || (isMax ? v > best : v < best);
}

/// The max (`isMax`) or min of `x` along `dim` and its first index, dim kept as size 1.
static std::pair<Tensor, Tensor> extremeAlong(const Tensor &x, int64_t dim, bool isMax) {
  Shape kept = x.shape();
  if (!kept.empty())
    kept[dim] = 1;
  DimSplit s = splitAt(x.shape(), dim);
  Tensor values(kept, x.dtype()), indices(kept, DType::I64);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      int64_t base = o * s.size * s.inner + i, best = 0;
      for (int64_t k = 1; k < s.size; ++k)
        if (replaces(x[base + k * s.inner], x[base + best * s.inner], isMax))
          best = k;
      values[o * s.inner + i] = x[base + best * s.inner];
      indices[o * s.inner + i] = (Element)best;
    }
  return {values, indices};
}

/// `t` (of `extremeAlong`) without the dim, unless `keepdim`.
static Tensor dropDim(const Tensor &t, int64_t dim, bool keepdim) {
  if (keepdim || t.dim() == 0)
    return t;
  Shape shape = t.shape();
  shape.erase(shape.begin() + dim);
  return t.reshape(shape);
}

/// torch.max or torch.min (`isMax`): one schema for its three overloads (extremumOverload).
static Kernel extremumKernel(bool isMax) {
  return [isMax](const BoundArgs &a) -> PyValue {
    PyValue dim = argOrNone(a, "dim");
    const Tensor &x = a.tensor("input");
    const char *op = isMax ? "max" : "min";
    switch (extremumOverload(dim.isNone(), dim.isTensor(), argOrNone(a, "other").isNone())) {
    case ExtremumOverload::Binary:
      return binary(a["input"], dim.isTensor() ? dim : a["other"], isMax ? nanMax : nanMin,
                    /*intResult=*/true);
    case ExtremumOverload::All:
      indexReductionDim(op, x.shape(), dim);
      return PyValue(reduce(x, dim, false, isMax ? Reduce::Max : Reduce::Min, PyValue::none()));
    case ExtremumOverload::Dim:
      break;
    }
    int64_t d = indexReductionDim(op, x.shape(), dim);
    auto [values, indices] = extremeAlong(x, d, isMax);
    bool keepdim = keepdimOf(a);
    return PyValue::tuple({dropDim(values, d, keepdim), dropDim(indices, d, keepdim)});
  };
}

/// argmax/argmin: the first index of the extreme along `dim`, or in the flattened input.
static Kernel argExtremumKernel(bool isMax) {
  return [isMax](const BoundArgs &a) {
    const Tensor &x = a.tensor("input");
    const PyValue &dim = a["dim"];
    int64_t d = indexReductionDim(isMax ? "argmax" : "argmin", x.shape(), dim);
    bool keepdim = a.toBool("keepdim");
    if (!dim.isNone())
      return PyValue(dropDim(extremeAlong(x, d, isMax).second, d, keepdim));
    Tensor index = extremeAlong(x.reshape({x.numel()}), 0, isMax).second;
    return PyValue(index.reshape(keepdim ? Shape(x.dim(), 1) : Shape{}));
  };
}

/// cumsum, or cumprod when `product`: integers accumulate in int64 unless `dtype` says.
static Kernel cumulative(bool product) {
  return [product](const BoundArgs &a) {
    Tensor x = a.tensor("input");
    if (!a.isNone("dtype"))
      x = x.to(a["dtype"].toDType());
    else if (!isFloating(x.dtype()))
      x = x.to(DType::I64);
    DimSplit s = splitAt(x.shape(), wrapDim(a.toInt("dim"), x.dim()));
    Tensor out = x.clone();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i)
        for (int64_t k = 1; k < s.size; ++k) {
          Element prev = out[(o * s.size + k - 1) * s.inner + i];
          Element &cur = out[(o * s.size + k) * s.inner + i];
          cur = product ? cur * prev : cur + prev;
        }
    return PyValue(out.round());
  };
}

/// var or std (`name`). One schema takes torch's three overloads: (input, unbiased),
/// (input, dim, unbiased, keepdim) and (input, dim, *, correction, keepdim); a bool where dim is
/// means unbiased (varianceArgs).
static void addVariance(Registry &r, const std::string &name, bool root) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(Tensor input, int[1]? dim=None, bool? unbiased=None, "
          "bool keepdim=False, *, int? correction=None)",
          {"method:" + name, aten, aten + ".dim"},
          varianceKernel(root))
      .lowerWith(name)
      .withSamples({"T(2, 3, 4), [1]", "T(2, 3, 4)", "T(2, 3, 4), -1, keepdim=True",
                    "T(3, 4), False",
                    "T(3, 5, dtype='f64'), dim=(0, 1), correction=0",
                    "T(4, 5), [0], True, True"});
}

/// max or min (`name`); the binary overload is also torch.maximum/minimum (Elementwise.cpp),
/// where aten's max.other belongs: no sample binds to both it and max.dim.
static void addExtremum(Registry &r, const std::string &name, bool isMax) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(Tensor input, Any dim=None, bool keepdim=False, *, "
          "Tensor? other=None)",
          {"method:" + name, aten, aten + ".dim"}, extremumKernel(isMax))
      .lowerWith(name)
      .withSamples({"T(3, 4), 1", "T(3, 4)", "T(2, 3, 4), dim=-2, keepdim=True",
                    "T(3, 4, dtype='i64'), 0", "T(3, 4), T(4)", "T()"});
}

static void addArgExtremum(Registry &r, const std::string &name, bool isMax) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(Tensor input, int? dim=None, bool keepdim=False)",
          {"method:" + name, aten, aten + ".default"}, argExtremumKernel(isMax))
      .lowerWith(name)
      .withSamples({"T(3, 4)", "T(3, 4), 1", "T(2, 3, 4), dim=-1, keepdim=True",
                    "T(3, 4, dtype='i32'), keepdim=True", "T()"});
}

/// any or all (`name`), of any dtype, to bool.
static void addLogicalReduction(Registry &r, const std::string &name, Reduce kind) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(Tensor input, int? dim=None, bool keepdim=False)",
          {"method:" + name, aten, aten + ".dim"}, reductionKernel(kind))
      .lowerWith(name)
      .withSamples({"T(3, 4, dtype='bool'), 1", "T(3, 4, dtype='bool')",
                    "T(2, 3, dtype='i64', high=2), dim=-1, keepdim=True", "T(4, 2), 0"});
}

/// An aten overload whose schema no sample of its op binds to (sum.default takes no dim,
/// var.correction requires a correction): an entry of its own, the op's kernel and lowering,
/// which read the parameters it lacks as None (argOrNone).
static void addAtenOverload(Registry &r, const std::string &schema,
                            std::vector<std::string> aliases,
                            Kernel kernel, const std::string &lowering,
                            std::vector<std::string> samples) {
  r.addOp(schema, std::move(aliases), std::move(kernel))
      .lowerWith(lowering)
      .withSamples(std::move(samples));
}

/// The dimless aten overloads of reductions (torch.ops.aten.X.default(self)) and var/std's
/// correction overloads, as make_fx writes them.
static void registerAtenReductionOverloads(Registry &r) {
  const std::string aten = "torch.ops.aten.";
  for (auto [name, kind] : {std::pair{"sum", Reduce::Sum}, {"mean", Reduce::Mean},
                            {"prod", Reduce::Prod}})
    addAtenOverload(r, aten + name + ".default(Tensor input, *, ScalarType? dtype=None)", {},
                    reductionKernel(kind), name,
                    {"T(2, 3, 4)", "T(3, 4, dtype='i32'), dtype=torch.float64"});
  for (auto [name, kind] : {std::pair{"any", Reduce::Any}, {"all", Reduce::All}})
    addAtenOverload(r, aten + name + ".default(Tensor input)", {}, reductionKernel(kind), name,
                    {"T(3, 4, dtype='bool')", "T(2, 3)"});
  for (auto [name, isMax] : {std::pair{"max", true}, {"min", false}})
    addAtenOverload(r, aten + name + ".default(Tensor input)", {}, extremumKernel(isMax), name,
                    {"T(3, 4)", "T(3, 4, dtype='i64')", "T()"});
  for (auto [name, root] : {std::pair{"var", false}, {"std", true}}) {
    addAtenOverload(r, aten + name + ".default(Tensor input, bool unbiased=True)", {},
                    varianceKernel(root), name, {"T(3, 4)", "T(3, 4, dtype='f64'), False"});
    addAtenOverload(r, aten + name + ".correction(Tensor input, int[1]? dim, *, "
                    "int? correction, bool keepdim=False)", {},
                    varianceKernel(root), name,
                    {"T(2, 3, 4), [1], correction=1", "T(3, 4), None, correction=0",
                     "T(2, 3, 4), [0, -1], correction=2, keepdim=True"});
  }
}

/// Aliases name the aten overloads that bind to the op's schema (sum.dim_IntList, var.dim,
/// max.dim, ...); registerAtenReductionOverloads the others.
static void registerReductions(Registry &r) {
  registerAtenReductionOverloads(r);
  r.addOp("torch.sum(Tensor input, int[]? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None)",
          {"method:sum", "torch.ops.aten.sum", "torch.ops.aten.sum.dim_IntList"},
          reductionKernel(Reduce::Sum))
      .lowerWith("sum")
      .withSamples({"T(2, 3, 4), [1]", "T(2, 3, 4)", "T(2, 3, 4), dim=-1, keepdim=True",
                    "T(3, 4, dtype='i32'), (0, 1)",
                    "T(2, 5, dtype='bool'), 1, dtype=torch.float64", "T(0, 4), [1]",
                    "T(3, 4, dtype='ui8', high=256), 1",
                    "T(3, 0), 1"});
  r.addOp("torch.mean(Tensor input, int[]? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None)",
          {"method:mean", "torch.ops.aten.mean", "torch.ops.aten.mean.dim"},
          reductionKernel(Reduce::Mean))
      .lowerWith("mean")
      .withSamples({"T(2, 3, 4), [1]", "T(2, 3, 4)", "T(2, 3, 4), -1, keepdim=True",
                    "T(3, 4, dtype='f64'), dim=(0, -1)",
                    "T(3, 4, dtype='i64'), 1, dtype=torch.float32"});
  addVariance(r, "var", /*root=*/false);
  addVariance(r, "std", /*root=*/true);
  r.addOp("torch.prod(Tensor input, int? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None)",
          {"method:prod", "torch.ops.aten.prod", "torch.ops.aten.prod.dim_int"},
          reductionKernel(Reduce::Prod))
      .lowerWith("prod")
      .withSamples({"T(2, 3, 4), 1", "T(2, 3, 4)", "T(2, 3, 4), -1, keepdim=True",
                    "T(3, 4, dtype='i32'), 0", "T(3, 4), 1, dtype=torch.float64"});
  for (auto [name, kind] : {std::pair{"amax", Reduce::Max}, {"amin", Reduce::Min}}) {
    std::string aten = std::string("torch.ops.aten.") + name;
    r.addOp(std::string("torch.") + name + "(Tensor input, int[] dim=[], bool keepdim=False)",
            {std::string("method:") + name, aten, aten + ".default"}, reductionKernel(kind))
        .lowerWith(name)
        .withSamples({"T(2, 3, 4), -1", "T(2, 3, 4), dim=(0, 2), keepdim=True",
                      "T(3, 4, dtype='i64'), 0", "T()",
                      "T(3, 4, dtype='ui8', low=128, high=256), 1"});
  }
  addExtremum(r, "max", /*isMax=*/true);
  addExtremum(r, "min", /*isMax=*/false);
  addArgExtremum(r, "argmax", /*isMax=*/true);
  addArgExtremum(r, "argmin", /*isMax=*/false);
  addLogicalReduction(r, "any", Reduce::Any);
  addLogicalReduction(r, "all", Reduce::All);
  r.addOp("torch.logsumexp(Tensor input, int[1] dim, bool keepdim=False)",
          {"method:logsumexp", "torch.ops.aten.logsumexp", "torch.ops.aten.logsumexp.default"},
          logsumexp)
      .lowerWith("logsumexp")
      .withSamples({"T(3, 4), 1", "T(2, 3, 4), dim=(0, -1), keepdim=True",
                    "T(3, 4, dtype='i64'), 0", "T(4, 5, dtype='f64'), -1"});
  r.addOp("torch.cumsum(Tensor input, int dim, *, ScalarType? dtype=None)",
          {"method:cumsum", "torch.ops.aten.cumsum", "torch.ops.aten.cumsum.default"},
          cumulative(false))
      .lowerWith("cumsum")
      .withSamples({"T(2, 3, 4), 1", "T(5), dim=-1", "T(3, 4, dtype='i32'), 0",
                    "T(3, 4), -1, dtype=torch.float64"});
  r.addOp("torch.cumprod(Tensor input, int dim, *, ScalarType? dtype=None)",
          concat({"method:cumprod"}, atenSpellings("cumprod")), cumulative(true))
      .lowerWith("cumprod")
      .withSamples({"T(2, 3, 4, low=0.5, high=1.5), 1", "T(5), dim=-1",
                    "T(3, 4, dtype='i32', low=1, high=4), 0", "T(3, 4), -1, dtype=torch.float64"});
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

/// The keyword-only parameters torch's factories share; only dtype matters here.
static const std::string factoryOptions =
    "*, ScalarType? dtype=None, Any layout=None, Any device=None, bool? pin_memory=None, "
    "bool requires_grad=False, Any memory_format=None";

/// The value a filling op writes: `fill_value` where the schema has it, else `value`.
static Element fillValue(const BoundArgs &a, Element value) {
  return a.getSchema().find("fill_value") < 0 ? value : a["fill_value"].toElement();
}

/// ones_like/zeros_like/empty_like/full_like (`name`): `value` (or fill_value) in the input's
/// shape, of its dtype unless dtype= says. empty_like gives zeros: its contents are undefined.
static void addFilledLike(Registry &r, const std::string &name, const std::string &params,
                          Element value, std::vector<std::string> samples) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(Tensor input" + params + ", " + factoryOptions + ")",
          {aten, aten + ".default"}, [value](const BoundArgs &a) {
            const Tensor &x = a.tensor("input");
            DType dtype = a.isNone("dtype") ? x.dtype() : a["dtype"].toDType();
            return PyValue(Tensor(x.shape(), dtype, fillValue(a, value)).round());
          })
      .lowerWith(name)
      .withSamples(std::move(samples));
}

/// new_zeros/new_ones/new_empty/new_full (`name`): a tensor of `size` of self's dtype unless
/// dtype= says; new_empty gives zeros.
static void addNewFilled(Registry &r, const std::string &name, const std::string &params,
                         Element value, std::vector<std::string> samples) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("method:" + name + "(Tensor self, " + params + ", " + factoryOptions + ")",
          {aten, aten + ".default"}, [value](const BoundArgs &a) {
            DType dtype = a.isNone("dtype") ? a.tensor("self").dtype() : a["dtype"].toDType();
            return PyValue(Tensor(creationShape(a["size"]), dtype, fillValue(a, value)).round());
          })
      .lowerWith(name)
      .withSamples(std::move(samples));
}

/// zeros/ones/empty (`name`) of `*size` (ints or one sequence), float32 unless dtype= says;
/// full of `size` and fill_value, of the fill value's dtype. empty gives zeros.
static void addFilled(Registry &r, const std::string &name, const std::string &params,
                      Element value, const std::string &atenOverload,
                      std::vector<std::string> samples) {
  std::string aten = "torch.ops.aten." + name;
  r.addOp("torch." + name + "(" + params + ", " + factoryOptions + ")",
          {aten, aten + "." + atenOverload}, [value](const BoundArgs &a) {
            bool full = a.getSchema().find("fill_value") >= 0;
            DType dtype = full ? creationDType(a["dtype"], {a["fill_value"]})
                               : creationDType(a["dtype"], {PyValue::floating(0)});
            return PyValue(Tensor(creationShape(a["size"]), dtype, fillValue(a, value)).round());
          })
      .lowerWith("creation")
      .withSamples(std::move(samples));
}

static PyValue arange(const BoundArgs &a) {
  PyValue step = argOrNone(a, "step");
  if (step.isNone())
    step = PyValue::integer(1);
  ArangeRange range = arangeRange(a["start"], a["end"], step);
  DType dtype = creationDType(a["dtype"], {a["start"], a["end"], step});
  Tensor out({range.length}, dtype);
  for (int64_t i = 0; i < range.length; ++i)
    out[i] = range.start + (Element)i * range.step;
  return PyValue(out.round());
}

static PyValue linspace(const BoundArgs &a) {
  int64_t steps = a.toInt("steps");
  double start = a.toDouble("start"), end = a.toDouble("end");
  Tensor out(linspaceShape(steps), a.isNone("dtype") ? DType::F32 : a["dtype"].toDType());
  for (int64_t i = 0; i < steps; ++i)
    out[i] = linspaceValue((double)start, (double)end, steps, i);
  return PyValue(out.round());
}

static PyValue eye(const BoundArgs &a) {
  Shape shape = eyeShape(a.toInt("n"), argOrNone(a, "m"));
  Tensor out(shape, a.isNone("dtype") ? DType::F32 : a["dtype"].toDType());
  for (int64_t i = 0; i < std::min(shape[0], shape[1]); ++i)
    out[i * shape[1] + i] = 1;
  return PyValue(out);
}

/// Factories of Python numbers only: the compiler folds them (their kernels run at compile
/// time), so their lowering, "creation", only refuses run-time arguments.
static void registerFactories(Registry &r) {
  addFilled(r, "zeros", "*int size", 0.0, "default",
            {"[2, 3]", "2, 3", "(4,), dtype=torch.int64", "size=[2, 2], dtype=torch.float64",
             "()"});
  addFilled(r, "ones", "*int size", 1.0, "default",
            {"[2, 3]", "2, 3", "(4,), dtype=torch.int32", "size=[2, 2], dtype=torch.float64",
             "()"});
  // empty's contents are undefined: zero-element samples check its shape and dtype only.
  addFilled(r, "empty", "*int size", 0.0, "memory_format", {"[2, 0]", "0, dtype=torch.int64"});
  addFilled(r, "full", "int[] size, Scalar fill_value", 0.0, "default",
            {"(2, 3), 1.5", "[4], 7", "(2, 2), True", "(3,), 2, dtype=torch.float64"});
  r.addOp("torch.arange(Scalar start, Scalar? end=None, Scalar step=1, " + factoryOptions + ")",
          {"torch.ops.aten.arange", "torch.ops.aten.arange.default"},
          arange)
      .lowerWith("creation")
      .withSamples({"5", "1, 10, 3", "0.0, 1.0, 0.25", "-1, 1, 0.3, dtype=torch.float64",
                    "10, 0, -2", "2.5"});
  r.addOp("torch.linspace(Scalar start, Scalar end, int steps, " + factoryOptions + ")",
          {"torch.ops.aten.linspace", "torch.ops.aten.linspace.default"}, linspace)
      .lowerWith("creation")
      .withSamples({"0, 1, 5", "-2.0, 3.0, steps=7, dtype=torch.float64",
                    "0, 10, 5, dtype=torch.int64", "1, 2, 1"});
  r.addOp("torch.eye(int n, int? m=None, " + factoryOptions + ")",
          {"torch.ops.aten.eye", "torch.ops.aten.eye.default"}, eye)
      .lowerWith("creation")
      .withSamples({"3", "2, 4", "3, dtype=torch.int64", "4, m=2, dtype=torch.bool"});
  addAtenOverload(r, "torch.ops.aten.eye.m(int n, int m, " + factoryOptions + ")", {}, eye,
                  "creation", {"2, 3", "3, 1, dtype=torch.int32"});
  addAtenOverload(r, "torch.ops.aten.arange.start(Scalar start, Scalar end, " + factoryOptions +
                  ")", {}, arange, "creation", {"0, 3", "-1.5, 2.0, dtype=torch.float64"});
  addAtenOverload(r, "torch.ops.aten.arange.start_step(Scalar start, Scalar end, Scalar step=1, " +
                  factoryOptions + ")", {}, arange, "creation", {"0, 10, 3", "1.0, 0.0, -0.25"});
}

/// tril (`lower`) or triu, registered as `name`: zeroes the elements of the last two dims on
/// the other side of the diagonal.
static void addTriangle(Registry &r, const std::string &name, bool lower,
                        std::vector<std::string> samples) {
  r.addOp("torch." + name + "(Tensor input, int diagonal=0)", {"method:" + name},
          [lower](const BoundArgs &a) {
            const Tensor &x = a.tensor("input");
            checkTriangleRank(x.dim());
            int64_t rows = x.size(-2), cols = x.size(-1), diag = a.toInt("diagonal");
            Tensor out = x.clone();
            for (int64_t i = 0; i < out.numel(); ++i) {
              int64_t row = (i / cols) % rows, col = i % cols;
              bool keep = lower ? col - row <= diag : col - row >= diag;
              if (!keep)
                out[i] = 0;
            }
            return PyValue(out);
          })
      .lowerWith(name)
      .withSamples(std::move(samples));
}

void registerReductionAndCreationOps(Registry &r) {
  registerReductions(r);
  registerFactories(r);
  const std::vector<std::string> likeSamples = {
      "T(2, 3)", "T(2, 3, dtype='i64')", "T(3, 4), dtype=torch.float64",
      "T(), dtype=torch.int32"};
  addFilledLike(r, "ones_like", "", 1.0, likeSamples);
  addFilledLike(r, "zeros_like", "", 0.0, likeSamples);
  addFilledLike(r, "empty_like", "", 0.0, {"T(0, 3)", "T(2, 0), dtype=torch.int64"});
  addFilledLike(r, "full_like", ", Scalar fill_value", 0.0,
                {"T(2, 3), 2.5", "T(2, 3, dtype='i32'), 2.7", "T(3, 4), 1, dtype=torch.float64",
                 "T(), True"});
  addNewFilled(r, "new_zeros", "*int size", 0.0,
               {"T(2, 3), (2, 3)", "T(2, 3), 2, 3", "T(2, dtype='i64'), (4,)",
                "T(2), [2, 2], dtype=torch.float64"});
  addNewFilled(r, "new_ones", "*int size", 1.0,
               {"T(2, 3), (2, 3)", "T(2, 3), 2, 3", "T(2, dtype='i64'), (4,)",
                "T(2), [2, 2], dtype=torch.float64"});
  addNewFilled(r, "new_empty", "*int size", 0.0, {"T(2, 3), (2, 0)", "T(2, dtype='i64'), 0, 3"});
  addNewFilled(r, "new_full", "int[] size, Scalar fill_value", 0.0,
               {"T(2, 3), (2, 3), 1.5", "T(2, dtype='i32'), [4], 2.7",
                "T(2), (2, 2), 3, dtype=torch.float64"});
  const std::vector<std::string> triangleSamples = {
      "T(4, 5)", "T(2, 3, 4), diagonal=1", "T(5, 4), -2", "T(3, 3, dtype='i64'), 1"};
  addTriangle(r, "tril", true, triangleSamples);
  addTriangle(r, "triu", false, triangleSamples);
}

} // namespace fxmlir
