//===- ReductionAndCreation.cpp - Lowerings of reductions, creation, tril -===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <cmath>
#include <limits>

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;

enum class Reduction { Sum, Mean, Max, Min, Prod, Any, All };

/// Argument `name`, or None where the schema lacks it (an aten overload's entry, such as
/// sum.default, shares its op's lowering). keepdim needs no reading: results are reshaped to
/// the node's type.
static PyValue literalOrNone(const LoweredArgs &a, const char *name) {
  return a.getSchema().find(name) < 0 ? PyValue::none() : a.literal(name);
}

static mlir::RankedTensorType typeOf(Value tensor) {
  return mlir::cast<mlir::RankedTensorType>(tensor.getType());
}

/// The largest value of an element type (+inf for floats, true for i1): amin's start.
static double highestOf(mlir::Type element) {
  if (mlir::isa<mlir::FloatType>(element))
    return std::numeric_limits<double>::infinity();
  if (element.isInteger(1))
    return 1;
  unsigned width = element.getIntOrFloatBitWidth();
  return std::ldexp(1.0, isUnsignedElement(element) ? width : width - 1) - 1;
}

/// Combines an accumulator and an element.
using CombineFn = std::function<Value(ElementBuilder &, Value acc, Value x)>;

/// A reduction over `dims` (sorted) starting from `init`, for the combinations
/// LoweringContext::reduce lacks (min, product, and, or); `dims` dropped from the result.
static Value reduceWith(LoweringContext &c, Value x, const std::vector<int64_t> &dims,
                        double init, const CombineFn &combine) {
  llvm::ArrayRef<int64_t> shape = shapeOf(x);
  int64_t rank = (int64_t)shape.size();
  mlir::Type t = elementTypeOf(x);
  llvm::SmallVector<int64_t> outShape;
  llvm::SmallVector<mlir::AffineExpr> outExprs;
  llvm::SmallVector<mlir::utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = std::find(dims.begin(), dims.end(), d) != dims.end();
    iterators.push_back(reduced ? mlir::utils::IteratorType::reduction
                                : mlir::utils::IteratorType::parallel);
    if (!reduced) {
      outShape.push_back(shape[d]);
      outExprs.push_back(c.b.getAffineDimExpr(d));
    }
  }
  auto outType = tensorType(outShape, t);
  llvm::SmallVector<mlir::AffineMap> maps{
      c.b.getMultiDimIdentityMap(rank), mlir::AffineMap::get(rank, 0, outExprs, c.b.getContext())};
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{x},
             ValueRange{c.filled(outType, init)}, maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               ElementBuilder e{b, l, t};
               mlir::linalg::YieldOp::create(b, l, combine(e, v[1], v[0]));
             })
      .getResult(0);
}

static Value orElements(ElementBuilder &e, Value acc, Value x) {
  return mlir::arith::OrIOp::create(e.b, e.loc, acc, x);
}
static Value andElements(ElementBuilder &e, Value acc, Value x) {
  return mlir::arith::AndIOp::create(e.b, e.loc, acc, x);
}

/// `x` (in the element type the reduction computes in) reduced over `dims`, dims dropped.
static Value reduceKind(LoweringContext &c, Value x, const std::vector<int64_t> &dims,
                        Reduction kind) {
  mlir::Type t = elementTypeOf(x);
  switch (kind) {
  case Reduction::Sum:
  case Reduction::Mean: return c.reduce(x, dims, false, ReduceKind::Sum);
  case Reduction::Max: return c.reduce(x, dims, false, ReduceKind::Max);
  case Reduction::Min:
    return reduceWith(c, x, dims, highestOf(t),
                      [](ElementBuilder &e, Value a, Value v) { return e.min(a, v); });
  case Reduction::Prod:
    return reduceWith(c, x, dims, 1.0,
                      [](ElementBuilder &e, Value a, Value v) { return e.mul(a, v); });
  case Reduction::Any: return reduceWith(c, x, dims, 0.0, orElements);
  case Reduction::All: return reduceWith(c, x, dims, 1.0, andElements);
  }
  return x;
}

