//===- ReductionAndCreation.cpp - sum/mean/amax/cumsum, *_like, tril ------===//
#include "KernelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <limits>

namespace fxmlir {

enum class Reduce { Sum, Mean, Max };

static Tensor reduce(const Tensor &x0, const PyValue &dims, bool keepdim, Reduce kind,
                     const PyValue &dtype) {
  Tensor x = x0;
  if (!dtype.isNone())
    x = x.to(dtype.toDType());
  else if (kind == Reduce::Sum && !isFloating(x.dtype()))
    x = x.to(DType::I64); // torch.sum of ints and bools accumulates in int64
  else if (kind == Reduce::Mean && !isFloating(x.dtype()))
    throw OpError("mean(): could not infer output dtype. Input dtype must be either a floating "
                  "point or complex dtype. Got: " + std::string(dtypeName(x.dtype())));
  std::vector<int64_t> rd = reductionDims(dims, x.dim());
  std::vector<bool> reduced(x.dim(), false);
  for (int64_t d : rd)
    reduced[d] = true;
  Shape outShape, keptShape;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!reduced[d])
      outShape.push_back(x.shape()[d]);
    keptShape.push_back(reduced[d] ? 1 : x.shape()[d]);
  }
  double init = kind == Reduce::Max ? -std::numeric_limits<double>::infinity() : 0.0;
  Tensor acc(keptShape, x.dtype(), init);
  Shape accStrides = contiguousStrides(keptShape);
  std::vector<int64_t> counter(x.dim(), 0);
  for (int64_t flat = 0; flat < x.numel(); ++flat) {
    int64_t dst = 0;
    for (int64_t d = 0; d < x.dim(); ++d)
      if (!reduced[d])
        dst += counter[d] * accStrides[d];
    double v = x[flat];
    acc[dst] = kind == Reduce::Max ? std::max(acc[dst], v) : acc[dst] + v;
    for (int64_t d = x.dim() - 1; d >= 0; --d) {
      if (++counter[d] < x.shape()[d])
        break;
      counter[d] = 0;
    }
  }
  if (kind == Reduce::Mean) {
    int64_t n = x.numel() / std::max<int64_t>(acc.numel(), 1);
    for (int64_t i = 0; i < acc.numel(); ++i)
      acc[i] /= (double)n;
  }
  acc.round();
  return keepdim ? acc : acc.reshape(outShape);
}

using mlir::Value;
using mlir::ValueRange;

/// sum/mean/amax over dims, accumulated in the result's element type (torch's rule: int64 for
/// sums of integers, dtype= when given).
static Lowering reduceLowering(Reduce kind) {
  return [kind](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value x = c.castTensor(a.tensor("input"), t);
    int64_t rank = rankOf(x);
    std::vector<int64_t> dims = reductionDims(a.literal("dim"), rank);
    Value y = c.reduce(x, dims, a.toBool("keepdim"),
                       kind == Reduce::Max ? ReduceKind::Max : ReduceKind::Sum);
    y = c.reshape(y, outType.getShape());
    if (kind != Reduce::Mean)
      return y;
    double n = 1;
    for (int64_t d : dims)
      n *= (double)shapeOf(x)[d];
    return c.map({Lowered(y)}, outType, [t, n](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
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
               Value take = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ule, j, i);
               mlir::linalg::YieldOp::create(b, l, e.select(take, e.add(v[1], v[0]), v[1]));
             })
      .getResult(0);
}

static Lowering triangleLowering(bool lower) {
  return [lower](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    int64_t rank = outType.getRank(), diag = a.toInt("diagonal");
    if (rank < 2)
      throw OpError("tril/triu: input tensor must have at least 2 dimensions");
    return c.map({a["input"]}, outType, [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
      ElementBuilder e{b, l, t};
      auto index = [&](int64_t d) {
        return mlir::arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                mlir::linalg::IndexOp::create(b, l, d));
      };
      Value row = index(rank - 2), col = index(rank - 1);
      Value offset = mlir::arith::SubIOp::create(b, l, col, row);
      Value d = mlir::arith::ConstantOp::create(b, l, b.getI64IntegerAttr(diag));
      Value keep = mlir::arith::CmpIOp::create(
          b, l, lower ? mlir::arith::CmpIPredicate::sle : mlir::arith::CmpIPredicate::sge, offset, d);
      return e.select(keep, LoweringContext::cast(b, l, v[0], t), e.constant(0));
    });
  };
}

