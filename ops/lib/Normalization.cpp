//===- Normalization.cpp - batch_norm, layer_norm, softmax, embedding -----===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

/// A per-channel element of an optional weight or bias, `fallback` where it is None.
static Element channelValue(const PyValue &t, int64_t c, Element fallback) {
  return t.isNone() ? fallback : t.tensor()[c];
}

/// Normalises each channel (dim 1) of `x` by given statistics: eval-mode batch_norm and
/// instance_norm with running statistics.
static Tensor normalizeChannels(const Tensor &x, const Tensor &mean, const Tensor &var,
                                const PyValue &weight, const PyValue &bias, Element eps) {
  DimSplit s = splitAt(x.shape(), 1);
  Tensor out(x.shape(), x.dtype());
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t c = 0; c < s.size; ++c) {
      Element scale = 1 / std::sqrt(var[c] + eps);
      Element w = channelValue(weight, c, 1.0), b = channelValue(bias, c, 0.0);
      for (int64_t i = 0; i < s.inner; ++i) {
        int64_t idx = (o * s.size + c) * s.inner + i;
        out[idx] = (x[idx] - mean[c]) * scale * w + b;
      }
    }
  return out.round();
}

/// Eval-mode batch_norm: the running statistics normalise each channel.
static PyValue batchNorm(const BoundArgs &a) {
  if (a.toBool("training"))
    throw OpError("batch_norm with training=True is not supported; the interpreter "
                  "runs models in eval mode");
  const Tensor &x = a.tensor("input");
  int64_t channels = batchNormChannels(x.shape());
  for (const char *name : {"running_mean", "running_var", "weight", "bias"})
    if (!a.isNone(name))
      checkBatchNormArg(name, a.tensor(name).numel(), channels);
  return PyValue(normalizeChannels(x, a.tensor("running_mean"), a.tensor("running_var"),
                                   a["weight"], a["bias"], a.toDouble("eps")));
}

/// Mean and biased variance of `n` contiguous elements.
static std::pair<Element, Element> moments(const Element *row, int64_t n) {
  Element mean = 0, var = 0;
  for (int64_t i = 0; i < n; ++i)
    mean += row[i];
  mean /= n;
  for (int64_t i = 0; i < n; ++i)
    var += (row[i] - mean) * (row[i] - mean);
  return {mean, var / n};
}

/// group_norm: each run of `g.size` elements normalised by its own statistics, then scaled
/// and shifted per channel.
/// Each run's mean and 1 / std go to `stats` when given (native_group_norm returns them).
struct NormStats {
  Tensor mean, rstd;
};
static Tensor groupNormalize(const Tensor &x, const GroupNormShape &g, const PyValue &weight,
                             const PyValue &bias, Element eps, NormStats *stats = nullptr) {
  for (const PyValue *t : {&weight, &bias})
    if (!t->isNone())
      checkBatchNormArg(t == &weight ? "weight" : "bias", t->tensor().numel(), g.channels);
  Tensor out(x.shape(), x.dtype());
  int64_t perGroup = g.channels / g.groups, perChannel = g.size / perGroup;
  for (int64_t run = 0; run * g.size < x.numel(); ++run) {
    const Element *row = x.data() + run * g.size;
    auto [mean, var] = moments(row, g.size);
    Element inv = 1 / std::sqrt(var + eps);
    if (stats) {
      stats->mean[run] = mean;
      stats->rstd[run] = inv;
    }
    for (int64_t i = 0; i < g.size; ++i) {
      int64_t c = (run % g.groups) * perGroup + i / perChannel;
      out[run * g.size + i] =
          (row[i] - mean) * inv * channelValue(weight, c, 1.0) + channelValue(bias, c, 0.0);
    }
  }
  return out.round();
}

static PyValue groupNorm(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  GroupNormShape g = groupNormShape("group_norm", x.shape(), a.toInt("num_groups"));
  return PyValue(groupNormalize(x, g, a["weight"], a["bias"], a.toDouble("eps")));
}

/// instance_norm: each (sample, channel) by its own statistics, or by the running ones when
/// use_input_stats is False.
static PyValue instanceNorm(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  int64_t channels = batchNormChannels(x.shape());
  checkInstanceNormStats(a.toBool("use_input_stats"), !a.isNone("running_mean"),
                         !a.isNone("running_var"));
  if (!a.toBool("use_input_stats")) {
    for (const char *name : {"running_mean", "running_var", "weight", "bias"})
      if (!a.isNone(name))
        checkBatchNormArg(name, a.tensor(name).numel(), channels);
    return PyValue(normalizeChannels(x, a.tensor("running_mean"), a.tensor("running_var"),
                                     a["weight"], a["bias"], a.toDouble("eps")));
  }
  GroupNormShape g = groupNormShape("instance_norm", x.shape(), channels);
  return PyValue(groupNormalize(x, g, a["weight"], a["bias"], a.toDouble("eps")));
}

/// layer_norm over the trailing `normalizedShape`; each row's mean and 1 / std go to `stats`
/// when given.
static Tensor layerNormalize(const BoundArgs &a, NormStats *stats = nullptr) {
  const Tensor &x = a.tensor("input");
  int64_t inner = layerNormSize(x.shape(), a["normalized_shape"].toIntList());
  Element eps = a.toDouble("eps");
  for (const char *name : {"weight", "bias"})
    if (!a.isNone(name))
      checkLayerNormArg(name, a.tensor(name).numel(), inner);
  Tensor out(x.shape(), x.dtype());
  for (int64_t o = 0; o < x.numel() / inner; ++o) {
    const Element *row = x.data() + o * inner;
    auto [mean, var] = moments(row, inner);
    Element inv = 1 / std::sqrt(var + eps);
    if (stats) {
      stats->mean[o] = mean;
      stats->rstd[o] = inv;
    }
    for (int64_t i = 0; i < inner; ++i) {
      Element w = a.isNone("weight") ? 1.0 : a.tensor("weight")[i];
      Element b = a.isNone("bias") ? 0.0 : a.tensor("bias")[i];
      out[o * inner + i] = (row[i] - mean) * inv * w + b;
    }
  }
  return out.round();
}

static PyValue layerNorm(const BoundArgs &a) { return PyValue(layerNormalize(a)); }

/// Statistics tensors of `shape` in `x`'s dtype, to be filled.
static NormStats statsOf(const Shape &shape, DType dtype) {
  return {Tensor(shape, dtype), Tensor(shape, dtype)};
}

