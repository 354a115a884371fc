//===- Normalization.cpp - batch_norm, layer_norm, softmax, embedding -----===//
#include "KernelUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;
using Body = std::function<Value(ElementBuilder &, ValueRange)>;

/// A map whose body computes in `t` on elements converted to it.
static Value mapIn(LoweringContext &c, mlir::Type t, const std::vector<Lowered> &operands,
                   mlir::RankedTensorType type, const Body &body) {
  return c.map(operands, type, [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
    llvm::SmallVector<Value> xs;
    for (Value v : x)
      xs.push_back(LoweringContext::cast(b, l, v, t));
    ElementBuilder e{b, l, t};
    return body(e, xs);
  });
}

/// Eval-mode batch_norm: a per-channel scale and shift (computed on C elements), then one
/// multiply-add over the input.
static Lowered lowerBatchNorm(LoweringContext &c, const LoweredArgs &a) {
  if (a.toBool("training"))
    throw OpError("batch_norm with training=True cannot be compiled; lower the model in eval "
                  "mode");
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = a.tensor("input");
  int64_t rank = rankOf(x), channels = shapeOf(x)[1];
  double eps = a.toDouble("eps");
  auto vecType = tensorType({channels}, t);
  auto orOne = [&](const char *name, double fallback) {
    return a.isNone(name) ? Lowered(PyValue::floating(fallback)) : Lowered(a.tensor(name));
  };
  Value scale = mapIn(c, t, {Lowered(a.tensor("running_var")), orOne("weight", 1.0)}, vecType,
                      [eps](ElementBuilder &e, ValueRange v) {
                        return e.mul(v[1], e.rsqrt(e.add(v[0], e.constant(eps))));
                      });
  Value shift = mapIn(c, t, {orOne("bias", 0.0), Lowered(a.tensor("running_mean")), Lowered(scale)},
                      vecType, [](ElementBuilder &e, ValueRange v) {
                        return e.sub(v[0], e.mul(v[1], v[2]));
                      });
  return mapIn(c, t,
               {Lowered(x), Lowered(c.alongDim(scale, 1, rank)),
                Lowered(c.alongDim(shift, 1, rank))},
               outType, [](ElementBuilder &e, ValueRange v) { return e.add(e.mul(v[0], v[1]), v[2]); });
}

static Lowered lowerLayerNorm(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = c.castTensor(a.tensor("input"), t);
  int64_t rank = rankOf(x);
  std::vector<int64_t> ns = a.literal("normalized_shape").toIntList();
  std::vector<int64_t> dims;
  double n = 1;
  for (int64_t d = rank - (int64_t)ns.size(); d < rank; ++d) {
    dims.push_back(d);
    n *= (double)shapeOf(x)[d];
  }
  double eps = a.toDouble("eps");
  Value sum = c.reduce(x, dims, /*keepdim=*/true, ReduceKind::Sum);
  Value centered = mapIn(c, t, {Lowered(x), Lowered(sum)}, outType,
                         [n](ElementBuilder &e, ValueRange v) {
                           return e.sub(v[0], e.div(v[1], e.constant(n)));
                         });
  Value squares = mapIn(c, t, {Lowered(centered)}, outType,
                        [](ElementBuilder &e, ValueRange v) { return e.mul(v[0], v[0]); });
  Value var = c.reduce(squares, dims, /*keepdim=*/true, ReduceKind::Sum);
  std::vector<Lowered> operands{Lowered(centered), Lowered(var)};
  bool hasWeight = !a.isNone("weight"), hasBias = !a.isNone("bias");
  if (hasWeight)
    operands.push_back(Lowered(a.tensor("weight")));
  if (hasBias)
    operands.push_back(Lowered(a.tensor("bias")));
  return mapIn(c, t, operands, outType, [=](ElementBuilder &e, ValueRange v) {
    Value y = e.mul(v[0], e.rsqrt(e.add(e.div(v[1], e.constant(n)), e.constant(eps))));
    if (hasWeight)
      y = e.mul(y, v[2]);
    if (hasBias)
      y = e.add(y, v[hasWeight ? 3 : 2]);
    return y;
  });
}