/// sum/mean/prod/amax/amin over dims, accumulated in the result's element type (torch's rule:
/// int64 for sums and products of integers, dtype= when given; f32 for f16, rounded once);
/// any/all on truth values.
static Lowering reductionLowering(Reduction kind) {
  return [kind](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType(), acc = computeTypeOf(t);
    bool logical = kind == Reduction::Any || kind == Reduction::All;
    Value x = c.castTensor(a.tensor("input"), logical ? c.b.getI1Type() : acc);
    std::vector<int64_t> dims = reductionDims(literalOrNone(a, "dim"), rankOf(x));
    Value y = c.reshape(reduceKind(c, x, dims, kind), outType.getShape());
    if (kind == Reduction::Mean) {
      double n = (double)reducedElementCount(shapeOf(x).vec(), dims);
      y = c.map({Lowered(y)}, tensorType(outType.getShape(), acc),
                [acc, n](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
                  ElementBuilder e{b, l, acc};
                  return e.div(v[0], e.constant(n));
                });
    }
    return c.castTensor(y, t);
  };
}

/// var (std when `root`): mean, squared deviations summed, divided by N - correction.
static Lowering varianceLowering(bool root) {
  return [root](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value x = c.castTensor(a.tensor("input"), t);
    VarianceArgs v = varianceArgs(literalOrNone(a, "dim"), literalOrNone(a, "unbiased"),
                                  literalOrNone(a, "correction"), rankOf(x));
    double n = (double)reducedElementCount(shapeOf(x).vec(), v.dims);
    double divisor = varianceDivisor(shapeOf(x).vec(), v);
    Value sum = c.reduce(x, v.dims, /*keepdim=*/true, ReduceKind::Sum);
    auto squareBody = [t, n](mlir::OpBuilder &b, mlir::Location l, ValueRange e) {
      ElementBuilder eb{b, l, t};
      Value d = eb.sub(e[0], eb.div(e[1], eb.constant(n)));
      return eb.mul(d, d);
    };
    Value squares = c.map({Lowered(x), Lowered(sum)}, typeOf(x), squareBody);
    Value total = c.reshape(c.reduce(squares, v.dims, false, ReduceKind::Sum), outType.getShape());
    return c.map({Lowered(total)}, outType,
                 [t, divisor, root](mlir::OpBuilder &b, mlir::Location l, ValueRange e) {
                   ElementBuilder eb{b, l, t};
                   Value q = eb.div(e[0], eb.constant(divisor));
                   return root ? eb.sqrt(q) : q;
                 });
  };
}

/// logsumexp as log(sum(exp(x - m))) + m, m the max where it is finite, else 0.
static Lowered lowerLogsumexp(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
  std::vector<int64_t> dims = reductionDims(a.literal("dim"), rankOf(x));
  Value max = c.reduce(x, dims, /*keepdim=*/true, ReduceKind::Max);
  auto shiftBody = [t](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
    ElementBuilder e{b, l, t};
    // m - m is 0 only for a finite m (inf - inf and NaN - NaN are NaN).
    Value finite = mlir::arith::CmpFOp::create(b, l, mlir::arith::CmpFPredicate::OEQ,
                                               e.sub(v[0], v[0]), e.constant(0));
    return e.select(finite, v[0], e.constant(0));
  };
  Value shift = c.map({Lowered(max)}, typeOf(max), shiftBody);
  auto expBody = [t](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
    ElementBuilder e{b, l, t};
    return e.exp(e.sub(v[0], v[1]));
  };
  Value exps = c.map({Lowered(x), Lowered(shift)}, typeOf(x), expBody);
  Value sum = c.reshape(c.reduce(exps, dims, false, ReduceKind::Sum), outType.getShape());
  return c.map({Lowered(sum), Lowered(c.reshape(shift, outType.getShape()))}, outType,
               [t](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
                 ElementBuilder e{b, l, t};
                 return e.add(e.log(v[0]), v[1]);
               });
}

