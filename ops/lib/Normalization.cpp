//===- Normalization.cpp - batch_norm, layer_norm, softmax, embedding -----===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

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
          });
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
          });
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
          {}, softmaxKernel(false));
  r.addOp("torch.softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:softmax"}, softmaxKernel(false));
  r.addOp("torch.nn.functional.log_softmax(Tensor input, int? dim=None, int _stacklevel=3, "
          "ScalarType? dtype=None)",
          {}, softmaxKernel(true));
  r.addOp("torch.log_softmax(Tensor input, int? dim=None, ScalarType? dtype=None)",
          {"method:log_softmax"}, softmaxKernel(true));
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
          });
}

} // namespace fxmlir