static PyValue statsTuple(const Tensor &out, NormStats &stats) {
  return PyValue::tuple({PyValue(out), PyValue(stats.mean.round()), PyValue(stats.rstd.round())});
}

/// aten.native_layer_norm: the output, and each row's mean and 1 / std shaped as the input
/// with the normalised dims 1.
static PyValue nativeLayerNorm(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  NormStats stats = statsOf(
      layerNormStatsShape(x.shape(), a["normalized_shape"].toIntList()), x.dtype());
  Tensor out = layerNormalize(a, &stats);
  return statsTuple(out, stats);
}

/// aten.native_group_norm: the output and each (sample, group)'s mean and 1 / std, [N, group].
static PyValue nativeGroupNorm(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  GroupNormShape g = nativeGroupNormShape(x.shape(), a.toInt("N"), a.toInt("C"),
                                          a.toInt("HxW"), a.toInt("group"));
  NormStats stats = statsOf({a.toInt("N"), g.groups}, x.dtype());
  Tensor out = groupNormalize(x, g, a["weight"], a["bias"], a.toDouble("eps"), &stats);
  return statsTuple(out, stats);
}

/// aten.native_batch_norm in eval mode: the output and, as torch's CPU kernel returns
/// without training, empty saved statistics.
static PyValue nativeBatchNorm(const BoundArgs &a) {
  DType dtype = a.tensor("input").dtype();
  return PyValue::tuple({batchNorm(a), PyValue(Tensor({0}, dtype)), PyValue(Tensor({0}, dtype))});
}

static Tensor softmax(const Tensor &x, int64_t dim, bool logOf) {
  DimSplit s = splitAt(x.shape(), dim);
  Tensor out(x.shape(), isFloating(x.dtype()) ? x.dtype() : DType::F32);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      auto at = [&](int64_t k) { return (o * s.size + k) * s.inner + i; };
      Element m = -std::numeric_limits<Element>::infinity();
      for (int64_t k = 0; k < s.size; ++k)
        m = std::max(m, x[at(k)]);
      Element sum = 0;
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
    if (a.has("dtype") && !a.isNone("dtype"))
      x = x.to(a["dtype"].toDType());
    if (a.has("half_to_float") && a.toBool("half_to_float"))
      throw OpError("_softmax with half_to_float=True: float16 inputs are not supported yet");
    return PyValue(softmax(x, dim, logOf));
  };
}

/// aten's softmax gradients from the forward's output y along `dim`: y * (g - sum(g * y)), or
/// for log_softmax g - exp(y) * sum(g); converted to input_dtype as torch does.
static Kernel softmaxBackwardKernel(bool logOf) {
  return [logOf](const BoundArgs &a) {
    const Tensor &g = a.tensor("grad_output"), &y = a.tensor("output");
    if (g.shape() != y.shape())
      throw OpError("softmax backward: grad_output of shape " + shapeToString(g.shape()) +
                    " does not match output of shape " + shapeToString(y.shape()));
    DimSplit s = splitAt(g.shape(), softmaxDim(a["dim"], g.dim()));
    Tensor out(g.shape(), promoteTypes(g.dtype(), y.dtype()));
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        auto at = [&](int64_t k) { return (o * s.size + k) * s.inner + i; };
        Element sum = 0;
        for (int64_t k = 0; k < s.size; ++k)
          sum += logOf ? g[at(k)] : g[at(k)] * y[at(k)];
        for (int64_t k = 0; k < s.size; ++k)
          out[at(k)] = logOf ? g[at(k)] - std::exp(y[at(k)]) * sum : y[at(k)] * (g[at(k)] - sum);
      }
    return PyValue(out.round().to(a["input_dtype"].toDType()));
  };
}

static PyValue embedding(const BoundArgs &a) {
  if (a.has("max_norm")) // aten.embedding has none
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

/// embedding_bag: the weight's rows at each bag's indices (those at padding_idx left out)
/// summed (weighted by per_sample_weights), averaged or maxed; an empty bag gives zeros. A 2-D
/// input's rows are its bags; a 1-D input's bags start at `offsets` and end at the next one
/// (the last: at include_last_offset's final offset, or with the input).
static PyValue embeddingBag(const BoundArgs &a) {
  checkEmbeddingMaxNorm(a["max_norm"], "embedding_bag");
  const Tensor &idx = a.tensor("input"), &w = a.tensor("weight");
  auto shapeIfAny = [&](const char *name) {
    return a.isNone(name) ? std::nullopt : std::optional<Shape>(a.tensor(name).shape());
  };
  BagMode mode = bagMode(a["mode"]);
  int64_t bags = embeddingBagCount(idx.shape(), shapeIfAny("offsets"), w.shape(), mode,
                                   shapeIfAny("per_sample_weights"),
                                   a.toBool("include_last_offset"));
  int64_t rows = w.size(0), d = w.size(1), n = idx.numel();
  int64_t padding = embeddingBagPaddingIdx(a["padding_idx"], rows);
  Tensor out({bags, d}, w.dtype());
  for (int64_t b = 0; b < bags; ++b) {
    int64_t begin = b * n / bags, end = (b + 1) * n / bags;
    if (idx.dim() == 1) {
      const Tensor &offsets = a.tensor("offsets");
      begin = (int64_t)offsets[b];
      end = b + 1 < offsets.numel() ? (int64_t)offsets[b + 1] : n;
    }
    if (begin < 0 || begin > end || end > n)
      throw OpError("embedding_bag: bag " + std::to_string(b) + " spans indices [" +
                    std::to_string(begin) + ", " + std::to_string(end) + ") of " +
                    std::to_string(n) + "; offsets must start at 0 and not decrease");
    Element *row = out.data() + b * d;
    std::fill(row, row + d, mode == BagMode::Max ? -INFINITY : 0.0);
    int64_t count = 0;
    for (int64_t i = begin; i < end; ++i) {
      int64_t r = (int64_t)idx[i];
      if (r < 0 || r >= rows)
        throw OpError("embedding_bag: index " + std::to_string(r) + " is out of range for " +
                      std::to_string(rows) + " rows");
      if (r == padding)
        continue;
      ++count;
      Element scale = a.isNone("per_sample_weights") ? 1.0 : a.tensor("per_sample_weights")[i];
      for (int64_t j = 0; j < d; ++j) {
        Element v = w[r * d + j] * scale;
        row[j] = mode == BagMode::Max ? std::max(row[j], v) : row[j] + v;
      }
    }
    for (int64_t j = 0; j < d; ++j)
      row[j] = count == 0 ? 0.0 : mode == BagMode::Mean ? row[j] / count : row[j];
  }
  return PyValue(out.round());
}

/// The p-norm of `n` values `stride` apart: max |v| for inf, the non-zero count for 0.
static Element pNorm(const Element *v, int64_t n, int64_t stride, Element p) {
  Element acc = std::isinf(p) && p < 0 ? std::numeric_limits<Element>::infinity() : 0.0;
  for (int64_t k = 0; k < n; ++k) {
    Element m = std::fabs(v[k * stride]);
    if (std::isinf(p))
      acc = p > 0 ? std::max(acc, m) : std::min(acc, m);
    else
      acc += p == 0 ? (m != 0) : std::pow(m, p);
  }
  return std::isinf(p) || p == 0 ? acc : std::pow(acc, 1 / p);
}

/// The p-norm of `x` along `dim` (kept as size 1).
static Tensor normAlong(const Tensor &x, int64_t dim, Element p) {
  DimSplit s = splitAt(x.shape(), dim);
  Shape shape = x.shape();
  if (!shape.empty())
    shape[dim] = 1;
  Tensor out(shape, x.dtype());
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i)
      out[o * s.inner + i] = pNorm(x.data() + o * s.size * s.inner + i, s.size, s.inner, p);
  return out;
}