/// Whether element `x` at index `i` replaces the running extreme `acc` at `ai`: beyond it, or
/// equal and earlier, or the earliest NaN; order-independent, so the loop may run in any order.
static Value replacesExtreme(mlir::OpBuilder &b, mlir::Location l, Value x, Value i, Value acc,
                             Value ai, bool isMax) {
  using mlir::arith::CmpFPredicate;
  using mlir::arith::CmpIPredicate;
  auto orOp = [&](Value p, Value q) { return mlir::arith::OrIOp::create(b, l, p, q); };
  auto andOp = [&](Value p, Value q) { return mlir::arith::AndIOp::create(b, l, p, q); };
  Value earlier = mlir::arith::CmpIOp::create(b, l, CmpIPredicate::slt, i, ai);
  if (mlir::isa<mlir::FloatType>(x.getType())) {
    auto cmp = [&](CmpFPredicate p, Value u, Value v) {
      return mlir::arith::CmpFOp::create(b, l, p, u, v);
    };
    Value beyond = cmp(isMax ? CmpFPredicate::OGT : CmpFPredicate::OLT, x, acc);
    Value tie = andOp(cmp(CmpFPredicate::OEQ, x, acc), earlier);
    Value firstNan = orOp(cmp(CmpFPredicate::ORD, acc, acc), earlier);
    Value nan = andOp(cmp(CmpFPredicate::UNO, x, x), firstNan);
    return orOp(orOp(beyond, tie), nan);
  }
  CmpIPredicate beyondPredicate =
      integerPredicate(isMax ? CmpIPredicate::sgt : CmpIPredicate::slt, x.getType());
  Value beyond = mlir::arith::CmpIOp::create(b, l, beyondPredicate, x, acc);
  Value equal = mlir::arith::CmpIOp::create(b, l, CmpIPredicate::eq, x, acc);
  return orOp(beyond, andOp(equal, earlier));
}

/// The max (`isMax`) or min of `x` along `dim` and its first index (i64), `dim` dropped. Both
/// start from the elements at index 0.
static std::pair<Value, Value> extremeAlong(LoweringContext &c, Value x, int64_t dim, bool isMax) {
  if (rankOf(x) == 0)
    x = c.reshape(x, {1});
  llvm::SmallVector<int64_t> shape(shapeOf(x));
  int64_t rank = (int64_t)shape.size();
  llvm::SmallVector<int64_t> outShape, offsets(rank, 0), sizes(shape), strides(rank, 1);
  llvm::SmallVector<mlir::AffineExpr> outExprs;
  llvm::SmallVector<mlir::utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    iterators.push_back(d == dim ? mlir::utils::IteratorType::reduction
                                 : mlir::utils::IteratorType::parallel);
    if (d != dim) {
      outShape.push_back(shape[d]);
      outExprs.push_back(c.b.getAffineDimExpr(d));
    }
  }
  sizes[dim] = 1;
  mlir::Type t = elementTypeOf(x), i64 = c.b.getI64Type();
  Value first = c.reshape(c.slice(x, offsets, sizes, strides), outShape);
  Value zeros = c.filled(tensorType(outShape, i64), 0);
  mlir::AffineMap outMap = mlir::AffineMap::get(rank, 0, outExprs, c.b.getContext());
  llvm::SmallVector<mlir::AffineMap> maps{c.b.getMultiDimIdentityMap(rank), outMap, outMap};
  auto generic = mlir::linalg::GenericOp::create(
      c.b, c.loc, mlir::TypeRange{tensorType(outShape, t), tensorType(outShape, i64)},
      ValueRange{x}, ValueRange{first, zeros}, maps, iterators,
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
        Value i = mlir::arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                   mlir::linalg::IndexOp::create(b, l, dim));
        Value take = replacesExtreme(b, l, v[0], i, v[1], v[2], isMax);
        ElementBuilder e{b, l, t};
        mlir::linalg::YieldOp::create(
            b, l, ValueRange{e.select(take, v[0], v[1]),
                             mlir::arith::SelectOp::create(b, l, take, i, v[2]).getResult()});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