void registerReductionAndCreationOps(Registry &r) {
  using K = const BoundArgs &;
  r.addOp("torch.sum(Tensor input, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)",
          {"method:sum"}, [](K a) {
            return PyValue(reduce(a.tensor("input"), a["dim"], a.toBool("keepdim"), Reduce::Sum, a["dtype"]));
          }).lowerWith(reduceLowering(Reduce::Sum));
  r.addOp("torch.mean(Tensor input, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)",
          {"method:mean"}, [](K a) {
            return PyValue(reduce(a.tensor("input"), a["dim"], a.toBool("keepdim"), Reduce::Mean, a["dtype"]));
          }).lowerWith(reduceLowering(Reduce::Mean));
  r.addOp("torch.amax(Tensor input, int[] dim=[], bool keepdim=False)", {"method:amax"}, [](K a) {
    return PyValue(reduce(a.tensor("input"), a["dim"], a.toBool("keepdim"), Reduce::Max, PyValue::none()));
  }).lowerWith(reduceLowering(Reduce::Max));
  r.addOp("torch.cumsum(Tensor input, int dim, *, ScalarType? dtype=None)", {"method:cumsum"},
          [](K a) {
            Tensor x = a.tensor("input");
            if (!a.isNone("dtype"))
              x = x.to(a["dtype"].toDType());
            else if (!isFloating(x.dtype()))
              x = x.to(DType::I64);
            DimSplit s = splitAt(x.shape(), wrapDim(a.toInt("dim"), x.dim()));
            Tensor out = x.clone();
            for (int64_t o = 0; o < s.outer; ++o)
              for (int64_t i = 0; i < s.inner; ++i)
                for (int64_t k = 1; k < s.size; ++k)
                  out[(o * s.size + k) * s.inner + i] += out[(o * s.size + k - 1) * s.inner + i];
            return PyValue(out.round());
          }).lowerWith(lowerCumsum);
  auto like = [&](const std::string &name, double value) {
    r.addOp("torch." + name + "(Tensor input, *, ScalarType? dtype=None, Any layout=None, "
            "Any device=None, bool? pin_memory=None, bool requires_grad=False, "
            "Any memory_format=None)",
            {}, [value](K a) {
              const Tensor &x = a.tensor("input");
              return PyValue(Tensor(x.shape(), a.isNone("dtype") ? x.dtype() : a["dtype"].toDType(), value));
            }).lowerWith([value](LoweringContext &c, const LoweredArgs &) -> Lowered {
              return c.filled(c.result(), value);
            });
  };
  like("ones_like", 1.0);
  like("zeros_like", 0.0);
  auto triangle = [&](const std::string &name, bool lower) {
    r.addOp("torch." + name + "(Tensor input, int diagonal=0)", {"method:" + name}, [lower](K a) {
      const Tensor &x = a.tensor("input");
      if (x.dim() < 2)
        throw OpError("tril/triu: input tensor must have at least 2 dimensions");
      int64_t rows = x.size(-2), cols = x.size(-1), diag = a.toInt("diagonal");
      Tensor out = x.clone();
      for (int64_t i = 0; i < out.numel(); ++i) {
        int64_t row = (i / cols) % rows, col = i % cols;
        bool keep = lower ? col - row <= diag : col - row >= diag;
        if (!keep)
          out[i] = 0;
      }
      return PyValue(out);
    }).lowerWith(triangleLowering(lower));
  };
  triangle("tril", true);
  triangle("triu", false);
}

} // namespace fxmlir