/// F.normalize: x / max(||x||_p along dim, eps).
static PyValue normalize(const BoundArgs &a) {
  if (!a.isNone("out"))
    throw OpError("normalize: out= is not supported");
  const Tensor &x = a.tensor("input");
  int64_t dim = normDim(x.shape(), a.toInt("dim"));
  Element eps = a.toDouble("eps");
  Tensor norm = normAlong(x, dim, a.toDouble("p"));
  return binary(PyValue(x), PyValue(norm),
                [eps](Element v, Element n) { return v / std::max(n, eps); }, false);
}

/// Tensors broadcast together: each one's flat index for every element of `shape`.
struct Broadcast {
  Shape shape;
  std::vector<std::vector<int64_t>> index;
};
static Broadcast broadcastAll(const std::vector<const Tensor *> &ts) {
  Broadcast b;
  for (const Tensor *t : ts)
    b.shape = broadcastShapes(b.shape, t->shape());
  for (const Tensor *t : ts)
    b.index.push_back(broadcastIndex(*t, b.shape));
  return b;
}

/// A loss's reduction; huber_loss has no legacy size_average and reduce.
static LossReduction reductionOf(const BoundArgs &a, bool allowBatchMean = false) {
  if (a.getSchema().find("size_average") < 0)
    return lossReduction(PyValue::none(), PyValue::none(), a["reduction"]);
  return lossReduction(a["size_average"], a["reduce"], a["reduction"], allowBatchMean);
}

/// A loss per element reduced as `r` (a mean of nothing is NaN, as torch); `input`'s shape
/// gives batchmean's divisor.
static Tensor reduceLoss(const Tensor &loss, LossReduction r, const Shape &input = {}) {
  if (r == LossReduction::None)
    return loss;
  Element sum = 0;
  for (int64_t i = 0; i < loss.numel(); ++i)
    sum += loss[i];
  Tensor out({}, loss.dtype(), sum / lossDivisor(r, input, loss.shape()));
  return out.round();
}

/// A loss of elementwise `f(input, target, extra...)`, broadcast, in the promoted floating
/// dtype; `extras` names optional tensors (weight, pos_weight), NaN-free 1.0 where None.
using LossFn = std::function<Element(const std::vector<Element> &)>;
static Tensor pointwiseLoss(const char *op, const BoundArgs &a, const LossFn &f,
                            const std::vector<const char *> &extras = {}) {
  const Tensor &x = a.tensor("input"), &y = a.tensor("target");
  DType dtype = promoteTypes(x.dtype(), y.dtype());
  checkLossDType(op, dtype);
  std::vector<const Tensor *> ts{&x, &y};
  Tensor one({}, dtype, 1.0);
  for (const char *name : extras)
    ts.push_back(a.isNone(name) ? &one : &a.tensor(name));
  Broadcast b = broadcastAll(ts);
  Tensor loss(b.shape, dtype);
  std::vector<Element> v(ts.size());
  for (int64_t i = 0; i < loss.numel(); ++i) {
    for (size_t k = 0; k < ts.size(); ++k)
      v[k] = (*ts[k])[b.index[k][i]];
    loss[i] = f(v);
  }
  return loss.round();
}

/// The kernel of a loss of elementwise `makeFn(args)`.
static Kernel lossKernel(const char *op, std::function<LossFn(const BoundArgs &)> makeFn,
                         std::vector<const char *> extras = {}) {
  return [=](const BoundArgs &a) {
    return PyValue(reduceLoss(pointwiseLoss(op, a, makeFn(a), extras), reductionOf(a)));
  };
}

static LossFn mseFn(const BoundArgs &) {
  return [](const std::vector<Element> &v) { return (v[0] - v[1]) * (v[0] - v[1]); };
}
static LossFn l1Fn(const BoundArgs &) {
  return [](const std::vector<Element> &v) { return std::fabs(v[0] - v[1]); };
}
static LossFn smoothL1Fn(const BoundArgs &a) {
  double beta = a.toDouble("beta");
  checkLossThreshold("smooth_l1_loss", "beta", beta, /*zeroAllowed=*/true);
  return [beta](const std::vector<Element> &v) {
    Element d = std::fabs(v[0] - v[1]);
    return d < beta ? 0.5 * d * d / beta : d - 0.5 * beta;
  };
}
static LossFn huberFn(const BoundArgs &a) {
  double delta = a.toDouble("delta");
  checkLossThreshold("huber_loss", "delta", delta, /*zeroAllowed=*/false);
  return [delta](const std::vector<Element> &v) {
    Element d = std::fabs(v[0] - v[1]);
    return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  };
}
/// torch clamps the logs at -100 so that a certain wrong prediction costs 100, not inf.
static LossFn bceFn(const BoundArgs &a) {
  checkSameLossShape("binary_cross_entropy", a.tensor("input").shape(),
                     a.tensor("target").shape());
  return [](const std::vector<Element> &v) {
    Element x = v[0], y = v[1];
    return -v[2] * (y * std::max<Element>(std::log(x), -100) + (1 - y) * std::max<Element>(std::log1p(-x), -100));
  };
}
/// (1 - y) x + (1 + (pw - 1) y) log(1 + e^-x), with log(1 + e^-x) computed stably.
static LossFn bceLogitsFn(const BoundArgs &a) {
  checkSameLossShape("binary_cross_entropy_with_logits", a.tensor("input").shape(),
                     a.tensor("target").shape());
  return [](const std::vector<Element> &v) {
    Element x = v[0], y = v[1], logWeight = (v[3] - 1) * y + 1;
    Element softplus = std::log1p(std::exp(-std::fabs(x))) + std::max<Element>(-x, 0);
    return v[2] * ((1 - y) * x + logWeight * softplus);
  };
}
static LossFn klDivFn(const BoundArgs &a) {
  bool logTarget = a.toBool("log_target");
  return [logTarget](const std::vector<Element> &v) {
    Element x = v[0], y = v[1];
    if (logTarget)
      return std::exp(y) * (y - x);
    return (y == 0 ? 0.0 : y * std::log(y)) - y * x; // xlogy(y, y) - y x
  };
}

