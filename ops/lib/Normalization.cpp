//===- Normalization.cpp - batch_norm, layer_norm, softmax, embedding -----===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

/// Eval-mode batch_norm: the running statistics normalise each channel.
static PyValue batchNorm(const BoundArgs &a) {
  if (a.toBool("training"))
    throw OpError("batch_norm with training=True is not supported; the interpreter "
                  "runs models in eval mode");
  const Tensor &x = a.tensor("input");
  int64_t channels = batchNormChannels(x.shape());
  const Tensor &mean = a.tensor("running_mean"), &var = a.tensor("running_var");
  double eps = a.toDouble("eps");
  for (const char *name : {"running_mean", "running_var", "weight", "bias"})
    if (!a.isNone(name))
      checkBatchNormArg(name, a.tensor(name).numel(), channels);
  DimSplit s = splitAt(x.shape(), 1);
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
}

static PyValue layerNorm(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  int64_t inner = layerNormSize(x.shape(), a["normalized_shape"].toIntList());
  double eps = a.toDouble("eps");
  for (const char *name : {"weight", "bias"})
    if (!a.isNone(name))
      checkLayerNormArg(name, a.tensor(name).numel(), inner);
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
}

static Tensor softmax(const Tensor &x, int64_t dim, bool logOf) {
  DimSplit s = splitAt(x.shape(), dim);
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

/// The kernel of softmax (or log_softmax when `logOf`), converting to dtype= first.
static Kernel softmaxKernel(bool logOf) {
  return [logOf](const BoundArgs &a) {
    Tensor x = a.tensor("input");
    int64_t dim = softmaxDim(a["dim"], x.dim());
    if (!a.isNone("dtype"))
      x = x.to(a["dtype"].toDType());
    return PyValue(softmax(x, dim, logOf));
  };
}

static PyValue embedding(const BoundArgs &a) {
  checkEmbeddingMaxNorm(a["max_norm"]);
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
}

static void registerNorms(Registry &r) {
  r.addOp("torch.nn.functional.batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, "
          "Tensor? weight=None, Tensor? bias=None, bool training=False, float momentum=0.1, "
          "float eps=1e-05)",
          {}, batchNorm)
      .lowerWith("batch_norm")
      .withSamples({"T(2, 3, 4, 4), T(3), T(3, low=0.5, high=2)",
                    "T(4, 3), T(3), T(3, low=0.5, high=2), T(3), T(3)",
                    "T(2, 3, 5, dtype='f64'), T(3, dtype='f64'), T(3, dtype='f64', low=0.5, "
                    "high=2), weight=T(3, dtype='f64'), bias=T(3, dtype='f64'), eps=0.001",
                    "T(1, 2, 3, 3), T(2), T(2, low=0.5, high=2), None, T(2), False, 0.3, 0.1"});
  r.addOp("torch.nn.functional.layer_norm(Tensor input, int[] normalized_shape, "
          "Tensor? weight=None, Tensor? bias=None, float eps=1e-05)",
          {"torch.layer_norm"}, layerNorm)
      .lowerWith("layer_norm")
      .withSamples({"T(2, 3, 4), [4]", "T(2, 3, 4), (3, 4), T(3, 4), T(3, 4)",
                    "T(4, 5, dtype='f64'), [5], weight=T(5, dtype='f64'), eps=0.001",
                    "T(3, 4), [4], None, T(4), 0.1"});
}

/// torch.nn.functional's spelling has a `_stacklevel` torch's lacks; both share a lowering.
static void registerSoftmaxes(Registry &r) {
  r.addOp("torch.nn.functional.softmax(Tensor input, int? dim=None, int _stacklevel=3, "
          "ScalarType? dtype=None)",
          {}, softmaxKernel(false))
      .lowerWith("softmax")
      .withSamples({"T(2, 3, 4), dim=1", "T(3, 5), -1", "T(4, 5), dim=0, dtype=torch.float64",
                    "T(3, 4, dtype='i64'), dim=-1, dtype=torch.float32"});
  r.addOp("torch.softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:softmax"}, softmaxKernel(false))
      .lowerWith("softmax")
      .withSamples({"T(2, 3, 4), 1", "T(3, 5), dim=-1", "T(4, dtype='f64'), 0",
                    "T(2, 5), -1, dtype=torch.float64"});
  r.addOp("torch.nn.functional.log_softmax(Tensor input, int? dim=None, int _stacklevel=3, "
          "ScalarType? dtype=None)",
          {}, softmaxKernel(true))
      .lowerWith("log_softmax")
      .withSamples({"T(2, 3, 4), dim=1", "T(3, 5), -1", "T(4, 5), dim=0, dtype=torch.float64",
                    "T(3, 4, dtype='i64'), dim=-1, dtype=torch.float32"});
  r.addOp("torch.log_softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:log_softmax"}, softmaxKernel(true))
      .lowerWith("log_softmax")
      .withSamples({"T(2, 3, 4), 1", "T(3, 5), dim=-1", "T(4, dtype='f64'), 0",
                    "T(2, 5), -1, dtype=torch.float64"});
}

void registerNormalizationOps(Registry &r) {
  registerNorms(r);
  registerSoftmaxes(r);
  r.addOp("torch.nn.functional.embedding(Tensor input, Tensor weight, int? padding_idx=None, "
          "float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
          "bool sparse=False)",
          {}, embedding)
      .lowerWith("embedding")
      .withSamples({"T(2, 3, dtype='i64', low=0, high=10), T(10, 4)",
                    "T(5, dtype='i64', low=0, high=6), T(6, 3, dtype='f64'), padding_idx=0",
                    "T(dtype='i64', low=0, high=4), T(4, 5)",
                    "T(2, 2, dtype='i32', low=0, high=7), T(7, 2), -1, scale_grad_by_freq=True"});
}

} // namespace fxmlir