static Value maxElements(ElementBuilder &e, mlir::ValueRange v) { return e.max(v[0], v[1]); }
static Value minElements(ElementBuilder &e, mlir::ValueRange v) { return e.min(v[0], v[1]); }

/// torch.max/min (`isMax`), dispatched as its kernel does (extremumOverload).
static Lowering extremumLowering(bool isMax) {
  return [isMax](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    bool hasDim = a.getSchema().find("dim") >= 0;
    const Lowered dim = hasDim ? a["dim"] : Lowered(PyValue::none());
    bool otherIsNone = a.getSchema().find("other") < 0 || a.isNone("other");
    Value x = a.tensor("input");
    const char *op = isMax ? "max" : "min";
    switch (extremumOverload(dim.isLiteral() && dim.literal().isNone(), dim.isTensor(),
                             otherIsNone)) {
    case ExtremumOverload::Binary: {
      size_t other = dim.isTensor() ? a.getSchema().find("dim") : a.getSchema().find("other");
      return mapLowering({0, other}, isMax ? maxElements : minElements)(c, a);
    }
    case ExtremumOverload::All: {
      indexReductionDim(op, shapeOf(x).vec(), PyValue::none());
      std::vector<int64_t> dims = reductionDims(PyValue::none(), rankOf(x));
      return reduceKind(c, x, dims, isMax ? Reduction::Max : Reduction::Min);
    }
    case ExtremumOverload::Dim:
      break;
    }
    int64_t d = indexReductionDim(op, shapeOf(x).vec(), dim.literal());
    auto [values, indices] = extremeAlong(c, x, d, isMax);
    if (c.resultTypes.size() != 2)
      throw OpError(std::string(op) + " along a dim: expected (values, indices) result types");
    return Lowered::sequence({Lowered(c.reshape(values, c.resultTypes[0].getShape())),
                              Lowered(c.reshape(indices, c.resultTypes[1].getShape()))});
  };
}

/// argmax/argmin: extremeAlong's indices, of the flattened input where dim is None.
static Lowering argExtremumLowering(bool isMax) {
  return [isMax](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    Value x = a.tensor("input");
    const PyValue &dim = a.literal("dim");
    int64_t d = indexReductionDim(isMax ? "argmax" : "argmin", shapeOf(x).vec(), dim);
    if (dim.isNone())
      x = c.reshape(x, {std::max<int64_t>(1, typeOf(x).getNumElements())});
    return c.reshape(extremeAlong(c, x, d, isMax).second, c.result().getShape());
  };
}

/// cumsum as out[.., i, ..] = sum_j (j <= i) * x[.., j, ..] (cumprod: the product): quadratic
/// along `dim`, which is fine for the position counters it computes in models.
static Lowering cumulativeLowering(bool product) {
  return [product](LoweringContext &c, const LoweredArgs &a) -> Lowered {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
  if (rankOf(x) == 0) // a 0-d tensor is its own cumulative sum (torch takes dim 0 or -1)
    return x;
  int64_t rank = rankOf(x), dim = wrapDim(a.toInt("dim"), rank);
  mlir::MLIRContext *ctx = c.b.getContext();
  // Loops: the output's dims, then j.
  llvm::SmallVector<mlir::AffineExpr> in, out;
  for (int64_t d = 0; d < rank; ++d) {
    in.push_back(c.b.getAffineDimExpr(d == dim ? rank : d));
    out.push_back(c.b.getAffineDimExpr(d));
  }
  llvm::SmallVector<mlir::AffineMap> maps{mlir::AffineMap::get(rank + 1, 0, in, ctx),
                                          mlir::AffineMap::get(rank + 1, 0, out, ctx)};
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank, mlir::utils::IteratorType::parallel);
  iterators.push_back(mlir::utils::IteratorType::reduction);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{x},
             ValueRange{c.filled(outType, product ? 1 : 0)},
             maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               ElementBuilder e{b, l, t};
               Value i = mlir::linalg::IndexOp::create(b, l, dim);
               Value j = mlir::linalg::IndexOp::create(b, l, rank);
               Value take =
                   mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ule, j, i);
               Value combined = product ? e.mul(v[1], v[0]) : e.add(v[1], v[0]);
               mlir::linalg::YieldOp::create(b, l, e.select(take, combined, v[1]));
             })
      .getResult(0);
  };
}