/// kl_div: F.kl_div's 'batchmean' is the sum divided by the batch size.
static PyValue klDiv(const BoundArgs &a) {
  LossReduction r = reductionOf(a, /*allowBatchMean=*/true);
  return PyValue(reduceLoss(pointwiseLoss("kl_div", a, klDivFn(a)), r, a.tensor("input").shape()));
}

/// nll_loss on log-probabilities: -weight[t] * input[t] per target t (0 where ignored); the
/// mean divides by the weights of the targets not ignored.
/// nll_loss's terms: the loss per target element and the sum of the weights not ignored.
struct NllTerms {
  Tensor loss;
  Element weightSum = 0;
};

/// Class indices are int64, as torch's nll_loss kernels check.
static void checkClassTarget(const char *op, const Tensor &target) {
  if (target.dtype() != DType::I64)
    throw OpError(std::string(op) + ": expected scalar type Long but found " +
                  dtypeName(target.dtype()));
}

static NllTerms nllTerms(const Tensor &x, const Tensor &target, const PyValue &weight,
                         int64_t ignoreIndex) {
  checkClassTarget("nll_loss", target);
  std::optional<int64_t> weightNumel;
  if (!weight.isNone())
    weightNumel = weight.tensor().numel();
  ClassLossShape s = classLossShape("nll_loss", x.shape(), target.shape(), weightNumel);
  Tensor loss(s.perElement, x.dtype());
  Element weightSum = 0;
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t k = 0; k < s.inner; ++k) {
      int64_t i = n * s.inner + k, t = (int64_t)target[i];
      if (t == ignoreIndex)
        continue;
      if (t < 0 || t >= s.classes)
        throw OpError("Target " + std::to_string(t) + " is out of bounds.");
      Element w = channelValue(weight, t, 1.0);
      loss[i] = -w * x[(n * s.classes + t) * s.inner + k];
      weightSum += w;
    }
  return {loss.round(), weightSum};
}

static Tensor nllLoss(const Tensor &x, const Tensor &target, const PyValue &weight,
                      int64_t ignoreIndex, LossReduction r) {
  NllTerms terms = nllTerms(x, target, weight, ignoreIndex);
  if (r != LossReduction::Mean)
    return reduceLoss(terms.loss, r);
  Tensor sum = reduceLoss(terms.loss, LossReduction::Sum);
  sum[0] /= terms.weightSum;
  return sum.round();
}

/// aten.nll_loss_forward: (the loss, the total weight, 0 without a reduction).
static PyValue nllLossForward(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  checkLossDType("nll_loss", x.dtype());
  LossReduction r = reductionOf(a);
  NllTerms terms = nllTerms(x, a.tensor("target"), a["weight"], a.toInt("ignore_index"));
  Tensor total({}, x.dtype(), r == LossReduction::None ? 0.0 : terms.weightSum);
  return PyValue::tuple({PyValue(nllLoss(x, a.tensor("target"), a["weight"],
                                         a.toInt("ignore_index"), r)),
                         PyValue(total.round())});
}

/// aten.nll_loss_backward: d loss / d input, -weight[t] * grad (over the total weight for a
/// mean) at each target's class, 0 elsewhere.
static PyValue nllLossBackward(const BoundArgs &a) {
  const Tensor &x = a.tensor("input"), &target = a.tensor("target"), &g = a.tensor("grad_output");
  checkClassTarget("nll_loss_backward", target);
  const PyValue &weight = a["weight"];
  LossReduction r = reductionOf(a);
  std::optional<int64_t> weightNumel;
  if (!weight.isNone())
    weightNumel = weight.tensor().numel();
  ClassLossShape s = classLossShape("nll_loss_backward", x.shape(), target.shape(), weightNumel);
  Element scale = r == LossReduction::Mean ? 1.0 / a.tensor("total_weight")[0] : 1.0;
  Tensor grad(x.shape(), x.dtype());
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t k = 0; k < s.inner; ++k) {
      int64_t i = n * s.inner + k, t = (int64_t)target[i];
      if (t == a.toInt("ignore_index"))
        continue;
      if (t < 0 || t >= s.classes)
        throw OpError("Target " + std::to_string(t) + " is out of bounds.");
      Element go = r == LossReduction::None ? g[i] : g[0];
      grad[(n * s.classes + t) * s.inner + k] = -channelValue(weight, t, 1.0) * go * scale;
    }
  return PyValue(grad.round());
}

static PyValue nllLossKernel(const BoundArgs &a) {
  const Tensor &x = a.tensor("input");
  checkLossDType("nll_loss", x.dtype());
  return PyValue(nllLoss(x, a.tensor("target"), a["weight"], a.toInt("ignore_index"),
                         reductionOf(a)));
}

/// -sum over classes of logp * q (q: the target's probabilities or 1) * weight, per sample;
/// `ignored` positions (class-index targets equal to ignore_index) give 0.
static Tensor classSum(const Tensor &logp, int64_t classDim, const Tensor *q,
                       const PyValue &weight, const std::function<bool(int64_t)> &ignored) {
  DimSplit s = splitAt(logp.shape(), classDim);
  Shape shape = logp.shape();
  shape.erase(shape.begin() + classDim);
  Tensor out(shape, logp.dtype());
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      if (ignored(o * s.inner + i))
        continue;
      Element acc = 0;
      for (int64_t c = 0; c < s.size; ++c) {
        int64_t idx = (o * s.size + c) * s.inner + i;
        acc += logp[idx] * (q ? (*q)[idx] : 1.0) * channelValue(weight, c, 1.0);
      }
      out[o * s.inner + i] = -acc;
    }
  return out.round();
}

