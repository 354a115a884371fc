//===- Normalization.cpp - Lowerings of norms, softmax and embedding ------===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <numeric>

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;

/// A map whose body computes in `t` on elements converted to it.
static Value mapIn(LoweringContext &c, mlir::Type t, const std::vector<Lowered> &operands,
                   mlir::RankedTensorType type, const ElementFn &body) {
  return c.map(operands, type, [&](mlir::OpBuilder &b, mlir::Location l, ValueRange x) {
    llvm::SmallVector<Value> xs;
    for (Value v : x)
      xs.push_back(LoweringContext::cast(b, l, v, t));
    ElementBuilder e{b, l, t};
    return body(e, xs);
  });
}

/// The element count the kernels check as Tensor::numel().
static int64_t numElementsOf(Value tensor) { return numElements(shapeOf(tensor).vec()); }

/// Normalises each channel (dim 1) of `x` by given statistics: a per-channel scale and shift
/// (computed on C elements), then one multiply-add over the input.
static Value normalizeChannels(LoweringContext &c, Value x, Value mean, Value var, Value weight,
                               Value bias, double eps) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  int64_t rank = rankOf(x), channels = shapeOf(x)[1];
  auto vecType = tensorType({channels}, t);
  auto orNumber = [](Value v, double fallback) {
    return v ? Lowered(v) : Lowered(PyValue::floating(fallback));
  };
  Value scale = mapIn(c, t, {Lowered(var), orNumber(weight, 1.0)}, vecType,
                      [eps](ElementBuilder &e, ValueRange v) {
                        return e.mul(v[1], e.rsqrt(e.add(v[0], e.constant(eps))));
                      });
  Value shift = mapIn(c, t, {orNumber(bias, 0.0), Lowered(mean), Lowered(scale)}, vecType,
                      [](ElementBuilder &e, ValueRange v) {
                        return e.sub(v[0], e.mul(v[1], v[2]));
                      });
  return mapIn(c, t,
               {Lowered(x), Lowered(c.alongDim(scale, 1, rank)),
                Lowered(c.alongDim(shift, 1, rank))},
               outType, [](ElementBuilder &e, ValueRange v) {
                 return e.add(e.mul(v[0], v[1]), v[2]);
               });
}

/// Checks batch_norm's per-channel arguments against the channels of `x`.
static void checkChannelArgs(const LoweredArgs &a, Value x) {
  int64_t channels = batchNormChannels(shapeOf(x).vec());
  for (const char *name : {"running_mean", "running_var", "weight", "bias"})
    if (!a.isNone(name))
      checkBatchNormArg(name, numElementsOf(a.tensor(name)), channels);
}

/// Eval-mode batch_norm.
static Lowered lowerBatchNorm(LoweringContext &c, const LoweredArgs &a) {
  if (a.toBool("training"))
    throw OpError("batch_norm with training=True cannot be compiled; lower the model in eval "
                  "mode");
  Value x = a.tensor("input");
  checkChannelArgs(a, x);
  return normalizeChannels(c, x, a.tensor("running_mean"), a.tensor("running_var"),
                           a.optionalTensor("weight"), a.optionalTensor("bias"),
                           a.toDouble("eps"));
}

/// A standardized tensor and the statistics it was standardized with, shaped as the input
/// with the reduced dims 1 (what the native norms return).
struct Standardized {
  Value y, mean, rstd;
};

/// (x - mean) / sqrt(var + eps) over `dims` of `x` (of element type `t`), the statistics of
/// `n` elements each: sum reductions divided by n, the variance biased.
static Standardized standardizeWithStats(LoweringContext &c, Value x,
                                         const std::vector<int64_t> &dims, double n, double eps) {
  mlir::Type t = elementTypeOf(x);
  auto type = llvm::cast<mlir::RankedTensorType>(x.getType());
  Value sum = c.reduce(x, dims, /*keepdim=*/true, ReduceKind::Sum);
  auto statsType = llvm::cast<mlir::RankedTensorType>(sum.getType());
  Value mean = mapIn(c, t, {Lowered(sum)}, statsType, [n](ElementBuilder &e, ValueRange v) {
    return e.div(v[0], e.constant(n));
  });
  Value centered = mapIn(c, t, {Lowered(x), Lowered(mean)}, type,
                         [](ElementBuilder &e, ValueRange v) { return e.sub(v[0], v[1]); });
  Value squares = mapIn(c, t, {Lowered(centered)}, type,
                        [](ElementBuilder &e, ValueRange v) { return e.mul(v[0], v[0]); });
  Value var = c.reduce(squares, dims, /*keepdim=*/true, ReduceKind::Sum);
  Value rstd = mapIn(c, t, {Lowered(var)}, statsType, [n, eps](ElementBuilder &e, ValueRange v) {
    return e.rsqrt(e.add(e.div(v[0], e.constant(n)), e.constant(eps)));
  });
  Value y = mapIn(c, t, {Lowered(centered), Lowered(rstd)}, type,
                  [](ElementBuilder &e, ValueRange v) { return e.mul(v[0], v[1]); });
  return {y, mean, rstd};
}

