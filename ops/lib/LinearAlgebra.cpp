//===- LinearAlgebra.cpp - matmul, bmm, linear, addmm ---------------------===//
#include "KernelUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace fxmlir {

using mlir::Value;

/// torch.matmul on tensors: 2-D products become linalg.matmul, a batch times a matrix one
/// matmul over the flattened rows, other batches linalg.batch_matmul after broadcasting.
static Value lowerMatmul(LoweringContext &c, Value a, Value b, mlir::RankedTensorType resultType) {
  mlir::Type t = resultType.getElementType();
  a = c.castTensor(a, t);
  b = c.castTensor(b, t);
  if (rankOf(a) == 1)
    a = c.reshape(a, {1, shapeOf(a)[0]});
  if (rankOf(b) == 1)
    b = c.reshape(b, {shapeOf(b)[0], 1});
  auto as = shapeOf(a), bs = shapeOf(b);
  int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  if (rankOf(b) == 2) {
    int64_t rows = mlir::cast<mlir::RankedTensorType>(a.getType()).getNumElements() / k;
    return c.reshape(c.matmul(c.reshape(a, {rows, k}), b, /*transposeB=*/false),
                     resultType.getShape());
  }
  // Batch dims: broadcast both operands to the result's batch, then one batch_matmul.
  mlir::SmallVector<int64_t> batch;
  int64_t batchRank = std::max(rankOf(a), rankOf(b)) - 2;
  for (int64_t i = 0; i < batchRank; ++i) {
    auto dimOf = [&](llvm::ArrayRef<int64_t> s) {
      int64_t j = i - (batchRank - ((int64_t)s.size() - 2));
      return j < 0 ? 1 : s[j];
    };
    batch.push_back(std::max(dimOf(as), dimOf(bs)));
  }
  int64_t nb = 1;
  for (int64_t d : batch)
    nb *= d;
  auto broadcast = [&](Value v, int64_t rows, int64_t cols) {
    mlir::SmallVector<int64_t> full(batch);
    full.push_back(rows);
    full.push_back(cols);
    if (shapeOf(v) != llvm::ArrayRef<int64_t>(full))
      v = c.map({Lowered(v)}, tensorType(full, t),
                [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) { return x[0]; });
    return c.reshape(v, {nb, rows, cols});
  };
  Value a3 = broadcast(a, m, k), b3 = broadcast(b, k, n);
  auto outType = tensorType({nb, m, n}, t);
  Value product = mlir::linalg::BatchMatmulOp::create(c.b, c.loc, mlir::TypeRange{outType},
                                                      mlir::ValueRange{a3, b3},
                                                      mlir::ValueRange{c.filled(outType, 0)})
                      .getResult(0);
  return c.reshape(product, resultType.getShape());
}

static Lowered lowerLinear(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), w = a.tensor("weight");
  mlir::Type t = c.resultElementType();
  if (rankOf(w) != 2)
    throw OpError("linear: weight must be 2-D");
  int64_t k = shapeOf(x).back();
  int64_t rows = mlir::cast<mlir::RankedTensorType>(x.getType()).getNumElements() / k;
  // Constant weights are transposed once, at compile time, for a plain (vectorizable) matmul.
  Value rowsOfX = c.reshape(c.castTensor(x, t), {rows, k});
  Value wt = c.transposedConstant(c.castTensor(w, t));
  Value y = wt ? c.matmul(rowsOfX, wt, /*transposeB=*/false)
               : c.matmul(rowsOfX, c.castTensor(w, t), /*transposeB=*/true);
  if (Value bias = a.optionalTensor("bias"))
    y = c.map({Lowered(y), Lowered(bias)}, mlir::cast<mlir::RankedTensorType>(y.getType()),
              [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                return ElementBuilder{b, l, t}.add(v[0], LoweringContext::cast(b, l, v[1], t));
              });
  return c.reshape(y, c.result().getShape());
}