/// cross_entropy = nll_loss(log_softmax(input)), mixed with the uniform distribution by
/// label_smoothing as torch's cross_entropy_loss_label_smoothing does.
static PyValue crossEntropy(const BoundArgs &a) {
  const Tensor &x = a.tensor("input"), &target = a.tensor("target");
  checkLossDType("cross_entropy", x.dtype());
  LossReduction r = reductionOf(a);
  int64_t classDim = x.dim() >= 2 ? 1 : 0, ignoreIndex = a.toInt("ignore_index");
  double ls = a.toDouble("label_smoothing");
  if (ls < 0 || ls > 1)
    throw OpError("label_smoothing must be between 0.0 and 1.0. Got: " + std::to_string(ls));
  Tensor logp = softmax(x, normDim(x.shape(), classDim), /*logOf=*/true);
  int64_t classes = x.dim() ? x.size(classDim) : 1;
  const PyValue &weight = a["weight"];
  if (crossEntropyTakesProbabilities(x.shape(), target.shape(), target.dtype(), ignoreIndex)) {
    Tensor q = unary(target, [&](Element p) { return p * (1 - ls) + ls / classes; });
    Tensor loss = classSum(logp, classDim, &q, weight, [](int64_t) { return false; });
    Tensor out = reduceLoss(loss, r == LossReduction::Mean ? LossReduction::Sum : r);
    if (r == LossReduction::Mean)
      out[0] /= (Element)x.numel() / classes;
    return PyValue(out.round());
  }
  Tensor nll = nllLoss(logp, target, weight, ignoreIndex, r);
  if (ls == 0)
    return PyValue(nll);
  auto ignored = [&](int64_t i) { return (int64_t)target[i] == ignoreIndex; };
  Tensor smooth = classSum(logp, classDim, nullptr, weight, ignored);
  Tensor reduced = reduceLoss(smooth, r == LossReduction::Mean && !weight.isNone()
                                          ? LossReduction::Sum : r);
  if (r == LossReduction::Mean && !weight.isNone()) {
    Element weightSum = 0;
    for (int64_t i = 0; i < target.numel(); ++i)
      if (!ignored(i))
        weightSum += weight.tensor()[(int64_t)target[i]];
    reduced[0] /= weightSum;
  }
  return binary(PyValue(nll), PyValue(reduced.round()), [&](Element n, Element s) {
    return (1 - ls) * n + s * (ls / classes);
  }, false);
}

/// cosine_similarity: x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along dim, broadcast.
static PyValue cosineSimilarity(const BoundArgs &a) {
  const Tensor &x1 = a.tensor("x1"), &x2 = a.tensor("x2");
  Broadcast b = broadcastAll({&x1, &x2});
  int64_t dim = normDim(b.shape, a.toInt("dim"));
  Element eps = a.toDouble("eps");
  DimSplit s = splitAt(b.shape, dim);
  Shape shape = b.shape;
  if (!shape.empty())
    shape.erase(shape.begin() + dim);
  DType dtype = promoteTypes(x1.dtype(), x2.dtype());
  Tensor out(shape, isFloating(dtype) ? dtype : DType::F32);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      Element dot = 0, n1 = 0, n2 = 0;
      for (int64_t k = 0; k < s.size; ++k) {
        int64_t idx = (o * s.size + k) * s.inner + i;
        Element u = x1[b.index[0][idx]], v = x2[b.index[1][idx]];
        dot += u * v, n1 += u * u, n2 += v * v;
      }
      out[o * s.inner + i] = dot / (std::max(std::sqrt(n1), eps) * std::max(std::sqrt(n2), eps));
    }
  return PyValue(out.round());
}

/// pairwise_distance: ||x1 - x2 + eps||_p along the last dim.
static PyValue pairwiseDistance(const BoundArgs &a) {
  Element eps = a.toDouble("eps");
  PyValue diff = binary(a["x1"], a["x2"], [eps](Element u, Element v) { return u - v + eps; },
                        false);
  const Tensor &d = diff.tensor();
  int64_t dim = pairwiseDistanceDim(d.shape());
  Tensor norm = normAlong(d, dim, a.toDouble("p")).round();
  if (a.toBool("keepdim"))
    return PyValue(norm);
  Shape shape = d.shape();
  shape.erase(shape.begin() + dim);
  return PyValue(norm.reshape(shape));
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
  // aten's (and torch.batch_norm's) order: the affine parameters before the statistics.
  r.addOp("torch.batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, "
          "Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled)",
          atenSpellings("batch_norm"), batchNorm)
      .lowerWith("batch_norm")
      .withSamples({"T(2, 3, 4, 4), T(3), T(3), T(3), T(3, low=0.5, high=2), False, 0.1, 1e-05, "
                    "False",
                    "T(4, 3), None, None, T(3), T(3, low=0.5, high=2), False, 0.1, 0.001, True"});
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
          concat({"method:softmax"}, atenSpellings("softmax", {"int"})), softmaxKernel(false))
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
          concat({"method:log_softmax"}, atenSpellings("log_softmax", {"int"})),
          softmaxKernel(true))
      .lowerWith("log_softmax")
      .withSamples({"T(2, 3, 4), 1", "T(3, 5), dim=-1", "T(4, dtype='f64'), 0",
                    "T(2, 5), -1, dtype=torch.float64"});
  // What decompositions call: aten's own softmax, whose third argument is half_to_float.
  for (bool logOf : {false, true}) {
    std::string name = logOf ? "_log_softmax" : "_softmax";
    r.addOp("torch.ops.aten." + name + ".default(Tensor input, int dim, bool half_to_float)",
            {"torch.ops.aten." + name, "torch." + name}, softmaxKernel(logOf))
        .lowerWith(logOf ? "log_softmax" : "softmax")
        .withSamples({"T(2, 3, 4), 1, False", "T(3, 5, dtype='f64'), -1, False"});
  }
  // The gradients training graphs call, from the forward's output (log-probabilities for
  // log_softmax, which the samples need not be: the formula holds for any values).
  for (bool logOf : {false, true}) {
    std::string name = logOf ? "_log_softmax_backward_data" : "_softmax_backward_data";
    r.addOp("torch.ops.aten." + name +
                ".default(Tensor grad_output, Tensor output, int dim, ScalarType input_dtype)",
            {"torch.ops.aten." + name}, softmaxBackwardKernel(logOf))
        .lowerWith(name)
        .withSamples({"T(2, 3, 4), T(2, 3, 4, low=0, high=1), 1, torch.float32",
                      "T(3, 5), T(3, 5, low=-3, high=0), -1, torch.float32",
                      "T(4, 5, dtype='f64'), T(4, 5, dtype='f64', low=0, high=1), 0, "
                      "torch.float64"});
  }
}