static Lowering softmaxLowering(bool logOf) {
  return [logOf](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    if (a.isNone("dim"))
      throw OpError("softmax: implicit dim is deprecated; pass dim");
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value x = c.castTensor(a.tensor("input"), t);
    int64_t dim = wrapDim(a.toInt("dim"), rankOf(x));
    Value max = c.reduce(x, {dim}, /*keepdim=*/true, ReduceKind::Max);
    Value exps = mapIn(c, t, {Lowered(x), Lowered(max)}, outType,
                       [](ElementBuilder &e, ValueRange v) { return e.exp(e.sub(v[0], v[1])); });
    Value sum = c.reduce(exps, {dim}, /*keepdim=*/true, ReduceKind::Sum);
    if (logOf)
      return mapIn(c, t, {Lowered(x), Lowered(max), Lowered(sum)}, outType,
                   [](ElementBuilder &e, ValueRange v) {
                     return e.sub(e.sub(v[0], v[1]), e.log(v[2]));
                   });
    return mapIn(c, t, {Lowered(exps), Lowered(sum)}, outType,
                 [](ElementBuilder &e, ValueRange v) { return e.div(v[0], v[1]); });
  };
}

/// out[i..., d] = weight[input[i...], d], read with tensor.extract. Indices out of range are
/// undefined behaviour in compiled code, as in torch's CPU kernels without checks.
static Lowered lowerEmbedding(LoweringContext &c, const LoweredArgs &a) {
  if (!a.isNone("max_norm"))
    throw OpError("embedding: max_norm renormalises the weight in place; not supported");
  mlir::RankedTensorType outType = c.result();
  Value idx = a.tensor("input"), w = c.castTensor(a.tensor("weight"), outType.getElementType());
  int64_t rank = outType.getRank();
  mlir::MLIRContext *ctx = c.b.getContext();
  llvm::SmallVector<mlir::AffineExpr> idxExprs;
  for (int64_t i = 0; i + 1 < rank; ++i)
    idxExprs.push_back(c.b.getAffineDimExpr(i));
  llvm::SmallVector<mlir::AffineMap> maps{mlir::AffineMap::get(rank, 0, idxExprs, ctx),
                                          c.b.getMultiDimIdentityMap(rank)};
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank, mlir::utils::IteratorType::parallel);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{idx}, ValueRange{c.empty(outType)},
             maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               Value row = mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), v[0]);
               Value col = mlir::linalg::IndexOp::create(b, l, rank - 1);
               Value e = mlir::tensor::ExtractOp::create(b, l, w, ValueRange{row, col});
               mlir::linalg::YieldOp::create(b, l, e);
             })
      .getResult(0);
}

static Tensor softmax(const Tensor &x, int64_t dim, bool logOf) {
  DimSplit s = splitAt(x.shape(), wrapDim(dim, x.dim()));
  Tensor out(x.shape(), isFloating(x.dtype()) ? x.dtype() : DType::F32);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      auto at = [&](int64_t k) { return (o * s.size + k) * s.inner + i; };
      double m = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < s.size; ++k)
        m = std::max(m, x[at(k)]);
      double sum = 0;
      for (int64_t k = 0; k < s.size; ++k)
        sum += std::exp(x[at(k)] - m);
      for (int64_t k = 0; k < s.size; ++k)
        out[at(k)] = logOf ? x[at(k)] - m - std::log(sum) : std::exp(x[at(k)] - m) / sum;
    }
  return out.round();
}

