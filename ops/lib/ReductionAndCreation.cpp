//===- ReductionAndCreation.cpp - sum/mean/amax/cumsum, *_like, tril ------===//
#include "KernelUtils.h"

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
    int64_t n = reducedElementCount(x.shape(), rd);
    for (int64_t i = 0; i < acc.numel(); ++i)
      acc[i] /= (double)n;
  }
  acc.round();
  return keepdim ? acc : acc.reshape(outShape);
}

/// The kernel of sum, mean or amax (which takes no dtype=).
static Kernel reductionKernel(Reduce kind) {
  return [kind](const BoundArgs &a) {
    PyValue dtype = kind == Reduce::Max ? PyValue::none() : a["dtype"];
    return PyValue(reduce(a.tensor("input"), a["dim"], a.toBool("keepdim"), kind, dtype));
  };
}

static PyValue cumsum(const BoundArgs &a) {
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
}

static void registerReductions(Registry &r) {
  r.addOp("torch.sum(Tensor input, int[]? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None)",
          {"method:sum"}, reductionKernel(Reduce::Sum))
      .lowerWith("sum")
      .withSamples({"T(2, 3, 4)", "T(2, 3, 4), dim=-1, keepdim=True",
                    "T(3, 4, dtype='i32'), (0, 1)",
                    "T(2, 5, dtype='bool'), 1, dtype=torch.float64"});
  r.addOp("torch.mean(Tensor input, int[]? dim=None, bool keepdim=False, *, "
          "ScalarType? dtype=None)",
          {"method:mean"}, reductionKernel(Reduce::Mean))
      .lowerWith("mean")
      .withSamples({"T(2, 3, 4)", "T(2, 3, 4), -1, keepdim=True",
                    "T(3, 4, dtype='f64'), dim=(0, -1)",
                    "T(3, 4, dtype='i64'), 1, dtype=torch.float32"});
  r.addOp("torch.amax(Tensor input, int[] dim=[], bool keepdim=False)", {"method:amax"},
          reductionKernel(Reduce::Max))
      .lowerWith("amax")
      .withSamples({"T(2, 3, 4), -1", "T(2, 3, 4), dim=(0, 2), keepdim=True",
                    "T(3, 4, dtype='i64'), 0", "T()"});
  r.addOp("torch.cumsum(Tensor input, int dim, *, ScalarType? dtype=None)", {"method:cumsum"},
          cumsum)
      .lowerWith("cumsum")
      .withSamples({"T(2, 3, 4), 1", "T(5), dim=-1", "T(3, 4, dtype='i32'), 0",
                    "T(3, 4), -1, dtype=torch.float64"});
}

/// ones_like/zeros_like (`name`): `value` in the input's shape, of its dtype unless dtype= says.
static void addFilledLike(Registry &r, const std::string &name, double value,
                          std::vector<std::string> samples) {
  r.addOp("torch." + name + "(Tensor input, *, ScalarType? dtype=None, Any layout=None, "
          "Any device=None, bool? pin_memory=None, bool requires_grad=False, "
          "Any memory_format=None)",
          {}, [value](const BoundArgs &a) {
            const Tensor &x = a.tensor("input");
            DType dtype = a.isNone("dtype") ? x.dtype() : a["dtype"].toDType();
            return PyValue(Tensor(x.shape(), dtype, value));
          })
      .lowerWith(name)
      .withSamples(std::move(samples));
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
  const std::vector<std::string> likeSamples = {
      "T(2, 3)", "T(2, 3, dtype='i64')", "T(3, 4), dtype=torch.float64",
      "T(), dtype=torch.int32"};
  addFilledLike(r, "ones_like", 1.0, likeSamples);
  addFilledLike(r, "zeros_like", 0.0, likeSamples);
  const std::vector<std::string> triangleSamples = {
      "T(4, 5)", "T(2, 3, 4), diagonal=1", "T(5, 4), -2", "T(3, 3, dtype='i64'), 1"};
  addTriangle(r, "tril", true, triangleSamples);
  addTriangle(r, "triu", false, triangleSamples);
}

} // namespace fxmlir