/// The aten norms decompositions and training graphs call: each returns its output and the
/// statistics it normalised with.
static void registerNativeNorms(Registry &r) {
  r.addOp("torch.ops.aten.native_layer_norm.default(Tensor input, int[] normalized_shape, "
          "Tensor? weight, Tensor? bias, float eps)",
          {"torch.ops.aten.native_layer_norm", "torch.native_layer_norm"}, nativeLayerNorm)
      .lowerWith("native_layer_norm")
      .withSamples({"T(2, 3, 4), [4], None, None, 1e-05",
                    "T(2, 3, 4), [3, 4], T(3, 4), T(3, 4), 1e-05",
                    "T(4, 5, dtype='f64'), [5], T(5, dtype='f64'), None, 0.001"});
  r.addOp("torch.ops.aten.native_group_norm.default(Tensor input, Tensor? weight, "
          "Tensor? bias, int N, int C, int HxW, int group, float eps)",
          {"torch.ops.aten.native_group_norm", "torch.native_group_norm"}, nativeGroupNorm)
      .lowerWith("native_group_norm")
      .withSamples({"T(2, 6, 4), None, None, 2, 6, 4, 3, 1e-05",
                    "T(2, 4, 3, 3), T(4), T(4), 2, 4, 9, 2, 1e-05",
                    "T(3, 4, dtype='f64'), T(4, dtype='f64'), None, 3, 4, 1, 2, 0.001"});
  r.addOp("torch.ops.aten.native_batch_norm.default(Tensor input, Tensor? weight, "
          "Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, "
          "float momentum, float eps)",
          {"torch.ops.aten.native_batch_norm", "torch.native_batch_norm"}, nativeBatchNorm)
      .lowerWith("native_batch_norm")
      .withSamples({"T(2, 3, 4, 4), T(3), T(3), T(3), T(3, low=0.5, high=2), False, 0.1, 1e-05",
                    "T(4, 3), None, None, T(3), T(3, low=0.5, high=2), False, 0.1, 0.001",
                    "T(2, 3, 5, dtype='f64'), T(3, dtype='f64'), None, T(3, dtype='f64'), "
                    "T(3, dtype='f64', low=0.5, high=2), False, 0.1, 1e-05"});
}


static void registerGroupNorms(Registry &r) {
  r.addOp("torch.group_norm(Tensor input, int num_groups, Tensor? weight=None, "
          "Tensor? bias=None, float eps=1e-05, bool cudnn_enabled=True)",
          {"torch.nn.functional.group_norm", "torch.ops.aten.group_norm",
           "torch.ops.aten.group_norm.default"},
          groupNorm)
      .lowerWith("group_norm")
      .withSamples({"T(2, 6, 4), 3", "T(2, 4, 3, 3), 2, T(4), T(4)",
                    "T(3, 4, dtype='f64'), num_groups=2, weight=T(4, dtype='f64'), eps=0.001",
                    "T(1, 6, 5), 1, None, T(6)"});
  // torch.instance_norm (aten's order) and F.instance_norm order their arguments differently.
  r.addOp("torch.nn.functional.instance_norm(Tensor input, Tensor? running_mean=None, "
          "Tensor? running_var=None, Tensor? weight=None, Tensor? bias=None, "
          "bool use_input_stats=True, float momentum=0.1, float eps=1e-05)",
          {}, instanceNorm)
      .lowerWith("instance_norm")
      .withSamples({"T(2, 3, 5)", "T(2, 3, 4, 4), weight=T(3), bias=T(3)",
                    "T(1, 4, 2, 2, 3, dtype='f64'), eps=0.01",
                    "T(2, 3, 5), T(3), T(3, low=0.5, high=2), use_input_stats=False"});
  r.addOp("torch.instance_norm(Tensor input, Tensor? weight, Tensor? bias, "
          "Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, "
          "float eps, bool cudnn_enabled)",
          {"torch.ops.aten.instance_norm", "torch.ops.aten.instance_norm.default"}, instanceNorm)
      .lowerWith("instance_norm")
      .withSamples({"T(2, 3, 5), None, None, None, None, True, 0.1, 1e-05, False",
                    "T(2, 3, 4, 4), T(3), T(3), None, None, True, 0.1, 0.001, False"});
  r.addOp("torch.nn.functional.normalize(Tensor input, float p=2.0, int dim=1, "
          "float eps=1e-12, Tensor? out=None)",
          {}, normalize)
      .lowerWith("normalize")
      .withSamples({"T(3, 4)", "T(2, 3, 4), p=1.0, dim=-1", "T(5, dtype='f64'), dim=0",
                    "T(2, 3), math.inf, 0, 0.5"});
}

/// The losses' legacy size_average and reduce precede `reduction` as in F.
#define LEGACY "bool? size_average=None, bool? reduce=None, str reduction=\"mean\""