/// y * weight + bias, each optional, with `weight` and `bias` already shaped to broadcast.
static Value affine(LoweringContext &c, Value y, Value weight, Value bias) {
  mlir::Type t = elementTypeOf(y);
  std::vector<Lowered> operands{Lowered(y)};
  for (Value v : {weight, bias})
    if (v)
      operands.push_back(Lowered(v));
  bool hasWeight = (bool)weight, hasBias = (bool)bias;
  if (!hasWeight && !hasBias)
    return y;
  return mapIn(c, t, operands, llvm::cast<mlir::RankedTensorType>(y.getType()),
               [=](ElementBuilder &e, ValueRange v) {
                 Value r = hasWeight ? e.mul(v[0], v[1]) : v[0];
                 return hasBias ? e.add(r, v[hasWeight ? 2 : 1]) : r;
               });
}

/// layer_norm over the trailing dims `normalized_shape` names; its statistics go to `stats`
/// when given.
static Value layerNormalize(LoweringContext &c, const LoweredArgs &a,
                            Standardized *stats = nullptr) {
  mlir::Type t = c.resultElementType();
  Value input = a.tensor("input");
  std::vector<int64_t> ns = a.literal("normalized_shape").toIntList();
  int64_t size = layerNormSize(shapeOf(input).vec(), ns);
  for (const char *name : {"weight", "bias"})
    if (!a.isNone(name))
      checkLayerNormArg(name, numElementsOf(a.tensor(name)), size);
  Value x = c.castTensor(input, t);
  int64_t rank = rankOf(x);
  std::vector<int64_t> dims;
  for (int64_t d = rank - (int64_t)ns.size(); d < rank; ++d)
    dims.push_back(d);
  Standardized z = standardizeWithStats(c, x, dims, (double)size, a.toDouble("eps"));
  if (stats)
    *stats = z;
  return affine(c, z.y, a.optionalTensor("weight"), a.optionalTensor("bias"));
}

static Lowered lowerLayerNorm(LoweringContext &c, const LoweredArgs &a) {
  return layerNormalize(c, a);
}

/// group_norm: the input seen as [N, groups, size], standardized along the last dim, then
/// scaled and shifted per channel.
/// The statistics, [N, groups, 1], go to `stats` when given.
static Value groupNormalize(LoweringContext &c, Value input, const GroupNormShape &g,
                            Value weight, Value bias, double eps,
                            Standardized *stats = nullptr) {
  for (Value v : {weight, bias})
    if (v)
      checkBatchNormArg(v == weight ? "weight" : "bias", numElementsOf(v), g.channels);
  Value x = c.castTensor(input, c.resultElementType());
  std::vector<int64_t> shape = shapeOf(x).vec();
  int64_t rank = (int64_t)shape.size();
  Standardized z = standardizeWithStats(c, c.reshape(x, {shape[0], g.groups, g.size}), {2},
                                        (double)g.size, eps);
  if (stats)
    *stats = z;
  Value y = z.y;
  auto along = [&](Value v) { return v ? c.alongDim(v, 1, rank) : Value(); };
  return affine(c, c.reshape(y, shape), along(weight), along(bias));
}

static Lowered lowerGroupNorm(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  GroupNormShape g = groupNormShape("group_norm", shapeOf(x).vec(), a.toInt("num_groups"));
  return groupNormalize(c, x, g, a.optionalTensor("weight"), a.optionalTensor("bias"),
                        a.toDouble("eps"));
}

/// instance_norm: group_norm with a group per channel, or batch_norm by the running
/// statistics when use_input_stats is False.
static Lowered lowerInstanceNorm(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  bool useInputStats = a.toBool("use_input_stats");
  checkInstanceNormStats(useInputStats, !a.isNone("running_mean"), !a.isNone("running_var"));
  Value weight = a.optionalTensor("weight"), bias = a.optionalTensor("bias");
  double eps = a.toDouble("eps");
  if (!useInputStats) {
    checkChannelArgs(a, x);
    return normalizeChannels(c, x, a.tensor("running_mean"), a.tensor("running_var"), weight,
                             bias, eps);
  }
  int64_t channels = batchNormChannels(shapeOf(x).vec());
  GroupNormShape g = groupNormShape("instance_norm", shapeOf(x).vec(), channels);
  return groupNormalize(c, x, g, weight, bias, eps);
}

/// x^p summed along `dim` of `x` then its p-th root (max |x| for inf), kept as size 1 when
/// `keepdim`; a 0-d `x` is its own norm. p = 0 and -inf cannot be compiled yet.
static Value normAlong(LoweringContext &c, Value x, int64_t dim, double p, bool keepdim) {
  if (p == 0 || (std::isinf(p) && p < 0))
    throw OpError("a norm with p = " + std::to_string(p) + " cannot be compiled yet");
  mlir::Type t = elementTypeOf(x);
  auto type = llvm::cast<mlir::RankedTensorType>(x.getType());
  std::vector<int64_t> dims;
  if (rankOf(x) > 0)
    dims.push_back(dim);
  Value powers = mapIn(c, t, {Lowered(x)}, type, [p](ElementBuilder &e, ValueRange v) {
    Value m = mlir::math::AbsFOp::create(e.b, e.loc, v[0]);
    if (std::isinf(p) || p == 1)
      return m;
    return p == 2 ? e.mul(m, m) : mlir::math::PowFOp::create(e.b, e.loc, m, e.constant(p)).getResult();
  });
  Value sum = c.reduce(powers, dims, keepdim, std::isinf(p) ? ReduceKind::Max : ReduceKind::Sum);
  if (std::isinf(p) || p == 1)
    return sum;
  return mapIn(c, t, {Lowered(sum)}, llvm::cast<mlir::RankedTensorType>(sum.getType()),
               [p](ElementBuilder &e, ValueRange v) {
                 return p == 2 ? e.sqrt(v[0])
                               : mlir::math::PowFOp::create(e.b, e.loc, v[0], e.constant(1 / p))
                                     .getResult();
               });
}

