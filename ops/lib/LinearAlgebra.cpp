//===- LinearAlgebra.cpp - matmul, bmm, linear, addmm ---------------------===//
#include "KernelUtils.h"

namespace fxmlir {

using K = const BoundArgs &;

/// torch.matmul: 1-D operands gain and lose a dimension; batch dims broadcast.
static Tensor matmul(const Tensor &a0, const Tensor &b0) {
  MatmulShape shape = matmulShape(a0.shape(), b0.shape());
  int64_t m = shape.m, k = shape.k, n = shape.n;
  Tensor a = shape.leftIsVector ? a0.reshape({1, k}) : a0;
  Tensor b = shape.rightIsVector ? b0.reshape({k, 1}) : b0;
  Shape aBatch(a.shape().begin(), a.shape().end() - 2);
  Shape bBatch(b.shape().begin(), b.shape().end() - 2);
  // Index of each output batch in a's and b's batches.
  Tensor aIdx(aBatch, DType::I64), bIdx(bBatch, DType::I64);
  for (int64_t i = 0; i < aIdx.numel(); ++i)
    aIdx[i] = (double)i;
  for (int64_t i = 0; i < bIdx.numel(); ++i)
    bIdx[i] = (double)i;
  std::vector<int64_t> ia = broadcastIndex(aIdx, shape.batch);
  std::vector<int64_t> ib = broadcastIndex(bIdx, shape.batch);
  Tensor out(shape.result(), promoteTypes(a.dtype(), b.dtype()));
  int64_t batches = numElements(shape.batch);
  for (int64_t bi = 0; bi < batches; ++bi) {
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
  return out.round();
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

static PyValue matmulKernel(K a) {
  return PyValue(matmul(a.tensor("self"), a.tensor("other")));
}

static PyValue bmmKernel(K a) {
  if (a.tensor("self").dim() != 3 || a.tensor("mat2").dim() != 3)
    throw OpError("bmm: both arguments must be 3-D");
  return PyValue(matmul(a.tensor("self"), a.tensor("mat2")));
}

static PyValue linearKernel(K a) {
  Tensor y = matmul(a.tensor("input"), transposeLast2(a.tensor("weight")));
  if (!a.isNone("bias"))
    return binary(PyValue(y), a["bias"], [](double x, double b) { return x + b; }, false);
  return PyValue(y);
}

static PyValue addmmKernel(K a) {
  double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
  Tensor p = matmul(a.tensor("mat1"), a.tensor("mat2"));
  return binary(a["self"], PyValue(p), [=](double s, double q) { return beta * s + alpha * q; },
                false);
}

void registerLinearAlgebraOps(Registry &r) {
  r.addOp("torch.matmul(Tensor self, Tensor other)", {"operator.matmul", "method:matmul"},
          matmulKernel)
      .lowerWith("matmul")
      .withSamples({"T(2, 3), T(3, 4)", "T(3, dtype='f64'), T(3, dtype='f64')",
                    "T(2, 1, 3, 4), T(5, 4, 2)", "T(2, 3, 4, dtype='i64'), T(4, dtype='i64')"});
  r.addOp("torch.bmm(Tensor self, Tensor mat2)", {"method:bmm"}, bmmKernel)
      .lowerWith("bmm")
      .withSamples({"T(2, 3, 4), T(2, 4, 5)", "T(3, 2, 2, dtype='f64'), T(3, 2, 3, dtype='f64')",
                    "T(2, 3, 4, dtype='i64'), T(2, 4, 1, dtype='i64')"});
  r.addOp("torch.nn.functional.linear(Tensor input, Tensor weight, Tensor? bias=None)",
          {"torch._C._nn.linear"}, linearKernel)
      .lowerWith("linear")
      .withSamples({"T(2, 4), T(3, 4), T(3)", "T(2, 5, 4), T(3, 4)", "T(4), T(3, 4), bias=T(3)",
                    "T(2, 4, dtype='f64'), T(3, 4, dtype='f64'), T(dtype='f64')"});
  r.addOp("torch.addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
          {"method:addmm"}, addmmKernel)
      .lowerWith("addmm")
      .withSamples({"T(2, 4), T(2, 3), T(3, 4)", "T(4), T(2, 3), T(3, 4), beta=0.5, alpha=2",
                    "T(2, 4, dtype='f64'), T(2, 3, dtype='f64'), T(3, 4, dtype='f64'), alpha=-1.5",
                    "T(1, 4, dtype='i64'), T(2, 3, dtype='i64'), T(3, 4, dtype='i64'), beta=2, "
                    "alpha=3"});
}

} // namespace fxmlir