static void registerLosses(Registry &r) {
  r.addOp("torch.nn.functional.mse_loss(Tensor input, Tensor target, " LEGACY ")", {},
          lossKernel("mse_loss", mseFn))
      .lowerWith("mse_loss")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 3), T(3), reduction='sum'",
                    "T(4, dtype='f64'), T(4, dtype='f64'), reduction='none'",
                    "T(), T(), None, False"});
  r.addOp("torch.nn.functional.l1_loss(Tensor input, Tensor target, " LEGACY ")", {},
          lossKernel("l1_loss", l1Fn))
      .lowerWith("l1_loss")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 3), T(2, 3), reduction='none'",
                    "T(5, dtype='f64'), T(5, dtype='f64'), reduction='sum'",
                    "T(2, 2), T(2, 2), size_average=False"});
  r.addOp("torch.nn.functional.smooth_l1_loss(Tensor input, Tensor target, " LEGACY
          ", float beta=1.0)",
          {}, lossKernel("smooth_l1_loss", smoothL1Fn))
      .lowerWith("smooth_l1_loss")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 5), T(2, 5), reduction='none', beta=0.5",
                    "T(6, dtype='f64'), T(6, dtype='f64'), beta=0.0, reduction='sum'",
                    "T(4), T(4), None, None, 'mean', 2.0"});
  r.addOp("torch.nn.functional.huber_loss(Tensor input, Tensor target, "
          "str reduction=\"mean\", float delta=1.0)",
          {}, lossKernel("huber_loss", huberFn))
      .lowerWith("huber_loss")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 5), T(2, 5), 'none', 0.5",
                    "T(6, dtype='f64'), T(6, dtype='f64'), reduction='sum', delta=2.0"});
  r.addOp("torch.nn.functional.binary_cross_entropy(Tensor input, Tensor target, "
          "Tensor? weight=None, " LEGACY ")",
          {}, lossKernel("binary_cross_entropy", bceFn, {"weight"}))
      .lowerWith("binary_cross_entropy")
      .withSamples({"T(3, 4, low=0.01, high=0.99), T(3, 4, low=0, high=1)",
                    "T(2, 3, low=0, high=1), T(2, 3, low=0, high=1), T(3), reduction='none'",
                    "T(5, dtype='f64', low=0.1, high=0.9), T(5, dtype='f64', low=0, high=1), "
                    "reduction='sum'"});
  r.addOp("torch.nn.functional.binary_cross_entropy_with_logits(Tensor input, Tensor target, "
          "Tensor? weight=None, " LEGACY ", Tensor? pos_weight=None)",
          {}, lossKernel("binary_cross_entropy_with_logits", bceLogitsFn, {"weight", "pos_weight"}))
      .lowerWith("binary_cross_entropy_with_logits")
      .withSamples({"T(3, 4), T(3, 4, low=0, high=1)",
                    "T(2, 3), T(2, 3, low=0, high=1), T(3), pos_weight=T(3, low=0.5, high=2)",
                    "T(5, dtype='f64'), T(5, dtype='f64', low=0, high=1), reduction='none'"});
  r.addOp("torch.nn.functional.kl_div(Tensor input, Tensor target, " LEGACY
          ", bool log_target=False)",
          {}, klDiv)
      .lowerWith("kl_div")
      .withSamples({"T(3, 4), T(3, 4, low=0, high=1)",
                    "T(2, 5), T(2, 5), reduction='batchmean', log_target=True",
                    "T(4, dtype='f64'), T(4, dtype='f64', low=0, high=1), reduction='none'",
                    "T(2, 3), T(3, low=0, high=1), reduction='sum'"});
}

/// The aten losses: their `reduction` is at::Reduction's int (0 none, 1 mean, 2 sum) and
/// there is no size_average or reduce; they share F's kernels and lowerings.
static void registerAtenLosses(Registry &r) {
  struct AtenLoss {
    const char *name, *params; // params after (input, target)
    Kernel kernel;
    std::vector<std::string> samples;
  };
  const AtenLoss losses[] = {
      {"mse_loss", "int reduction=1", lossKernel("mse_loss", mseFn),
       {"T(3, 4), T(3, 4)", "T(2, 3), T(2, 3), 0"}},
      {"l1_loss", "int reduction=1", lossKernel("l1_loss", l1Fn), {"T(3, 4), T(3, 4), 2"}},
      {"smooth_l1_loss", "int reduction=1, float beta=1.0",
       lossKernel("smooth_l1_loss", smoothL1Fn), {"T(3, 4), T(3, 4), 1, 0.5"}},
      {"huber_loss", "int reduction=1, float delta=1.0", lossKernel("huber_loss", huberFn),
       {"T(3, 4), T(3, 4), 0, 2.0"}},
      {"binary_cross_entropy", "Tensor? weight=None, int reduction=1",
       lossKernel("binary_cross_entropy", bceFn, {"weight"}),
       {"T(3, 4, low=0.01, high=0.99), T(3, 4, low=0, high=1), T(4), 2"}},
      {"binary_cross_entropy_with_logits",
       "Tensor? weight=None, Tensor? pos_weight=None, int reduction=1",
       lossKernel("binary_cross_entropy_with_logits", bceLogitsFn, {"weight", "pos_weight"}),
       {"T(3, 4), T(3, 4, low=0, high=1), None, T(4, low=0.5, high=2), 1"}},
      {"kl_div", "int reduction=1, *, bool log_target=False", klDiv,
       {"T(3, 4), T(3, 4, low=0, high=1), 2", "T(2, 5), T(2, 5), 1, log_target=True"}},
      {"nll_loss", "Tensor? weight=None, int reduction=1, int ignore_index=-100", nllLossKernel,
       {"T(3, 5), T(3, dtype='i64', high=5)", "T(4, 3), T(4, dtype='i64', high=3), T(3), 0, 1"}},
  };
  for (const AtenLoss &l : losses)
    r.addOp(std::string("torch.ops.aten.") + l.name + ".default(Tensor input, Tensor target, " +
                l.params + ")",
            {std::string("torch.ops.aten.") + l.name}, l.kernel)
        .lowerWith(l.name)
        .withSamples(l.samples);
  // nll_loss's aten pieces: the forward returns (loss, total weight), the backward takes it.
  const std::string forward = "(Tensor input, Tensor target, Tensor? weight, int reduction, "
                              "int ignore_index)";
  const std::string backward = "(Tensor grad_output, Tensor input, Tensor target, "
                               "Tensor? weight, int reduction, int ignore_index, "
                               "Tensor total_weight)";
  struct NllPiece {
    const char *name;
    const std::string &params;
    Kernel kernel;
    const char *lowering;
    std::vector<std::string> samples;
  };
  const NllPiece pieces[] = {
      {"nll_loss_forward", forward, nllLossForward, "nll_loss_forward",
       {"T(3, 5), T(3, dtype='i64', high=5), T(5), 1, -100",
        "T(4, 3), T(4, dtype='i64', high=3), None, 0, 2"}},
      {"nll_loss2d_forward", forward, nllLossForward, "nll_loss_forward",
       {"T(2, 3, 2, 2), T(2, 2, 2, dtype='i64', high=3), None, 2, 1",
        "T(1, 4, 3, 2), T(1, 3, 2, dtype='i64', high=4), T(4), 0, 2"}},
      {"nll_loss_backward", backward, nllLossBackward, "nll_loss_backward",
       {"T(), T(3, 5), T(3, dtype='i64', high=5), T(5), 1, -100, T(low=1, high=2)",
        "T(), T(4, 3), T(4, dtype='i64', high=3), None, 2, -100, T()"}},
      {"nll_loss2d_backward", backward, nllLossBackward, "nll_loss_backward",
       {"T(2, 2, 2), T(2, 3, 2, 2), T(2, 2, 2, dtype='i64', high=3), None, 0, 1, T()",
        "T(), T(1, 4, 3, 2), T(1, 3, 2, dtype='i64', high=4), T(4), 1, 2, T(low=1, high=2)"}},
  };
  for (const NllPiece &p : pieces)
    r.addOp(std::string("torch.ops.aten.") + p.name + ".default" + p.params,
            {std::string("torch.ops.aten.") + p.name}, p.kernel)
        .lowerWith(p.lowering)
        .withSamples(p.samples);
}