/// ones_like/zeros_like/empty_like/new_*: the result filled with `value`, or with fill_value
/// where the schema has one (full_like, new_full); empty ones give zeros, as their kernels.
static Lowering filledLowering(double value) {
  return [value](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    PyValue fill = literalOrNone(a, "fill_value");
    return c.filled(c.result(), fill.isNone() ? value : fill.toElement());
  };
}

/// zeros/ones/full/empty/arange/linspace/eye of Python numbers are folded (their kernels run at
/// compile time); an argument known only at run time reaches here.
static Lowered lowerCreation(LoweringContext &, const LoweredArgs &) {
  throw OpError("a creation op with a tensor argument cannot be compiled yet");
}

/// tril (`lower`) or triu: a select on the element's offset from the diagonal.
static Lowering triangleLowering(bool lower) {
  return [lower](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    int64_t rank = outType.getRank(), diag = a.toInt("diagonal");
    checkTriangleRank(rank);
    return c.map({a["input"]}, outType, [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
      ElementBuilder e{b, l, t};
      auto index = [&](int64_t d) {
        return mlir::arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                mlir::linalg::IndexOp::create(b, l, d));
      };
      Value row = index(rank - 2), col = index(rank - 1);
      Value offset = mlir::arith::SubIOp::create(b, l, col, row);
      Value d = mlir::arith::ConstantOp::create(b, l, b.getI64IntegerAttr(diag));
      auto predicate = lower ? mlir::arith::CmpIPredicate::sle : mlir::arith::CmpIPredicate::sge;
      Value keep = mlir::arith::CmpIOp::create(b, l, predicate, offset, d);
      return e.select(keep, LoweringContext::cast(b, l, v[0], t), e.constant(0));
    });
  };
}

void populateReductionAndCreationLowerings(LoweringTable &table) {
  table.add("sum", reductionLowering(Reduction::Sum));
  table.add("mean", reductionLowering(Reduction::Mean));
  table.add("prod", reductionLowering(Reduction::Prod));
  table.add("amax", reductionLowering(Reduction::Max));
  table.add("amin", reductionLowering(Reduction::Min));
  table.add("any", reductionLowering(Reduction::Any));
  table.add("all", reductionLowering(Reduction::All));
  table.add("var", varianceLowering(/*root=*/false));
  table.add("std", varianceLowering(/*root=*/true));
  table.add("logsumexp", lowerLogsumexp);
  table.add("max", extremumLowering(/*isMax=*/true));
  table.add("min", extremumLowering(/*isMax=*/false));
  table.add("argmax", argExtremumLowering(/*isMax=*/true));
  table.add("argmin", argExtremumLowering(/*isMax=*/false));
  table.add("cumsum", cumulativeLowering(false));
  table.add("cumprod", cumulativeLowering(true));
  table.add("creation", lowerCreation);
  for (auto [name, value] : {std::pair{"ones_like", 1.0}, {"zeros_like", 0.0}, {"empty_like", 0.0},
                             {"full_like", 0.0}, {"new_zeros", 0.0}, {"new_ones", 1.0},
                             {"new_empty", 0.0}, {"new_full", 0.0}})
    table.add(name, filledLowering(value));
  table.add("tril", triangleLowering(/*lower=*/true));
  table.add("triu", triangleLowering(/*lower=*/false));
}

} // namespace fxmlir