/// F.normalize: x / max(||x||_p along dim, eps).
static Lowered lowerNormalize(LoweringContext &c, const LoweredArgs &a) {
  if (!a.isNone("out"))
    throw OpError("normalize with out= cannot be compiled");
  mlir::RankedTensorType outType = c.result();
  Value x = c.castTensor(a.tensor("input"), outType.getElementType());
  int64_t dim = normDim(shapeOf(x).vec(), a.toInt("dim"));
  Value norm = normAlong(c, x, dim, a.toDouble("p"), /*keepdim=*/true);
  double eps = a.toDouble("eps");
  return mapIn(c, outType.getElementType(), {Lowered(x), Lowered(norm)}, outType,
               [eps](ElementBuilder &e, ValueRange v) {
                 return e.div(v[0], e.max(v[1], e.constant(eps)));
               });
}

/// The shape `operands` broadcast to.
static std::vector<int64_t> broadcastOf(const std::vector<Lowered> &operands) {
  Shape shape;
  for (const Lowered &o : operands)
    if (o.isTensor())
      shape = broadcastShapes(shape, shapeOf(o.tensor()).vec());
  return shape;
}

/// cosine_similarity: x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along dim; each sum is a
/// map over both (broadcast) operands reduced along dim.
static Lowered lowerCosineSimilarity(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  std::vector<Lowered> xs{a["x1"], a["x2"]};
  std::vector<int64_t> shape = broadcastOf(xs);
  int64_t dim = normDim(shape, a.toInt("dim"));
  std::vector<int64_t> dims;
  if (!shape.empty())
    dims.push_back(dim);
  auto sumOf = [&](int i, int j) {
    Value products = mapIn(c, t, xs, tensorType(shape, t), [i, j](ElementBuilder &e, ValueRange v) {
      return e.mul(v[i], v[j]);
    });
    return Lowered(c.reduce(products, dims, /*keepdim=*/false, ReduceKind::Sum));
  };
  double eps = a.toDouble("eps");
  return mapIn(c, t, {sumOf(0, 1), sumOf(0, 0), sumOf(1, 1)}, outType,
               [eps](ElementBuilder &e, ValueRange v) {
                 Value epsV = e.constant(eps);
                 return e.div(v[0], e.mul(e.max(e.sqrt(v[1]), epsV), e.max(e.sqrt(v[2]), epsV)));
               });
}

/// pairwise_distance: ||x1 - x2 + eps||_p along the last dim.
static Lowered lowerPairwiseDistance(LoweringContext &c, const LoweredArgs &a) {
  mlir::Type t = c.resultElementType();
  std::vector<Lowered> xs{a["x1"], a["x2"]};
  std::vector<int64_t> shape = broadcastOf(xs);
  int64_t dim = pairwiseDistanceDim(shape);
  double eps = a.toDouble("eps");
  Value diff = mapIn(c, t, xs, tensorType(shape, t), [eps](ElementBuilder &e, ValueRange v) {
    return e.add(e.sub(v[0], v[1]), e.constant(eps));
  });
  return normAlong(c, diff, dim, a.toDouble("p"), a.toBool("keepdim"));
}

//===--- Losses -----------------------------------------------------------===//

/// A loss's reduction, as the kernel reads it; huber_loss has no size_average and reduce.
static LossReduction reductionOf(const LoweredArgs &a, bool allowBatchMean) {
  if (a.getSchema().find("size_average") < 0)
    return lossReduction(PyValue::none(), PyValue::none(), a.literal("reduction"));
  return lossReduction(a.literal("size_average"), a.literal("reduce"), a.literal("reduction"),
                       allowBatchMean);
}

using LossBody = std::function<ElementFn(const LoweredArgs &)>;

/// A loss of elementwise `makeBody(args)` over input, target and the optional `extras`
/// (1 where None), broadcast, then summed and divided as the kernel's reduceLoss.
static Lowering lossLowering(LossBody makeBody, std::vector<const char *> extras = {},
                             bool allowBatchMean = false) {
  return [=](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    if (!llvm::isa<mlir::FloatType>(t))
      throw OpError("a loss on integer tensors cannot be compiled");
    std::vector<Lowered> operands{a["input"], a["target"]};
    for (const char *name : extras)
      operands.push_back(a.isNone(name) ? Lowered(PyValue::floating(1.0)) : a[name]);
    ElementFn body = makeBody(a);
    LossReduction r = reductionOf(a, allowBatchMean);
    std::vector<int64_t> shape = broadcastOf(operands);
    Value loss = mapIn(c, t, operands, tensorType(shape, t), body);
    if (r == LossReduction::None)
      return loss;
    std::vector<int64_t> all(shape.size());
    std::iota(all.begin(), all.end(), 0);
    Value sum = c.reduce(loss, all, /*keepdim=*/false, ReduceKind::Sum);
    double divisor = lossDivisor(r, shapeOf(a.tensor("input")).vec(), shape);
    if (divisor == 1.0)
      return sum;
    return mapIn(c, t, {Lowered(sum)}, outType, [divisor](ElementBuilder &e, ValueRange v) {
      return e.div(v[0], e.constant(divisor));
    });
  };
}