void registerNormalizationOps(Registry &r) {
  using K = const BoundArgs &;
  r.addOp("torch.nn.functional.batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, "
          "Tensor? weight=None, Tensor? bias=None, bool training=False, float momentum=0.1, "
          "float eps=1e-05)",
          {}, [](K a) {
            if (a.toBool("training"))
              throw OpError("batch_norm with training=True is not supported; the interpreter "
                            "runs models in eval mode");
            const Tensor &x = a.tensor("input");
            if (x.dim() < 2)
              throw OpError("batch_norm: expected at least 2-D input");
            const Tensor &mean = a.tensor("running_mean"), &var = a.tensor("running_var");
            double eps = a.toDouble("eps");
            DimSplit s = splitAt(x.shape(), 1);
            for (const char *name : {"running_mean", "running_var", "weight", "bias"})
              if (!a.isNone(name) && a.tensor(name).numel() != s.size)
                throw OpError(std::string("batch_norm: ") + name + " has " +
                              std::to_string(a.tensor(name).numel()) + " elements for " +
                              std::to_string(s.size) + " channels");
            Tensor out(x.shape(), x.dtype());
            for (int64_t o = 0; o < s.outer; ++o)
              for (int64_t c = 0; c < s.size; ++c) {
                double scale = 1 / std::sqrt(var[c] + eps);
                double w = a.isNone("weight") ? 1.0 : a.tensor("weight")[c];
                double b = a.isNone("bias") ? 0.0 : a.tensor("bias")[c];
                for (int64_t i = 0; i < s.inner; ++i) {
                  int64_t idx = (o * s.size + c) * s.inner + i;
                  out[idx] = (x[idx] - mean[c]) * scale * w + b;
                }
              }
            return PyValue(out.round());
          }).lowerWith(lowerBatchNorm);
  r.addOp("torch.nn.functional.layer_norm(Tensor input, int[] normalized_shape, "
          "Tensor? weight=None, Tensor? bias=None, float eps=1e-05)",
          {"torch.layer_norm"}, [](K a) {
            const Tensor &x = a.tensor("input");
            std::vector<int64_t> ns = a["normalized_shape"].toIntList();
            int64_t inner = numElements(ns);
            if ((int64_t)ns.size() > x.dim() ||
                !std::equal(ns.begin(), ns.end(), x.shape().end() - ns.size()))
              throw OpError("layer_norm: normalized_shape " + shapeToString(ns) +
                            " does not match the end of the input shape " +
                            shapeToString(x.shape()));
            double eps = a.toDouble("eps");
            for (const char *name : {"weight", "bias"})
              if (!a.isNone(name) && a.tensor(name).numel() != inner)
                throw OpError(std::string("layer_norm: ") + name + " has " +
                              std::to_string(a.tensor(name).numel()) + " elements, expected " +
                              std::to_string(inner));
            Tensor out(x.shape(), x.dtype());
            for (int64_t o = 0; o < x.numel() / inner; ++o) {
              const double *row = x.data() + o * inner;
              double mean = 0, var = 0;
              for (int64_t i = 0; i < inner; ++i)
                mean += row[i];
              mean /= inner;
              for (int64_t i = 0; i < inner; ++i)
                var += (row[i] - mean) * (row[i] - mean);
              var /= inner;
              double inv = 1 / std::sqrt(var + eps);
              for (int64_t i = 0; i < inner; ++i) {
                double w = a.isNone("weight") ? 1.0 : a.tensor("weight")[i];
                double b = a.isNone("bias") ? 0.0 : a.tensor("bias")[i];
                out[o * inner + i] = (row[i] - mean) * inv * w + b;
              }
            }
            return PyValue(out.round());
          }).lowerWith(lowerLayerNorm);
  auto softmaxKernel = [](bool logOf) {
    return [logOf](K a) {
      if (a.isNone("dim"))
        throw OpError("softmax: implicit dim is deprecated; pass dim");
      Tensor x = a.tensor("input");
      if (!a.isNone("dtype"))
        x = x.to(a["dtype"].toDType());
      return PyValue(softmax(x, a.toInt("dim"), logOf));
    };
  };
  r.addOp("torch.nn.functional.softmax(Tensor input, int? dim=None, int _stacklevel=3, "
          "ScalarType? dtype=None)",
          {}, softmaxKernel(false)).lowerWith(softmaxLowering(false));
  r.addOp("torch.softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:softmax"}, softmaxKernel(false)).lowerWith(softmaxLowering(false));
  r.addOp("torch.nn.functional.log_softmax(Tensor input, int? dim=None, int _stacklevel=3, "
          "ScalarType? dtype=None)",
          {}, softmaxKernel(true)).lowerWith(softmaxLowering(true));
  r.addOp("torch.log_softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:log_softmax"}, softmaxKernel(true)).lowerWith(softmaxLowering(true));
  r.addOp("torch.nn.functional.embedding(Tensor input, Tensor weight, int? padding_idx=None, "
          "float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
          "bool sparse=False)",
          {}, [](K a) {
            if (!a.isNone("max_norm"))
              throw OpError("embedding: max_norm renormalises the weight in place; not supported");
            const Tensor &idx = a.tensor("input"), &w = a.tensor("weight");
            if (w.dim() != 2)
              throw OpError("embedding: weight must be 2-D");
            int64_t rows = w.size(0), d = w.size(1);
            Shape shape = idx.shape();
            shape.push_back(d);
            Tensor out(shape, w.dtype());
            for (int64_t i = 0; i < idx.numel(); ++i) {
              int64_t row = (int64_t)idx[i];
              if (row < 0 || row >= rows)
                throw OpError("embedding: index " + std::to_string(row) + " is out of range for " +
                              std::to_string(rows) + " rows");
              for (int64_t j = 0; j < d; ++j)
                out[i * d + j] = w[row * d + j];
            }
            return PyValue(out);
          }).lowerWith(lowerEmbedding);
}

} // namespace fxmlir