/// torch.matmul: 1-D operands gain and lose a dimension; batch dims broadcast.
static Tensor matmul(const Tensor &a0, const Tensor &b0) {
  if (a0.dim() == 0 || b0.dim() == 0)
    throw OpError("matmul: both arguments need at least 1 dimension");
  bool aVec = a0.dim() == 1, bVec = b0.dim() == 1;
  Tensor a = aVec ? a0.reshape({1, a0.size(0)}) : a0;
  Tensor b = bVec ? b0.reshape({b0.size(0), 1}) : b0;
  int64_t m = a.size(-2), k = a.size(-1), k2 = b.size(-2), n = b.size(-1);
  if (k != k2)
    throw OpError("mat1 and mat2 shapes cannot be multiplied (" + std::to_string(m) + "x" +
                  std::to_string(k) + " and " + std::to_string(k2) + "x" + std::to_string(n) + ")");
  Shape aBatch(a.shape().begin(), a.shape().end() - 2), bBatch(b.shape().begin(), b.shape().end() - 2);
  Shape batch = broadcastShapes(aBatch, bBatch);
  int64_t nb = numElements(batch);
  // Index of each output batch in a's and b's batches.
  Tensor aIdx(aBatch, DType::I64), bIdx(bBatch, DType::I64);
  for (int64_t i = 0; i < aIdx.numel(); ++i)
    aIdx[i] = (double)i;
  for (int64_t i = 0; i < bIdx.numel(); ++i)
    bIdx[i] = (double)i;
  std::vector<int64_t> ia = broadcastIndex(aIdx, batch), ib = broadcastIndex(bIdx, batch);
  Shape outShape = batch;
  outShape.push_back(m);
  outShape.push_back(n);
  Tensor out(outShape, promoteTypes(a.dtype(), b.dtype()));
  for (int64_t bi = 0; bi < nb; ++bi) {
    const double *pa = a.data() + (int64_t)aIdx[ia[bi]] * m * k;
    const double *pb = b.data() + (int64_t)bIdx[ib[bi]] * k * n;
    double *po = out.data() + bi * m * n;
    // i-p-j order walks b and the output row by row.
    for (int64_t i = 0; i < m; ++i)
      for (int64_t p = 0; p < k; ++p) {
        double av = pa[i * k + p];
        for (int64_t j = 0; j < n; ++j)
          po[i * n + j] += av * pb[p * n + j];
      }
  }
  Shape finalShape = batch;
  if (!aVec)
    finalShape.push_back(m);
  if (!bVec)
    finalShape.push_back(n);
  return out.reshape(finalShape).round();
}

static Tensor transposeLast2(const Tensor &w) {
  if (w.dim() != 2)
    throw OpError("linear: weight must be 2-D, got shape " + shapeToString(w.shape()));
  Tensor t({w.size(1), w.size(0)}, w.dtype());
  for (int64_t i = 0; i < w.size(0); ++i)
    for (int64_t j = 0; j < w.size(1); ++j)
      t[j * w.size(0) + i] = w[i * w.size(1) + j];
  return t;
}

void registerLinearAlgebraOps(Registry &r) {
  using K = const BoundArgs &;
  r.addOp("torch.matmul(Tensor self, Tensor other)", {"operator.matmul", "method:matmul"},
          [](K a) { return PyValue(matmul(a.tensor("self"), a.tensor("other"))); })
      .lowerWith([](LoweringContext &c, const LoweredArgs &a) -> Lowered {
        return lowerMatmul(c, a.tensor("self"), a.tensor("other"), c.result());
      });
  r.addOp("torch.bmm(Tensor self, Tensor mat2)", {"method:bmm"}, [](K a) {
    if (a.tensor("self").dim() != 3 || a.tensor("mat2").dim() != 3)
      throw OpError("bmm: both arguments must be 3-D");
    return PyValue(matmul(a.tensor("self"), a.tensor("mat2")));
  }).lowerWith([](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    return lowerMatmul(c, a.tensor("self"), a.tensor("mat2"), c.result());
  });
  r.addOp("torch.nn.functional.linear(Tensor input, Tensor weight, Tensor? bias=None)",
          {"torch._C._nn.linear"}, [](K a) {
            Tensor y = matmul(a.tensor("input"), transposeLast2(a.tensor("weight")));
            if (!a.isNone("bias"))
              return binary(PyValue(y), a["bias"], [](double x, double b) { return x + b; }, false);
            return PyValue(y);
          }).lowerWith(lowerLinear);
  r.addOp("torch.addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
          {"method:addmm"}, [](K a) {
            double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
            Tensor p = matmul(a.tensor("mat1"), a.tensor("mat2"));
            return binary(a["self"], PyValue(p),
                          [=](double s, double q) { return beta * s + alpha * q; }, false);
          }).lowerWith([](LoweringContext &c, const LoweredArgs &a) -> Lowered {
            double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
            Value p = lowerMatmul(c, a.tensor("mat1"), a.tensor("mat2"), c.result());
            return c.map({a["self"], Lowered(p)}, c.result(),
                         [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                           mlir::Type t = c.resultElementType();
                           ElementBuilder e{b, l, t};
                           Value s = LoweringContext::cast(b, l, v[0], t);
                           return e.add(e.mul(e.constant(beta), s), e.mul(e.constant(alpha), v[1]));
                         });
          });
}

} // namespace fxmlir