static Value absOf(ElementBuilder &e, Value x) { return mlir::math::AbsFOp::create(e.b, e.loc, x); }
static Value lessThan(ElementBuilder &e, Value x, Value y) {
  return mlir::arith::CmpFOp::create(e.b, e.loc, mlir::arith::CmpFPredicate::OLT, x, y);
}
static Value log1pOf(ElementBuilder &e, Value x) {
  return mlir::math::Log1pOp::create(e.b, e.loc, x);
}

static ElementFn mseBody(const LoweredArgs &) {
  return [](ElementBuilder &e, ValueRange v) {
    Value d = e.sub(v[0], v[1]);
    return e.mul(d, d);
  };
}
static ElementFn l1Body(const LoweredArgs &) {
  return [](ElementBuilder &e, ValueRange v) { return absOf(e, e.sub(v[0], v[1])); };
}
/// 0.5 d^2 / beta below beta, d - 0.5 beta above (beta = 0 always takes the latter).
static ElementFn smoothL1Body(const LoweredArgs &a) {
  double beta = a.toDouble("beta");
  checkLossThreshold("smooth_l1_loss", "beta", beta, /*zeroAllowed=*/true);
  return [beta](ElementBuilder &e, ValueRange v) {
    Value d = absOf(e, e.sub(v[0], v[1])), b = e.constant(beta), half = e.constant(0.5);
    return e.select(lessThan(e, d, b), e.div(e.mul(half, e.mul(d, d)), b),
                    e.sub(d, e.mul(half, b)));
  };
}
static ElementFn huberBody(const LoweredArgs &a) {
  double delta = a.toDouble("delta");
  checkLossThreshold("huber_loss", "delta", delta, /*zeroAllowed=*/false);
  return [delta](ElementBuilder &e, ValueRange v) {
    Value d = absOf(e, e.sub(v[0], v[1])), k = e.constant(delta), half = e.constant(0.5);
    return e.select(lessThan(e, d, k), e.mul(half, e.mul(d, d)),
                    e.mul(k, e.sub(d, e.mul(half, k))));
  };
}
/// -w (y max(log x, -100) + (1 - y) max(log(1 - x), -100)).
static ElementFn bceBody(const LoweredArgs &a) {
  checkSameLossShape("binary_cross_entropy", shapeOf(a.tensor("input")).vec(),
                     shapeOf(a.tensor("target")).vec());
  return [](ElementBuilder &e, ValueRange v) {
    Value floor = e.constant(-100), one = e.constant(1);
    Value logX = e.max(e.log(v[0]), floor), log1mX = e.max(log1pOf(e, e.neg(v[0])), floor);
    return e.neg(e.mul(v[2], e.add(e.mul(v[1], logX), e.mul(e.sub(one, v[1]), log1mX))));
  };
}
/// w ((1 - y) x + (1 + (pw - 1) y) (log(1 + e^-|x|) + max(-x, 0))).
static ElementFn bceLogitsBody(const LoweredArgs &a) {
  checkSameLossShape("binary_cross_entropy_with_logits", shapeOf(a.tensor("input")).vec(),
                     shapeOf(a.tensor("target")).vec());
  return [](ElementBuilder &e, ValueRange v) {
    Value x = v[0], y = v[1], one = e.constant(1);
    Value logWeight = e.add(e.mul(e.sub(v[3], one), y), one);
    Value softplus = e.add(log1pOf(e, e.exp(e.neg(absOf(e, x)))), e.max(e.neg(x), e.constant(0)));
    return e.mul(v[2], e.add(e.mul(e.sub(one, y), x), e.mul(logWeight, softplus)));
  };
}
/// exp(y) (y - x) for log targets, else xlogy(y, y) - y x.
static ElementFn klDivBody(const LoweredArgs &a) {
  bool logTarget = a.toBool("log_target");
  return [logTarget](ElementBuilder &e, ValueRange v) {
    Value x = v[0], y = v[1];
    if (logTarget)
      return e.mul(e.exp(y), e.sub(y, x));
    Value zero = e.constant(0);
    Value isZero = mlir::arith::CmpFOp::create(e.b, e.loc, mlir::arith::CmpFPredicate::OEQ, y, zero);
    return e.sub(e.select(isZero, zero, e.mul(y, e.log(y))), e.mul(y, x));
  };
}

/// log_softmax of `x` along `dim`, in the element type of `type`.
static Value logSoftmax(LoweringContext &c, Value x, int64_t dim, mlir::RankedTensorType type) {
  mlir::Type t = type.getElementType();
  x = c.castTensor(x, t);
  Value max = c.reduce(x, {dim}, /*keepdim=*/true, ReduceKind::Max);
  Value exps = mapIn(c, t, {Lowered(x), Lowered(max)}, type,
                     [](ElementBuilder &e, ValueRange v) { return e.exp(e.sub(v[0], v[1])); });
  Value sum = c.reduce(exps, {dim}, /*keepdim=*/true, ReduceKind::Sum);
  return mapIn(
      c, t, {Lowered(x), Lowered(max), Lowered(sum)}, type,
      [](ElementBuilder &e, ValueRange v) { return e.sub(e.sub(v[0], v[1]), e.log(v[2])); });
}

