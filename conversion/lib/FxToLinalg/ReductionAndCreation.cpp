//===- ReductionAndCreation.cpp - Lowerings of reductions, *_like, tril ---===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;

enum class Reduction { Sum, Mean, Max };

/// sum/mean/amax over dims, accumulated in the result's element type (torch's rule: int64 for
/// sums of integers, dtype= when given).
static Lowering reductionLowering(Reduction kind) {
  return [kind](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value x = c.castTensor(a.tensor("input"), t);
    int64_t rank = rankOf(x);
    std::vector<int64_t> dims = reductionDims(a.literal("dim"), rank);
    Value y = c.reduce(x, dims, a.toBool("keepdim"),
                       kind == Reduction::Max ? ReduceKind::Max : ReduceKind::Sum);
    y = c.reshape(y, outType.getShape());
    if (kind != Reduction::Mean)
      return y;
    double n = (double)reducedElementCount(shapeOf(x).vec(), dims);
    return c.map({Lowered(y)}, outType,
                 [t, n](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
                   ElementBuilder e{b, l, t};
                   return e.div(v[0], e.constant(n));
                 });
  };
}

/// cumsum as out[.., i, ..] = sum_j (j <= i) * x[.., j, ..]: quadratic along `dim`, which is
/// fine for the position counters it computes in models.
static Lowered lowerCumsum(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
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
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{x}, ValueRange{c.filled(outType, 0)},
             maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               ElementBuilder e{b, l, t};
               Value i = mlir::linalg::IndexOp::create(b, l, dim);
               Value j = mlir::linalg::IndexOp::create(b, l, rank);
               Value take =
                   mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ule, j, i);
               mlir::linalg::YieldOp::create(b, l, e.select(take, e.add(v[1], v[0]), v[1]));
             })
      .getResult(0);
}

/// ones_like/zeros_like: the result filled with `value`.
static Lowering filledLowering(double value) {
  return [value](LoweringContext &c, const LoweredArgs &) -> Lowered {
    return c.filled(c.result(), value);
  };
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
  table.add("amax", reductionLowering(Reduction::Max));
  table.add("cumsum", lowerCumsum);
  table.add("ones_like", filledLowering(1.0));
  table.add("zeros_like", filledLowering(0.0));
  table.add("tril", triangleLowering(/*lower=*/true));
  table.add("triu", triangleLowering(/*lower=*/false));
}

} // namespace fxmlir