static void registerClassLosses(Registry &r) {
  r.addOp("torch.nn.functional.nll_loss(Tensor input, Tensor target, Tensor? weight=None, "
          "bool? size_average=None, int ignore_index=-100, bool? reduce=None, "
          "str reduction=\"mean\")",
          {}, nllLossKernel)
      .lowerWith("nll_loss")
      .withSamples({"T(3, 5), T(3, dtype='i64', low=0, high=5)",
                    "T(2, 4, 3, 3), T(2, 3, 3, dtype='i64', low=0, high=4), T(4), "
                    "ignore_index=1, reduction='none'",
                    "T(4, dtype='f64'), T(dtype='i64', low=0, high=4), reduction='sum'",
                    "T(4, 3), T(4, dtype='i64', low=0, high=3), T(3), ignore_index=2"});
  r.addOp("torch.nn.functional.cross_entropy(Tensor input, Tensor target, Tensor? weight=None, "
          "bool? size_average=None, int ignore_index=-100, bool? reduce=None, "
          "str reduction=\"mean\", float label_smoothing=0.0)",
          {}, crossEntropy)
      .lowerWith("cross_entropy")
      .withSamples({"T(3, 5), T(3, dtype='i64', low=0, high=5)",
                    "T(2, 4, 3), T(2, 3, dtype='i64', low=0, high=4), T(4), ignore_index=0, "
                    "label_smoothing=0.2",
                    "T(3, 4, dtype='f64'), T(3, 4, dtype='f64', low=0, high=1), "
                    "reduction='sum', label_smoothing=0.1",
                    "T(4, 3), T(4, dtype='i64', low=0, high=3), reduction='none', "
                    "label_smoothing=0.3"});
  r.addOp("torch.cosine_similarity(Tensor x1, Tensor x2, int dim=1, float eps=1e-08)",
          {"torch.nn.functional.cosine_similarity", "torch.ops.aten.cosine_similarity",
           "torch.ops.aten.cosine_similarity.default"},
          cosineSimilarity)
      .lowerWith("cosine_similarity")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 3, 4), T(3, 4), dim=-1",
                    "T(5, dtype='f64'), T(5, dtype='f64'), 0", "T(4, 2), T(1, 2), eps=0.1"});
  r.addOp("torch.pairwise_distance(Tensor x1, Tensor x2, float p=2.0, float eps=1e-06, "
          "bool keepdim=False)",
          {"torch.nn.functional.pairwise_distance", "torch.ops.aten.pairwise_distance",
           "torch.ops.aten.pairwise_distance.default"},
          pairwiseDistance)
      .lowerWith("pairwise_distance")
      .withSamples({"T(3, 4), T(3, 4)", "T(2, 3, 4), T(4), p=1.0, keepdim=True",
                    "T(5, dtype='f64'), T(5, dtype='f64'), 3.0", "T(3, 2), T(3, 2), eps=0.0"});
}

void registerNormalizationOps(Registry &r) {
  registerNorms(r);
  registerGroupNorms(r);
  registerLosses(r);
  registerClassLosses(r);
  registerAtenLosses(r);
  registerSoftmaxes(r);
  registerNativeNorms(r);
  // aten's order: the weight first; padding_idx only matters to the gradient.
  r.addOp("torch.embedding(Tensor weight, Tensor input, int padding_idx=-1, "
          "bool scale_grad_by_freq=False, bool sparse=False)",
          atenSpellings("embedding"), embedding)
      .lowerWith("embedding")
      .withSamples({"T(10, 3), T(2, 4, dtype='i64', high=10)",
                    "T(6, 2, dtype='f64'), T(5, dtype='i64', high=6), 0"});
  r.addOp("torch.nn.functional.embedding(Tensor input, Tensor weight, int? padding_idx=None, "
          "float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
          "bool sparse=False)",
          {}, embedding)
      .lowerWith("embedding")
      .withSamples({"T(2, 3, dtype='i64', low=0, high=10), T(10, 4)",
                    "T(5, dtype='i64', low=0, high=6), T(6, 3, dtype='f64'), padding_idx=0",
                    "T(dtype='i64', low=0, high=4), T(4, 5)",
                    "T(2, 2, dtype='i32', low=0, high=7), T(7, 2), -1, scale_grad_by_freq=True"});
  r.addOp("torch.nn.functional.embedding_bag(Tensor input, Tensor weight, Tensor? offsets=None, "
          "float? max_norm=None, float norm_type=2, bool scale_grad_by_freq=False, "
          "str mode=\"mean\", bool sparse=False, Tensor? per_sample_weights=None, "
          "bool include_last_offset=False, int? padding_idx=None)",
          {}, embeddingBag)
      .lowerWith("embedding_bag")
      .withSamples(
          {"T(3, 4, dtype='i64', high=10), T(10, 5)",
           "T(2, 3, dtype='i64', high=6), T(6, 3, dtype='f64'), mode='max', padding_idx=2",
           "T(4, 2, dtype='i32', high=5), T(5, 3), mode='sum', per_sample_weights=T(4, 2)",
           "T(2, 5, dtype='i64', high=4), T(4, 2), mode='mean', padding_idx=-1",
           // Random offsets would not be sorted: zeros make every bag but the last empty.
           "T(7, dtype='i64', high=8), T(8, 3), T(3, dtype='i64', high=1), mode='sum'",
           "T(6, dtype='i64', high=5), T(5, 4, dtype='f64'), T(2, dtype='i64', high=1), "
           "mode='max', padding_idx=0",
           "T(5, dtype='i64', high=6), T(6, 2), T(1, dtype='i64', high=1), "
           "per_sample_weights=T(5), mode='sum'",
           "T(6, dtype='i64', high=7), T(7, 3), T(3, dtype='i64', high=1), "
           "include_last_offset=True"});
}

} // namespace fxmlir