/// softmax, or log_softmax when `logOf`, stabilised by the max along `dim`.
static Lowering softmaxLowering(bool logOf) {
  return [logOf](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value input = a.tensor("input");
    int64_t dim = softmaxDim(a.literal("dim"), rankOf(input));
    if (logOf)
      return logSoftmax(c, input, dim, outType);
    Value x = c.castTensor(input, t);
    Value max = c.reduce(x, {dim}, /*keepdim=*/true, ReduceKind::Max);
    Value exps = mapIn(c, t, {Lowered(x), Lowered(max)}, outType,
                       [](ElementBuilder &e, ValueRange v) { return e.exp(e.sub(v[0], v[1])); });
    Value sum = c.reduce(exps, {dim}, /*keepdim=*/true, ReduceKind::Sum);
    return mapIn(c, t, {Lowered(exps), Lowered(sum)}, outType,
                 [](ElementBuilder &e, ValueRange v) { return e.div(v[0], v[1]); });
  };
}

/// nll_loss's per-element terms: -weight[t] * logp[n, t, k...] and weight[t], both 0 where
/// the target t is ignore_index. Targets out of range are undefined behaviour, as in
/// compiled code without checks (the interpreter reports them).
static std::pair<Value, Value> pickedClassTerms(LoweringContext &c, Value logp, Value target,
                                                Value weight, int64_t ignoreIndex) {
  mlir::Type t = mlir::cast<mlir::RankedTensorType>(logp.getType()).getElementType();
  auto type = tensorType(shapeOf(target).vec(), t);
  int64_t rank = type.getRank();
  bool batched = rankOf(logp) > 1;
  llvm::SmallVector<mlir::AffineMap> maps(3, c.b.getMultiDimIdentityMap(rank));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank, mlir::utils::IteratorType::parallel);
  auto generic = mlir::linalg::GenericOp::create(
      c.b, c.loc, mlir::TypeRange{type, type}, ValueRange{target},
      ValueRange{c.empty(type), c.empty(type)}, maps, iterators,
      [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
        ElementBuilder e{b, l, t};
        Value ignore = mlir::arith::ConstantIntOp::create(b, l, v[0].getType(), ignoreIndex);
        Value kept =
            mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ne, v[0], ignore);
        Value zero = mlir::arith::ConstantIndexOp::create(b, l, 0);
        Value cls = mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), v[0]);
        cls = mlir::arith::SelectOp::create(b, l, kept, cls, zero);
        llvm::SmallVector<Value> at;
        for (int64_t i = 0; i < rank; ++i)
          at.push_back(mlir::linalg::IndexOp::create(b, l, i));
        at.insert(at.begin() + (batched ? 1 : 0), cls);
        Value picked = mlir::tensor::ExtractOp::create(b, l, logp, at);
        Value w =
            weight
                ? LoweringContext::cast(b, l, mlir::tensor::ExtractOp::create(b, l, weight, cls), t)
                : e.constant(1.0);
        w = e.select(kept, w, e.constant(0.0));
        mlir::linalg::YieldOp::create(b, l, ValueRange{e.neg(e.mul(w, picked)), w});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

/// The sum of all elements of `x`, a 0-d tensor.
static Value sumAll(LoweringContext &c, Value x) {
  std::vector<int64_t> all(rankOf(x));
  std::iota(all.begin(), all.end(), 0);
  return c.reduce(x, all, /*keepdim=*/false, ReduceKind::Sum);
}

/// Sums `loss`, divided by the sum of `weights` for a mean (nll_loss's normalisation).
static Value reduceClassLoss(LoweringContext &c, Value loss, Value weights, LossReduction r) {
  if (r == LossReduction::None)
    return loss;
  Value sum = sumAll(c, loss);
  if (r != LossReduction::Mean)
    return sum;
  auto type = mlir::cast<mlir::RankedTensorType>(sum.getType());
  return mapIn(c, type.getElementType(), {Lowered(sum), Lowered(sumAll(c, weights))}, type,
               [](ElementBuilder &e, ValueRange v) { return e.div(v[0], v[1]); });
}

static void checkClassLoss(const char *op, const LoweredArgs &a, Value input) {
  std::optional<int64_t> weightNumel;
  if (Value w = a.optionalTensor("weight"))
    weightNumel = numElementsOf(w);
  classLossShape(op, shapeOf(input).vec(), shapeOf(a.tensor("target")).vec(), weightNumel);
  if (!llvm::isa<mlir::FloatType>(
          mlir::cast<mlir::RankedTensorType>(input.getType()).getElementType()))
    throw OpError(std::string(op) + " on integer tensors cannot be compiled");
  if (!elementTypeOf(a.tensor("target")).isInteger(64))
    throw OpError(std::string(op) + ": expected a target of scalar type Long (class indices)");
}

static Lowered lowerNllLoss(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.tensor("input");
  checkClassLoss("nll_loss", a, input);
  auto [loss, weights] = pickedClassTerms(c, input, a.tensor("target"), a.optionalTensor("weight"),
                                          a.literal("ignore_index").toInt());
  return reduceClassLoss(c, loss, weights, reductionOf(a, /*allowBatchMean=*/false));
}

