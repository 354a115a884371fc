//===- LinearAlgebra.cpp - matmul, mm, bmm, linear, addmm, baddbmm, outer, einsum -===//
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
    aIdx[i] = (Element)i;
  for (int64_t i = 0; i < bIdx.numel(); ++i)
    bIdx[i] = (Element)i;
  std::vector<int64_t> ia = broadcastIndex(aIdx, shape.batch);
  std::vector<int64_t> ib = broadcastIndex(bIdx, shape.batch);
  Tensor out(shape.result(), promoteTypes(a.dtype(), b.dtype()));
  int64_t batches = numElements(shape.batch);
  for (int64_t bi = 0; bi < batches; ++bi) {
    const Element *pa = a.data() + (int64_t)aIdx[ia[bi]] * m * k;
    const Element *pb = b.data() + (int64_t)bIdx[ib[bi]] * k * n;
    Element *po = out.data() + bi * m * n;
    // i-p-j order walks b and the output row by row.
    for (int64_t i = 0; i < m; ++i)
      for (int64_t p = 0; p < k; ++p) {
        Element av = pa[i * k + p];
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
    return binary(PyValue(y), a["bias"], [](Element x, Element b) { return x + b; }, false);
  return PyValue(y);
}

static PyValue addmmKernel(K a) {
  double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
  Tensor p = matmul(a.tensor("mat1"), a.tensor("mat2"));
  return binary(a["self"], PyValue(p), [=](Element s, Element q) { return beta * s + alpha * q; },
                false);
}

/// torch's name of a dtype in its "expected scalar type" errors.
static const char *scalarTypeName(DType d) {
  static const char *names[] = {"Bool", "Byte", "Char",     "Short", "Int",
                                "Long", "Half", "BFloat16", "Float", "Double"};
  return names[(int)d];
}

/// mm, baddbmm and einsum multiply tensors of one dtype only.
static void checkSameDType(const Tensor &a, const Tensor &b) {
  if (a.dtype() != b.dtype())
    throw OpError(std::string("expected scalar type ") + scalarTypeName(a.dtype()) +
                  " but found " + scalarTypeName(b.dtype()));
}

static PyValue mmKernel(K a) {
  const Tensor &x = a.tensor("input"), &y = a.tensor("mat2");
  checkMm(x.shape(), y.shape());
  checkSameDType(x, y);
  return PyValue(matmul(x, y));
}

/// `beta * input + alpha * (batch1 @ batch2)` in batch1's dtype (the scalars converted to it,
/// as torch does); beta = 0 ignores input, NaNs included.
static PyValue baddbmmKernel(K a) {
  const Tensor &b1 = a.tensor("batch1"), &b2 = a.tensor("batch2");
  Shape shape = baddbmmShape(b1.shape(), b2.shape());
  checkSameDType(b1, b2);
  DType t = b1.dtype();
  Element beta = roundToDType(a.toDouble("beta"), t), alpha = roundToDType(a.toDouble("alpha"), t);
  const Tensor &self = a.tensor("input");
  std::vector<int64_t> idx = broadcastIndex(self, expandedShape(self.shape(), shape));
  Tensor p = matmul(b1, b2);
  for (int64_t i = 0; i < p.numel(); ++i)
    p[i] = alpha * p[i] + (beta == 0 ? 0.0 : beta * self[idx[i]]);
  return PyValue(p.round());
}

static PyValue outerKernel(K a) {
  const Tensor &x = a.tensor("input"), &y = a.tensor("vec2");
  checkOuter(x.shape(), y.shape());
  return binary(PyValue(x.reshape({x.numel(), 1})), PyValue(y),
                [](Element u, Element v) { return u * v; }, false);
}

/// einsum: every combination of the equation's letters, the product of the operands' elements
/// summed into the output's.
static Tensor einsum(const std::string &equation, const std::vector<Tensor> &ops) {
  std::vector<Shape> shapes;
  for (const Tensor &t : ops) {
    shapes.push_back(t.shape());
    checkSameDType(ops.front(), t);
  }
  EinsumSpec spec = einsumSpec(equation, shapes);
  Tensor out(spec.result(), ops.empty() ? DType::F32 : ops[0].dtype());
  // Where each operand's dims sit among the loops; size-1 dims broadcast (stride 0).
  std::vector<std::vector<int64_t>> strides(ops.size(), std::vector<int64_t>(spec.loops.size()));
  for (size_t o = 0; o < ops.size(); ++o) {
    Shape st = contiguousStrides(shapes[o]);
    for (size_t d = 0; d < shapes[o].size(); ++d)
      if (shapes[o][d] != 1)
        strides[o][spec.loops.find(spec.inputs[o][d])] += st[d];
  }
  Shape loopShape(spec.loopSizes.begin(), spec.loopSizes.end());
  Shape outStrides = contiguousStrides(loopShape);
  int64_t outElems = std::max<int64_t>(out.numel(), 1), loops = numElements(loopShape);
  for (int64_t flat = 0; flat < loops; ++flat) {
    Element product = 1;
    for (size_t o = 0; o < ops.size(); ++o) {
      int64_t at = 0;
      for (size_t l = 0; l < loopShape.size(); ++l)
        at += (flat / outStrides[l]) % loopShape[l] * strides[o][l];
      product *= ops[o][at];
    }
    out[flat / (loops / outElems)] += product;
  }
  return out.round();
}

/// Arguments (equation, operands) in every spelling.
static PyValue einsumKernel(K a) {
  std::vector<Tensor> ops;
  for (const PyValue &v : a.at(1).items())
    ops.push_back(v.tensor());
  return PyValue(einsum(a.at(0).toStr(), ops));
}

/// bilinear: out[..., o] = sum_ij input1[..., i] * weight[o, i, j] * input2[..., j] + bias[o],
/// an einsum over the leading dims flattened.
static PyValue bilinearKernel(K a) {
  const Tensor &x1 = a.tensor("input1"), &x2 = a.tensor("input2"), &w = a.tensor("weight");
  std::optional<Shape> biasShape;
  if (!a.isNone("bias"))
    biasShape = a.tensor("bias").shape();
  Shape shape = bilinearShape(x1.shape(), x2.shape(), w.shape(), biasShape);
  int64_t rows = numElements(Shape(shape.begin(), shape.end() - 1));
  Tensor y = einsum("bi,oij,bj->bo", {x1.reshape({rows, w.size(1)}), w,
                                      x2.reshape({rows, w.size(2)})});
  if (biasShape) {
    checkSameDType(y, a.tensor("bias"));
    y = binary(PyValue(y), a["bias"], [](Element v, Element b) { return v + b; }, false).tensor();
  }
  return PyValue(y.reshape(shape));
}

void registerLinearAlgebraOps(Registry &r) {
  r.addOp("torch.matmul(Tensor self, Tensor other)",
          {"operator.matmul", "method:matmul", "torch.ops.aten.matmul",
           "torch.ops.aten.matmul.default"},
          matmulKernel)
      .lowerWith("matmul")
      .withSamples({"T(2, 3), T(3, 4)", "T(3, dtype='f64'), T(3, dtype='f64')",
                    "T(2, 1, 3, 4), T(5, 4, 2)", "T(2, 3, 4, dtype='i64'), T(4, dtype='i64')",
                    "T(2, 0), T(0, 3)"});
  r.addOp("torch.bmm(Tensor self, Tensor mat2)",
          {"method:bmm", "torch.ops.aten.bmm", "torch.ops.aten.bmm.default"}, bmmKernel)
      .lowerWith("bmm")
      .withSamples({"T(2, 3, 4), T(2, 4, 5)", "T(3, 2, 2, dtype='f64'), T(3, 2, 3, dtype='f64')",
                    "T(2, 3, 4, dtype='i64'), T(2, 4, 1, dtype='i64')"});
  r.addOp("torch.nn.functional.linear(Tensor input, Tensor weight, Tensor? bias=None)",
          {"torch._C._nn.linear", "torch.ops.aten.linear", "torch.ops.aten.linear.default"},
          linearKernel)
      .lowerWith("linear")
      .withSamples({"T(2, 4), T(3, 4), T(3)", "T(2, 5, 4), T(3, 4)", "T(4), T(3, 4), bias=T(3)",
                    "T(2, 4, dtype='f64'), T(3, 4, dtype='f64'), T(dtype='f64')"});
  r.addOp("torch.addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1)",
          {"method:addmm", "torch.ops.aten.addmm", "torch.ops.aten.addmm.default"}, addmmKernel)
      .lowerWith("addmm")
      .withSamples({"T(2, 4), T(2, 3), T(3, 4)", "T(4), T(2, 3), T(3, 4), beta=0.5, alpha=2",
                    "T(2, 4, dtype='f64'), T(2, 3, dtype='f64'), T(3, 4, dtype='f64'), alpha=-1.5",
                    "T(1, 4, dtype='i64'), T(2, 3, dtype='i64'), T(3, 4, dtype='i64'), beta=2, "
                    "alpha=3"});
  r.addOp("torch.mm(Tensor input, Tensor mat2)",
          {"method:mm", "torch.ops.aten.mm", "torch.ops.aten.mm.default"}, mmKernel)
      .lowerWith("mm")
      .withSamples({"T(2, 3), T(3, 4)", "T(1, 5, dtype='f64'), T(5, 2, dtype='f64')",
                    "T(3, 2, dtype='i64'), mat2=T(2, 2, dtype='i64')"});
  r.addOp("torch.baddbmm(Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, "
          "Scalar alpha=1)",
          {"method:baddbmm", "torch.ops.aten.baddbmm", "torch.ops.aten.baddbmm.default"},
          baddbmmKernel)
      .lowerWith("baddbmm")
      .withSamples({"T(2, 3, 5), T(2, 3, 4), T(2, 4, 5)",
                    "T(5), T(3, 2, 4), T(3, 4, 5), beta=0.5, alpha=-2",
                    "T(2, 1, 1, dtype='f64'), T(2, 3, 4, dtype='f64'), T(2, 4, 2, dtype='f64'), "
                    "beta=0",
                    "T(1, 2, dtype='i64'), T(3, 2, 2, dtype='i64'), T(3, 2, 2, dtype='i64'), "
                    "alpha=3"});
  r.addOp("torch.outer(Tensor input, Tensor vec2)",
          {"torch.ger", "method:outer", "method:ger", "torch.ops.aten.outer",
           "torch.ops.aten.outer.default", "torch.ops.aten.ger", "torch.ops.aten.ger.default"},
          outerKernel)
      .lowerWith("outer")
      .withSamples({"T(3), T(4)", "T(2, dtype='f64'), T(3)",
                    "T(3, dtype='i64'), vec2=T(2, dtype='i32')"});
  // torch.fx records torch.einsum under the module that defines it, torch.functional.
  r.addOp("torch.functional.einsum(str equation, *Tensor operands)",
          {"torch.einsum"}, einsumKernel)
      .lowerWith("einsum")
      .withSamples({"'ij,jk->ik', T(2, 3), T(3, 4)", "'bij,bjk', T(2, 3, 4), T(2, 4, 5)",
                    "'i,j->ij', [T(3, dtype='f64'), T(4, dtype='f64')]",
                    "'ii->i', T(3, 3, dtype='i64')", "'ij,kj->', T(2, 3), T(1, 3)",
                    "'bhqd, bhkd -> bhqk', T(1, 2, 3, 4), T(1, 2, 5, 4)"});
  r.addOp("torch.ops.aten.einsum.default(str equation, Tensor[] tensors, *, int[]? path=None)",
          {"torch.ops.aten.einsum"}, einsumKernel)
      .lowerWith("einsum")
      .withSamples({"'ij,jk->ik', [T(2, 3), T(3, 4)]", "'ii', [T(3, 3, dtype='f64')]"});
  r.addOp("torch.nn.functional.bilinear(Tensor input1, Tensor input2, Tensor weight, "
          "Tensor? bias=None)",
          concat({"torch.bilinear"}, atenSpellings("bilinear")), bilinearKernel)
      .lowerWith("bilinear")
      .withSamples({"T(3, 4), T(3, 5), T(2, 4, 5), T(2)", "T(2, 3, 4), T(2, 3, 2), T(5, 4, 2)",
                    "T(4, dtype='f64'), T(3, dtype='f64'), T(2, 4, 3, dtype='f64'), "
                    "T(2, dtype='f64')",
                    "T(2, 1, 2, 3), T(2, 1, 2, 2), T(1, 3, 2), None"});
}

} // namespace fxmlir
