//===- LinearAlgebra.cpp - matmul, bmm, linear, addmm ---------------------===//
#include "KernelUtils.h"

namespace fxmlir {

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
          [](K a) { return PyValue(matmul(a.tensor("self"), a.tensor("other"))); });
  r.addOp("torch.bmm(Tensor self, Tensor mat2)", {"method:bmm"}, [](K a) {
    if (a.tensor("self").dim() != 3 || a.tensor("mat2").dim() != 3)
      throw OpError("bmm: both arguments must be 3-D");
    return PyValue(matmul(a.tensor("self"), a.tensor("mat2")));
  });
  r.addOp("torch.nn.functional.linear(Tensor input, Tensor weight, Tensor? bias=None)",
          {"torch._C._nn.linear"}, [](K a) {
            Tensor y = matmul(a.tensor("input"), transposeLast2(a.tensor("weight")));
            if (!a.isNone("bias"))
              return binary(PyValue(y), a["bias"], [](double x, double b) { return x + b; }, false);
            return PyValue(y);
          });
  r.addOp("torch.addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
          {"method:addmm"}, [](K a) {
            double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
            Tensor p = matmul(a.tensor("mat1"), a.tensor("mat2"));
            return binary(a["self"], PyValue(p),
                          [=](double s, double q) { return beta * s + alpha * q; }, false);
          });
}

} // namespace fxmlir