/// aten.nll_loss_forward: the loss and the total weight (0 without a reduction).
static Lowered lowerNllLossForward(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.tensor("input");
  checkClassLoss("nll_loss", a, input);
  auto [loss, weights] = pickedClassTerms(c, input, a.tensor("target"),
                                          a.optionalTensor("weight"),
                                          a.literal("ignore_index").toInt());
  LossReduction r = reductionOf(a, /*allowBatchMean=*/false);
  Value total = r == LossReduction::None
                    ? c.filled(tensorType({}, elementTypeOf(weights)), 0.0)
                    : sumAll(c, weights);
  return Lowered::sequence({Lowered(reduceClassLoss(c, loss, weights, r)), Lowered(total)});
}

/// aten.nll_loss_backward: -weight[c] * grad (over the total weight for a mean) where c is the
/// target's class, 0 elsewhere; one generic over the input's shape.
static Lowered lowerNllLossBackward(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.tensor("input"), target = a.tensor("target");
  Value grad = a.tensor("grad_output"), total = a.tensor("total_weight");
  Value weight = a.optionalTensor("weight");
  checkClassLoss("nll_loss_backward", a, input);
  LossReduction r = reductionOf(a, /*allowBatchMean=*/false);
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  int64_t rank = outType.getRank(), classDim = rank > 1 ? 1 : 0;
  int64_t ignoreIndex = a.literal("ignore_index").toInt();
  llvm::SmallVector<mlir::AffineExpr> perTarget; // the input's dims but the class dim
  for (int64_t d = 0; d < rank; ++d)
    if (d != classDim)
      perTarget.push_back(c.b.getAffineDimExpr(d));
  mlir::MLIRContext *ctx = c.b.getContext();
  auto mapOf = [&](llvm::ArrayRef<mlir::AffineExpr> e) {
    return mlir::AffineMap::get(rank, 0, e, ctx);
  };
  bool perElement = r == LossReduction::None && rankOf(grad) > 0;
  llvm::SmallVector<mlir::AffineMap> maps{mapOf(perTarget), mapOf(perElement ? perTarget
                                                               : llvm::ArrayRef<mlir::AffineExpr>{}),
                                          mapOf({}), c.b.getMultiDimIdentityMap(rank)};
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank,
                                                         mlir::utils::IteratorType::parallel);
  bool mean = r == LossReduction::Mean;
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{target, grad, total},
             ValueRange{c.empty(outType)}, maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
               ElementBuilder e{b, l, t};
               Value ignore = mlir::arith::ConstantIntOp::create(b, l, v[0].getType(),
                                                                 ignoreIndex);
               Value kept = mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::ne,
                                                        v[0], ignore);
               Value cls = mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), v[0]);
               Value here = mlir::linalg::IndexOp::create(b, l, classDim);
               Value hit = mlir::arith::AndIOp::create(
                   b, l, kept,
                   mlir::arith::CmpIOp::create(b, l, mlir::arith::CmpIPredicate::eq, cls, here));
               Value w = weight ? LoweringContext::cast(
                                      b, l, mlir::tensor::ExtractOp::create(b, l, weight, here), t)
                                : e.constant(1.0);
               Value g = LoweringContext::cast(b, l, v[1], t);
               if (mean)
                 g = e.div(g, LoweringContext::cast(b, l, v[2], t));
               mlir::linalg::YieldOp::create(b, l,
                                             e.select(hit, e.neg(e.mul(w, g)), e.constant(0.0)));
             })
      .getResult(0);
}

/// cross_entropy with class-index targets: nll_loss of log_softmax over the class dim (1, or
/// 0 for an unbatched input). Class probabilities and label smoothing are interpreter-only.
static Lowered lowerCrossEntropy(LoweringContext &c, const LoweredArgs &a) {
  Value input = a.tensor("input"), target = a.tensor("target");
  checkClassLoss("cross_entropy", a, input);
  if (llvm::isa<mlir::FloatType>(
          mlir::cast<mlir::RankedTensorType>(target.getType()).getElementType()) ||
      a.literal("label_smoothing").toDouble() != 0)
    throw OpError("cross_entropy with class probabilities or label_smoothing cannot be "
                  "compiled yet (the interpreter runs it)");
  mlir::Type t = c.resultElementType();
  Value logp = logSoftmax(c, input, rankOf(input) > 1 ? 1 : 0, tensorType(shapeOf(input).vec(), t));
  auto [loss, weights] = pickedClassTerms(c, logp, target, a.optionalTensor("weight"),
                                          a.literal("ignore_index").toInt());
  return reduceClassLoss(c, loss, weights, reductionOf(a, /*allowBatchMean=*/false));
}

/// out[i..., d] = weight[input[i...], d], read with tensor.extract. Indices out of range are
/// undefined behaviour in compiled code, as in torch's CPU kernels without checks.
static Lowered lowerEmbedding(LoweringContext &c, const LoweredArgs &a) {
  if (a.has("max_norm")) // aten.embedding has none
    checkEmbeddingMaxNorm(a.literal("max_norm"));
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

/// `v` (a scalar of any integer type) as an i64.
static Value asI64(mlir::OpBuilder &b, mlir::Location l, Value v) {
  if (v.getType().isInteger(64))
    return v;
  return mlir::arith::ExtSIOp::create(b, l, b.getI64Type(), v);
}

/// embedding_bag as one linalg.generic over (bag, d, i) with i the position in the input (a
/// 2-D input's row `bag`, or all of a 1-D input, whose bag's bounds come from `offsets` through
/// tensor.extract): an index other than padding_idx in the bag adds weight[index, d] (times its
/// per-sample weight) to the sum, or takes the max. A second output counts them: 'mean' divides
/// by it, and an empty bag gives 0.
static Lowered lowerEmbeddingBag(LoweringContext &c, const LoweredArgs &a) {
  checkEmbeddingMaxNorm(a.literal("max_norm"), "embedding_bag");
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType(), i64 = c.b.getI64Type();
  Value idx = a.tensor("input"), w = c.castTensor(a.tensor("weight"), t);
  Value offsets = a.optionalTensor("offsets"), scales = a.optionalTensor("per_sample_weights");
  auto shapeIfAny = [](Value v) {
    return v ? std::optional<Shape>(shapeOf(v).vec()) : std::nullopt;
  };
  BagMode mode = bagMode(a.literal("mode"));
  embeddingBagCount(shapeOf(idx).vec(), shapeIfAny(offsets), shapeOf(w).vec(), mode,
                    shapeIfAny(scales), a.toBool("include_last_offset"));
  int64_t padding = embeddingBagPaddingIdx(a.literal("padding_idx"), shapeOf(w)[0]);
  bool rows = rankOf(idx) == 2;
  int64_t length = shapeOf(idx).back();
  mlir::MLIRContext *ctx = c.b.getContext();
  auto dim = [&](unsigned i) { return c.b.getAffineDimExpr(i); };
  mlir::AffineMap inputMap = rows ? mlir::AffineMap::get(3, 0, {dim(0), dim(2)}, ctx)
                                  : mlir::AffineMap::get(3, 0, {dim(2)}, ctx);
  mlir::AffineMap outMap = mlir::AffineMap::get(3, 0, {dim(0), dim(1)}, ctx);
  std::vector<Value> inputs{idx};
  llvm::SmallVector<mlir::AffineMap> maps{inputMap};
  if (scales) {
    inputs.push_back(c.castTensor(scales, t));
    maps.push_back(inputMap);
  }
  maps.append({outMap, outMap});
  auto countType = tensorType(outType.getShape(), i64);
  llvm::SmallVector<mlir::utils::IteratorType> iterators(2, mlir::utils::IteratorType::parallel);
  iterators.push_back(mlir::utils::IteratorType::reduction);
  auto bag = mlir::linalg::GenericOp::create(
      c.b, c.loc, mlir::TypeRange{outType, countType}, inputs,
      ValueRange{c.filled(outType, mode == BagMode::Max ? lowestOf(t) : 0),
                 c.filled(countType, 0)},
      maps, iterators, [&](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
        using mlir::arith::CmpIPredicate;
        auto constant = [&](int64_t value) {
          return mlir::arith::ConstantIntOp::create(b, l, i64, value).getResult();
        };
        auto cmp = [&](CmpIPredicate p, Value x, Value y) {
          return mlir::arith::CmpIOp::create(b, l, p, x, y).getResult();
        };
        Value index = asI64(b, l, v[0]);
        Value counted = mlir::arith::ConstantIntOp::create(b, l, 1, 1);
        if (padding >= 0)
          counted = cmp(CmpIPredicate::ne, index, constant(padding));
        if (!rows) {
          // The bag's bounds: offsets[bag] up to the next offset, or the input's end.
          int64_t count = shapeOf(offsets)[0];
          Value bagIndex = mlir::linalg::IndexOp::create(b, l, 0);
          Value bagNumber = mlir::arith::IndexCastOp::create(b, l, i64, bagIndex);
          Value next = mlir::arith::AddIOp::create(b, l, bagNumber, constant(1));
          Value nextIndex = mlir::arith::IndexCastOp::create(
              b, l, b.getIndexType(),
              mlir::arith::MinSIOp::create(b, l, next, constant(count - 1)));
          Value begin = asI64(b, l, mlir::tensor::ExtractOp::create(b, l, offsets, bagIndex));
          Value end = mlir::arith::SelectOp::create(
              b, l, cmp(CmpIPredicate::slt, next, constant(count)),
              asI64(b, l, mlir::tensor::ExtractOp::create(b, l, offsets, nextIndex)),
              constant(length));
          Value i = mlir::arith::IndexCastOp::create(b, l, i64,
                                                     mlir::linalg::IndexOp::create(b, l, 2));
          counted = mlir::arith::AndIOp::create(
              b, l, counted,
              mlir::arith::AndIOp::create(b, l, cmp(CmpIPredicate::sge, i, begin),
                                          cmp(CmpIPredicate::slt, i, end)));
        }
        ElementBuilder e{b, l, t};
        Value row = mlir::arith::IndexCastOp::create(b, l, b.getIndexType(), index);
        Value element = mlir::tensor::ExtractOp::create(
            b, l, w, ValueRange{row, mlir::linalg::IndexOp::create(b, l, 1)});
        if (scales)
          element = e.mul(element, v[1]);
        Value acc = v[v.size() - 2], count = v.back();
        Value combined = mode == BagMode::Max ? e.max(acc, element) : e.add(acc, element);
        mlir::linalg::YieldOp::create(
            b, l,
            ValueRange{e.select(counted, combined, acc),
                       mlir::arith::AddIOp::create(
                           b, l, count, mlir::arith::ExtUIOp::create(b, l, i64, counted))});
      });
  if (mode == BagMode::Sum)
    return bag.getResult(0);
  return c.map({Lowered(bag.getResult(0)), Lowered(bag.getResult(1))}, outType,
               [mode, t](mlir::OpBuilder &b, mlir::Location l, ValueRange v) {
                 ElementBuilder e{b, l, t};
                 Value empty = mlir::arith::CmpIOp::create(
                     b, l, mlir::arith::CmpIPredicate::eq, v[1],
                     mlir::arith::ConstantIntOp::create(b, l, b.getI64Type(), 0));
                 Value value = mode == BagMode::Mean
                                   ? e.div(v[0], LoweringContext::cast(b, l, v[1], t))
                                   : v[0];
                 return e.select(empty, e.constant(0), value);
               });
}

//===--- Native norms and softmax gradients -------------------------------===//

/// A context for the first of a node's results, so that the plain norms' lowerings build the
/// output of a native norm, which also returns statistics.
static LoweringContext firstResultOf(LoweringContext &c) {
  return LoweringContext(c.b, c.loc, {c.resultTypes.at(0)});
}

static Lowered lowerNativeLayerNorm(LoweringContext &c, const LoweredArgs &a) {
  LoweringContext out = firstResultOf(c);
  Standardized stats;
  Value y = layerNormalize(out, a, &stats);
  return Lowered::sequence({Lowered(y), Lowered(stats.mean), Lowered(stats.rstd)});
}

static Lowered lowerNativeGroupNorm(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  GroupNormShape g = nativeGroupNormShape(shapeOf(x).vec(), a.toInt("N"), a.toInt("C"),
                                          a.toInt("HxW"), a.toInt("group"));
  LoweringContext out = firstResultOf(c);
  Standardized stats;
  Value y = groupNormalize(out, x, g, a.optionalTensor("weight"), a.optionalTensor("bias"),
                           a.toDouble("eps"), &stats);
  int64_t n = shapeOf(x)[0];
  return Lowered::sequence({Lowered(y), Lowered(c.reshape(stats.mean, {n, g.groups})),
                            Lowered(c.reshape(stats.rstd, {n, g.groups}))});
}

/// Eval-mode native_batch_norm: the output and empty saved statistics, as torch's CPU kernel.
static Lowered lowerNativeBatchNorm(LoweringContext &c, const LoweredArgs &a) {
  LoweringContext out = firstResultOf(c);
  Lowered y = lowerBatchNorm(out, a);
  return Lowered::sequence({y, Lowered(c.filled(c.resultTypes.at(1), 0)),
                            Lowered(c.filled(c.resultTypes.at(2), 0))});
}

/// The kernel's softmaxBackwardKernel: y * (g - sum(g * y)) or g - exp(y) * sum(g) along dim,
/// computed in the result's element type (input_dtype).
static Lowering softmaxBackwardLowering(bool logOf) {
  return [logOf](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value g = c.castTensor(a.tensor("grad_output"), t), y = c.castTensor(a.tensor("output"), t);
    int64_t dim = softmaxDim(a.literal("dim"), rankOf(g));
    Value terms = logOf ? g
                        : mapIn(c, t, {Lowered(g), Lowered(y)}, outType,
                                [](ElementBuilder &e, ValueRange v) { return e.mul(v[0], v[1]); });
    Value sum = c.reduce(terms, {dim}, /*keepdim=*/true, ReduceKind::Sum);
    return mapIn(c, t, {Lowered(g), Lowered(y), Lowered(sum)}, outType,
                 [logOf](ElementBuilder &e, ValueRange v) {
                   return logOf ? e.sub(v[0], e.mul(e.exp(v[1]), v[2]))
                                : e.mul(v[1], e.sub(v[0], v[2]));
                 });
  };
}

void populateNormalizationLowerings(LoweringTable &table) {
  table.add("batch_norm", lowerBatchNorm);
  table.add("layer_norm", lowerLayerNorm);
  table.add("group_norm", lowerGroupNorm);
  table.add("instance_norm", lowerInstanceNorm);
  table.add("normalize", lowerNormalize);
  table.add("cosine_similarity", lowerCosineSimilarity);
  table.add("pairwise_distance", lowerPairwiseDistance);
  table.add("mse_loss", lossLowering(mseBody));
  table.add("l1_loss", lossLowering(l1Body));
  table.add("smooth_l1_loss", lossLowering(smoothL1Body));
  table.add("huber_loss", lossLowering(huberBody));
  table.add("binary_cross_entropy", lossLowering(bceBody, {"weight"}));
  table.add("binary_cross_entropy_with_logits",
            lossLowering(bceLogitsBody, {"weight", "pos_weight"}));
  table.add("kl_div", lossLowering(klDivBody, {}, /*allowBatchMean=*/true));
  table.add("softmax", softmaxLowering(/*logOf=*/false));
  table.add("log_softmax", softmaxLowering(/*logOf=*/true));
  table.add("embedding", lowerEmbedding);
  table.add("embedding_bag", lowerEmbeddingBag);
  table.add("nll_loss", lowerNllLoss);
  table.add("cross_entropy", lowerCrossEntropy);
  table.add("nll_loss_forward", lowerNllLossForward);
  table.add("nll_loss_backward", lowerNllLossBackward);
  table.add("native_layer_norm", lowerNativeLayerNorm);
  table.add("native_group_norm", lowerNativeGroupNorm);
  table.add("native_batch_norm", lowerNativeBatchNorm);
  table.add("_softmax_backward_data", softmaxBackwardLowering(/*logOf=*/false));
  table.add("_log_softmax_backward_data", softmaxBackwardLowering(/*logOf=*/true));
}

} // namespace fxmlir
