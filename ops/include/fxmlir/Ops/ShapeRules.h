//===- ShapeRules.h - Rules an op's kernel and lowering share ----*- C++ -*-===//
//
// What an op's reference kernel (ops/lib) and its lowering (conversion/lib/FxToLinalg) must
// agree on, written once: argument checks, normalised dims, output sizes, divisors. They work on
// sizes, not data, and throw fxmlir::OpError with the message both report. Plain C++ (no MLIR),
// so that dynamic shapes can later run them on symbolic sizes.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_OPS_SHAPERULES_H
#define FXMLIR_OPS_SHAPERULES_H

#include "fxmlir/Runtime/PyValue.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fxmlir {

//===--- Reductions -------------------------------------------------------===//

/// Normalises dims (negative, list or single int) against a rank, sorted; empty/None means
/// all; a dim given twice is refused. A 0-d tensor accepts dim 0 or -1 and has none to reduce.
std::vector<int64_t> reductionDims(const PyValue &dims, int64_t rank);
/// How many elements a reduction over `dims` of `shape` combines: mean's divisor.
int64_t reducedElementCount(const Shape &shape, const std::vector<int64_t> &dims);
/// tril and triu need a matrix, or a batch of them.
void checkTriangleRank(int64_t rank);

/// var/std: the dims and the correction (the divisor is N - correction). `dim` may be a bool,
/// torch.var(x, unbiased)'s overload; `unbiased` and `correction` exclude each other; the
/// correction is 1 unless one of them says otherwise.
struct VarianceArgs {
  std::vector<int64_t> dims;
  double correction;
};
VarianceArgs varianceArgs(const PyValue &dim, const PyValue &unbiased, const PyValue &correction,
                          int64_t rank);
/// var's divisor over `shape`: max(0, N - correction), as torch (0 gives inf or NaN).
double varianceDivisor(const Shape &shape, const VarianceArgs &args);

/// Which torch.max (or min) overload a call means: the reduction to a 0-d tensor (no dim), the
/// reduction along a dim to (values, indices), or the elementwise maximum of two tensors (a
/// tensor where dim is, or `other`). One schema serves the three, as one target string names
/// one registry entry.
enum class ExtremumOverload { All, Dim, Binary };
ExtremumOverload extremumOverload(bool dimIsNone, bool dimIsTensor, bool otherIsNone);
/// max/min/argmax/argmin along `dim` of `shape` (None: over every element, flattened): the
/// normalised dim (0 when flattened, as of a 0-d input); an empty reduction is refused.
int64_t indexReductionDim(const char *op, const Shape &shape, const PyValue &dim);

//===--- Creation ---------------------------------------------------------===//

/// The sizes of zeros/ones/full/empty/new_*: no negative one.
Shape creationShape(const PyValue &size);
/// The dtype of a tensor made from Python numbers (fill_value, arange's bounds): `dtype` when
/// given, else float32 if one is a float, int64 if one is an int, bool if all are bools.
DType creationDType(const PyValue &dtype, const std::vector<PyValue> &numbers);
/// arange(start, end, step) (end None: arange(start)) as start + i * step, i < length.
struct ArangeRange {
  double start, step;
  int64_t length;
};
ArangeRange arangeRange(const PyValue &start, const PyValue &end, const PyValue &step);
/// linspace's shape [steps]; steps must not be negative.
Shape linspaceShape(int64_t steps);
/// linspace's i-th of `steps` values from `start` to `end` (computed from both ends, as torch).
double linspaceValue(double start, double end, int64_t steps, int64_t i);
/// eye's shape [n, m] (m None: n), both non-negative.
Shape eyeShape(int64_t n, const PyValue &m);

//===--- Normalization ----------------------------------------------------===//

/// batch_norm's channel count: dimension 1 of `input`, which must have at least 2 dims.
int64_t batchNormChannels(const Shape &input);
/// Checks that batch_norm's `name` (running_mean, running_var, weight or bias) has one element
/// per channel.
void checkBatchNormArg(const std::string &name, int64_t numel, int64_t channels);
/// How many elements layer_norm normalises together; `normalizedShape` must end `input`'s
/// shape.
int64_t layerNormSize(const Shape &input, const Shape &normalizedShape);
/// Checks that layer_norm's `name` (weight or bias) has one element per normalised element.
void checkLayerNormArg(const std::string &name, int64_t numel, int64_t normalizedSize);
/// softmax's (and log_softmax's) `dim` against `rank`; the implicit dim (None) is refused.
int64_t softmaxDim(const PyValue &dim, int64_t rank);
/// Refuses embedding's (and embedding_bag's, `op`) max_norm, which renormalises the weight in
/// place.
void checkEmbeddingMaxNorm(const PyValue &maxNorm, const char *op = "embedding");
/// embedding_bag's modes ('sum', 'mean', 'max', or aten's 0, 1, 2).
enum class BagMode { Sum, Mean, Max };
BagMode bagMode(const PyValue &mode);
/// embedding_bag: the number of bags of a 2-D input (its rows; no offsets) or of a 1-D input
/// cut at `offsets` (where each bag starts, then where the last ends when `includeLastOffset`;
/// else it ends with the input). The weight is 2-D; per_sample_weights (mode 'sum' only) has
/// the input's shape. The result is (bags, weight[1]).
int64_t embeddingBagCount(const Shape &input, const std::optional<Shape> &offsets,
                          const Shape &weight, BagMode mode,
                          const std::optional<Shape> &perSampleWeights, bool includeLastOffset);
/// embedding_bag's padding_idx (None: -1) as a row of a weight of `rows` rows (negative counts
/// from the end).
int64_t embeddingBagPaddingIdx(const PyValue &paddingIdx, int64_t rows);
/// group_norm (and instance_norm, one group per channel) of an input (N, C, *): statistics
/// over each of `groups` runs of `size` contiguous elements per sample; C must split into
/// `groups`.
struct GroupNormShape {
  int64_t channels, groups, size;
};
GroupNormShape groupNormShape(const char *op, const Shape &input, int64_t groups);
/// F.normalize's and cosine_similarity's dim, normalised (a 0-d tensor takes dim 0 or -1).
int64_t normDim(const Shape &shape, int64_t dim);
/// pairwise_distance: the dim it reduces, the last of the broadcast shape of the inputs.
int64_t pairwiseDistanceDim(const Shape &broadcast);

/// instance_norm without input statistics normalises by the running ones, which it needs.
void checkInstanceNormStats(bool useInputStats, bool hasRunningMean, bool hasRunningVar);

/// A loss's reduction: torch's `reduction` string, unless the legacy size_average or reduce
/// is given (None where the op has no such parameter), which decide as torch's
/// _Reduction.legacy_get_string. Only kl_div (`allowBatchMean`) takes 'batchmean'.
enum class LossReduction { None, Mean, Sum, BatchMean };
LossReduction lossReduction(const PyValue &sizeAverage, const PyValue &reduce,
                            const PyValue &reduction, bool allowBatchMean = false);
/// What the summed loss is divided by: the loss's element count for 'mean', the input's
/// batch size (dim 0; 1 for a 0-d input) for 'batchmean', else 1.
double lossDivisor(LossReduction r, const Shape &input, const Shape &loss);
/// smooth_l1_loss's beta must not be negative, huber_loss's delta must be positive.
void checkLossThreshold(const char *op, const char *name, double value, bool zeroAllowed);
/// Losses compute in floating point only.
void checkLossDType(const char *op, DType dtype);
/// binary_cross_entropy(_with_logits) needs a target of the input's shape.
void checkSameLossShape(const char *op, const Shape &input, const Shape &target);
/// nll_loss (and cross_entropy with class indices) on input (N, C, d...) or (C) and target
/// (N, d...) or (): `batch` samples of `classes` scores, each `inner` positions apart; the
/// unreduced loss has the target's shape. `weight`, when given, has one element per class.
struct ClassLossShape {
  int64_t batch, classes, inner;
  Shape perElement;
};
ClassLossShape classLossShape(const char *op, const Shape &input, const Shape &target,
                              const std::optional<int64_t> &weightNumel);
/// cross_entropy takes class probabilities when the target is floating (then of the input's
/// shape, and without an ignore_index), class indices otherwise.
bool crossEntropyTakesProbabilities(const Shape &input, const Shape &target, DType targetType,
                                    int64_t ignoreIndex);

//===--- Elementwise ------------------------------------------------------===//

/// torch.div's rounding_mode: None (true division), "trunc" or "floor"; throws otherwise.
enum class DivRounding { None, Trunc, Floor };
DivRounding divRounding(const PyValue &mode);

/// Checks clamp's bounds (None leaves a side open; at least one must be given, and given ones
/// are both numbers or both tensors); true when they are tensors.
bool clampTakesTensors(bool minIsNone, bool minIsTensor, bool maxIsNone, bool maxIsTensor);

/// glu's `dim`, normalised; the input must have dims and an even size along it.
int64_t gluDim(const Shape &shape, int64_t dim);
/// celu divides by `alpha`.
void checkCeluAlpha(double alpha);
/// prelu's weight: a scalar or a vector of one element, or of one per channel (dim 1 of the
/// input; a 0-d or 1-D input has one). Returns whether it has one per channel (it then
/// broadcasts along dim 1).
bool preluPerChannel(const Shape &input, const Shape &weight);

/// gelu's `approximate`: true for "tanh", false for "none"; throws otherwise.
bool geluUsesTanh(const std::string &approximate);

/// Dropout-like ops (dropout, stochastic_depth) are random in training with p > 0, the
/// identity otherwise.
bool isRandomDropout(const PyValue &p, bool training);

/// Throws torch._assert's error unless `holds` (the message is read only then).
void checkAssertion(bool holds, const PyValue &message);

//===--- Linear algebra ---------------------------------------------------===//

/// torch.matmul's operands as (broadcast) batches of M x K and K x N matrices: a 1-D left
/// operand is a row, a 1-D right operand a column, and the result drops that dimension.
struct MatmulShape {
  Shape batch;
  int64_t m, k, n;
  bool leftIsVector, rightIsVector;

  /// The result's shape: the batch, then M and N unless that operand is a vector.
  Shape result() const;
};
/// Checks that `a @ b` is defined (operands of rank 1 or more, matching K, batches that
/// broadcast) and returns its shape.
MatmulShape matmulShape(const Shape &a, const Shape &b);

/// mm: both operands must be matrices whose inner sizes agree.
void checkMm(const Shape &a, const Shape &b);
/// baddbmm's product shape [B, N, P] of `batch1` [B, N, M] and `batch2` [B, M, P].
Shape baddbmmShape(const Shape &batch1, const Shape &batch2);
/// outer (ger): both operands must be vectors.
void checkOuter(const Shape &a, const Shape &b);
/// bilinear: input1 (*, in1) and input2 (*, in2) with the same leading dims, weight
/// (out, in1, in2), bias (out); the result is (*, out).
Shape bilinearShape(const Shape &input1, const Shape &input2, const Shape &weight,
                    const std::optional<Shape> &bias);

/// An einsum equation bound to its operands' shapes: one subscript string per operand and the
/// output's (explicit, or the letters seen once, sorted), with each letter's size (a letter of
/// size 1 in one operand broadcasts). '...' is not supported yet.
struct EinsumSpec {
  std::vector<std::string> inputs;
  std::string output;
  /// The letters in loop order: the output's, then the summed ones.
  std::string loops;
  std::vector<int64_t> loopSizes;
  int64_t sizeOf(char letter) const;
  Shape result() const;
};
EinsumSpec einsumSpec(const std::string &equation, const std::vector<Shape> &operands);

//===--- Indexing ---------------------------------------------------------===//

// Out-of-range index values are errors in the kernels; compiled code does not check them (an
// out-of-range index is undefined behaviour there, as in torch's CUDA kernels).

/// An op that reads along one dim of its input: the normalised dim and the result's shape.
struct IndexedDim {
  int64_t dim;
  Shape result;
};
/// index_select: `index` is a vector (or a scalar) of int32 or int64; a 0-d input stays 0-d.
IndexedDim indexSelectShape(const Shape &input, int64_t dim, const Shape &index,
                            DType indexType);
/// gather: `index` is int64, of the input's rank, no larger than the input except along
/// `dim`; the result has the index's shape.
IndexedDim gatherShape(const Shape &input, int64_t dim, const Shape &index, DType indexType);
/// scatter and scatter_add: `index` as for gather, and no larger than `src` anywhere.
int64_t scatterDim(const Shape &self, int64_t dim, const Shape &index, const Shape &src,
                   DType indexType);
/// How scatter combines a written value with what is there.
enum class ScatterReduce { Replace, Sum, Prod, Mean, Amax, Amin };
/// scatter's `reduce` (None, 'add', 'multiply'), or scatter_reduce's when `scatterReduce`
/// ('sum', 'prod', 'mean', 'amax', 'amin').
ScatterReduce scatterReduceOf(const PyValue &reduce, bool scatterReduce);

/// flip's dims, normalised; a dim given twice is an error.
std::vector<int64_t> flipDims(const std::vector<int64_t> &dims, int64_t rank);

/// roll: each shift in [0, size) along its dim; `flat` (no dims) rolls the flattened tensor,
/// with dims = {0} and the size being the element count.
struct RollShifts {
  std::vector<int64_t> dims, shifts;
  bool flat;
};
RollShifts rollShifts(const std::vector<int64_t> &shifts, const std::vector<int64_t> &dims,
                      const Shape &shape);

/// repeat: `repeats` has at least one entry per dim, none negative. The input, padded with
/// leading 1s to `repeats.size()` dims, is `padded`; the result has `repeats[i] * padded[i]`.
struct RepeatShape {
  Shape padded, result;
};
RepeatShape repeatShape(const Shape &input, const std::vector<int64_t> &repeats);
/// tile: `dims` padded with leading 1s to the input's rank, then as repeat.
std::vector<int64_t> tileRepeats(const std::vector<int64_t> &dims, int64_t rank);

/// diagonal: dims normalised and distinct; the diagonal's `length` and start in each dim.
struct DiagonalShape {
  int64_t dim1, dim2, start1, start2, length;
  /// The input's other dims, then the diagonal.
  Shape result;
};
DiagonalShape diagonalShape(const Shape &input, int64_t offset, int64_t dim1, int64_t dim2);
/// diag_embed: the last dim of the input becomes the diagonal (at `offset`) of new dims `dim1`
/// and `dim2` of the result, of size n + |offset|.
struct DiagEmbedShape {
  int64_t dim1, dim2, size;
  Shape result;
};
DiagEmbedShape diagEmbedShape(const Shape &input, int64_t offset, int64_t dim1, int64_t dim2);
/// diag needs a vector (made a matrix) or a matrix (whose diagonal it takes).
void checkDiagRank(int64_t rank);

/// movedim: the permutation that moves dims `source` to positions `destination`.
std::vector<int64_t> movedimPermutation(const std::vector<int64_t> &source,
                                        const std::vector<int64_t> &destination, int64_t rank);

/// pixel_shuffle, pixel_unshuffle and channel_shuffle are a reshape to `split`, a permutation
/// and a reshape to `result`.
struct LayoutShuffle {
  Shape split;
  std::vector<int64_t> perm;
  Shape result;
};
/// pixel_shuffle: (*, C*r*r, H, W) -> (*, C, H*r, W*r).
LayoutShuffle pixelShuffleLayout(const Shape &input, int64_t upscaleFactor);
/// pixel_unshuffle: (*, C, H*r, W*r) -> (*, C*r*r, H, W).
LayoutShuffle pixelUnshuffleLayout(const Shape &input, int64_t downscaleFactor);
/// channel_shuffle: (N, g*k, *) -> (N, k*g, *), channels transposed as a g x k matrix.
LayoutShuffle channelShuffleLayout(const Shape &input, int64_t groups);

/// interpolate as one resampling per spatial dim (the last dims after N and C), last dim
/// first, as torch's separable kernels: output position o of a dim reads positions
/// index[k][o] of its taps k, weighted by weight[k][o] (nearest: one tap, no weights).
enum class Resampling { Nearest, Linear, Cubic };
struct ResampleAxis {
  int64_t dim;
  std::vector<std::vector<int64_t>> index;
  std::vector<std::vector<double>> weight;
};
struct InterpolatePlan {
  bool nearest;
  Shape result;
  std::vector<ResampleAxis> axes;
};
/// Checks F.interpolate's arguments (modes 'nearest', 'linear', 'bilinear', 'trilinear',
/// 'bicubic'; an integer input only for nearest, uint8) and plans it.
InterpolatePlan interpolatePlan(const Shape &input, DType dtype, const PyValue &size,
                                const PyValue &scaleFactor, const std::string &mode,
                                const PyValue &alignCorners, const PyValue &recomputeScaleFactor);
/// The same for aten's upsample_*2d: the output size, or the scale factors (empty: none; 0:
/// none for that dim), which also set the source positions.
InterpolatePlan upsamplePlan(const Shape &input, DType dtype, const PyValue &outputSize,
                             const std::vector<double> &scales, Resampling kind,
                             bool alignCorners);

/// upsample_*2d's scale factors from its bound arguments (a kernel's BoundArgs or a lowering's
/// LoweredArgs; `literal(name)` reads a value): scale_factors (.vec, None: none), or scales_h
/// and scales_w (None: 0).
template <typename Args, typename Literal>
std::vector<double> upsampleScales(const Args &a, Literal literal) {
  std::vector<double> scales;
  if (a.getSchema().find("scales_h") >= 0) {
    for (const char *name : {"scales_h", "scales_w"})
      scales.push_back(a.isNone(name) ? 0.0 : literal(name).toDouble());
  } else if (!a.isNone("scale_factors")) {
    for (const PyValue &v : literal("scale_factors").items())
      scales.push_back(v.toDouble());
  }
  return scales;
}

/// sort, argsort, topk and kthvalue along `dim` (0-d counts as 1-d); `count` of the sorted
/// positions, from `first`, are kept; `descending` orders largest (NaN) first.
struct SortedSlice {
  int64_t dim, size, first, count;
  bool descending;
  /// The values' (and indices') shape.
  Shape result;
};
SortedSlice sortSlice(const Shape &input, int64_t dim, bool descending);
SortedSlice topkSlice(const Shape &input, int64_t k, int64_t dim, bool largest);
SortedSlice kthvalueSlice(const Shape &input, int64_t k, int64_t dim, bool keepdim);
/// Whether `a` sorts strictly before `b` (NaN counts as the largest value), ties excluded.
bool sortsBefore(Element a, Element b, bool descending);
/// The slice a sort-like op's bound arguments (a kernel's BoundArgs or a lowering's
/// LoweredArgs) ask for: topk (k, dim, largest), kthvalue (k, dim, keepdim), else sort and
/// argsort (dim, descending).
template <typename Args>
SortedSlice sortedSliceOf(const Shape &input, const Args &a) {
  if (a.getSchema().find("largest") >= 0)
    return topkSlice(input, a.toInt("k"), a.toInt("dim"), a.toBool("largest"));
  if (a.getSchema().find("keepdim") >= 0)
    return kthvalueSlice(input, a.toInt("k"), a.toInt("dim"), a.toBool("keepdim"));
  return sortSlice(input, a.toInt("dim"), a.toBool("descending"));
}

//===--- Convolution and pooling ------------------------------------------===//

/// A convolution's hyper-parameters; stride, padding, dilation and output padding have one
/// item per spatial dim (D, H, W order).
struct ConvParams {
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups;
  /// Transposed convolutions only (empty otherwise): extra output rows at the high end.
  std::vector<int64_t> outputPadding = {};
  /// Padding after the input beyond `padding` (empty: none): padding='same' with an odd total
  /// pads one element more after than before, as torch does (through F.pad).
  std::vector<int64_t> extraPaddingAfter = {};

  /// The padding after the input along spatial dim `d`.
  int64_t paddingAfter(size_t d) const {
    return padding[d] + (extraPaddingAfter.empty() ? 0 : extraPaddingAfter[d]);
  }
};
/// Reads the hyper-parameters of a convolution over `spatial` dims. `outputPadding` is a
/// transposed convolution's (None: none). String padding needs the shape of the `weight`
/// (F, C / groups, kernel...): 'valid' is none, 'same' pads dilation * (kernel - 1) per dim in
/// total, the odd element after, and needs stride 1.
ConvParams convParams(int64_t spatial, const PyValue &stride, const PyValue &padding,
                      const PyValue &dilation, const PyValue &groups,
                      const PyValue &outputPadding = PyValue::none(), const Shape &weight = {});
/// Checks `op`'s ("conv2d", ...) input (N, C, spatial...), weight (F, C / groups, kernel...)
/// and bias (none where there is no bias) against each other and `params`; returns the output
/// shape (N, F, out...).
Shape convOutputShape(const char *op, const Shape &input, const Shape &weight,
                      const std::optional<Shape> &bias, const ConvParams &params);
/// The same for a transposed convolution (`op`: "conv_transpose2d", ...): weight (C, F / groups,
/// kernel...), output padding below the stride or the dilation; returns (N, F, out...) with
/// out = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1.
Shape convTransposeOutputShape(const char *op, const Shape &input, const Shape &weight,
                               const std::optional<Shape> &bias, const ConvParams &params);
/// torch.nn.ConvTransposeNd's forward with `output_size` (the spatial sizes, or all of the
/// output's): the output padding that gives them, as torch's `_output_padding`; a size out of
/// the reachable range is refused. `kernel` is the weight's spatial sizes.
std::vector<int64_t> convTransposeOutputPadding(const Shape &input, const PyValue &outputSize,
                                                const std::vector<int64_t> &kernel,
                                                const ConvParams &params);
/// torch.convolution: how many spatial dims its weight has (1 to 3).
int64_t convolutionSpatialDims(const Shape &weight);

/// A pooling window over `kernel.size()` spatial dims (D, H, W order).
struct PoolWindow {
  std::vector<int64_t> kernel, stride, padding, dilation;
  bool ceilMode;
};
/// Reads a pooling window over `spatial` dims; a stride of None (or []) means the kernel size.
PoolWindow poolWindow(int64_t spatial, const PyValue &kernelSize, const PyValue &stride,
                      const PyValue &padding, const PyValue &dilation, bool ceilMode);
/// Checks `window` against a batched (N, C, spatial...) input of `op` ("max_pool2d", ...) and
/// returns the output shape (N, C, out...).
Shape poolOutputShape(const char *op, const Shape &input, const PoolWindow &window);
/// Pooling's input must be batched (spatial + 2 dims) or unbatched (spatial + 1).
void checkPoolInputRank(const char *op, const Shape &input, int64_t spatial);

/// The input positions a max pooling output position reads along one spatial dim: begin +
/// k * step for k < count, those inside the input only. Max pooling (and its indices: flat
/// positions in each (N, C) plane of the input) takes the first of them, then any that is
/// greater or NaN, as torch's kernels.
struct PoolTaps {
  int64_t begin, step, count;
};
/// max_pool's taps of output position `i` along spatial `dim`.
PoolTaps maxPoolTaps(const PoolWindow &window, int dim, int64_t i);
/// adaptive_max_pool's taps of output position `i` of `out` along a dim of size `in`: its bin.
PoolTaps adaptivePoolTaps(int64_t i, int64_t out, int64_t in);

/// Input positions [begin, end) along one dimension.
struct PoolSpan {
  int64_t begin, end;
  int64_t size() const { return end - begin; }
};
/// What avg_pool's output position `i` along spatial `dim` (of size `in`) averages: its
/// window clipped to the padded input (what count_include_pad counts) and to the input (what
/// it sums).
struct AvgPoolWindow {
  PoolSpan padded, inside;
};
AvgPoolWindow avgPoolWindow(const PoolWindow &window, int dim, int64_t i, int64_t in);
/// avg_pool's divisor over the windows of each spatial dim: divisor_override, else the
/// window's size with (count_include_pad) or without its padding.
double avgPoolDivisor(const std::vector<AvgPoolWindow> &windows, bool countIncludePad,
                      const PyValue &divisorOverride);

/// Checks adaptive_avg_pool's (or adaptive_max_pool's) input (spatial + 1 or + 2 dims) and
/// returns its output shape; an item of `outputSize` that is None keeps the input's size.
Shape adaptivePoolOutputShape(const char *op, int64_t spatial, const Shape &input,
                              const PyValue &outputSize);
/// The input positions adaptive pooling's output `i` of `out` combines, along a dimension of
/// size `in`.
PoolSpan adaptivePoolSpan(int64_t i, int64_t out, int64_t in);

/// max_unpool over `spatial` dims: the output shape, the input's with the spatial sizes
/// `outputSize` gives (None: (in - 1) * stride - 2 * padding + kernel, as torch's
/// _unpool_output_size); `indices` must have the input's shape.
Shape maxUnpoolOutputShape(int64_t spatial, const Shape &input, const Shape &indices,
                           const PoolWindow &window, const PyValue &outputSize);

/// F.unfold (im2col) and F.fold (col2im): sliding blocks of `kernel` over 2 spatial dims.
struct BlockParams {
  std::vector<int64_t> kernel, dilation, padding, stride;
};
BlockParams blockParams(const PyValue &kernel, const PyValue &dilation, const PyValue &padding,
                        const PyValue &stride);
/// The blocks along each spatial dim of sizes `spatial`: torch's "array of sliding blocks".
std::vector<int64_t> blockCounts(const std::vector<int64_t> &spatial, const BlockParams &p);
/// unfold of a (N, C, H, W) or unbatched (C, H, W) input: (N, C * kh * kw, blocks), N dropped
/// when unbatched.
Shape unfoldShape(const Shape &input, const BlockParams &p);
/// fold of a (N, C * kh * kw, blocks) or unbatched input into `outputSize`: (N, C, H, W).
Shape foldShape(const Shape &input, const PyValue &outputSize, const BlockParams &p);
/// Where a block element lands along one spatial dim: block `b`'s element `k` is at
/// b * stride - padding + k * dilation, -1 where that lies outside [0, size).
int64_t blockSource(const BlockParams &p, int dim, int64_t b, int64_t k, int64_t size);

/// torch.nn.functional.pad's modes.
enum class PadMode { Constant, Reflect, Replicate, Circular };
PadMode padMode(const std::string &mode);
/// F.pad's fill value (None: 0); only mode 'constant' takes one other than 0.
double padFillValue(const std::string &mode, const PyValue &value);
/// Checks `pad` (pairs (before, after), last dim first) against `input` for `mode` and returns
/// the output shape; constant padding may be negative (cropping).
Shape paddedShape(const Shape &input, const std::vector<int64_t> &pad, PadMode mode);
/// The input position output position `i` reads along a dim of size `in` padded by `before`;
/// -1 where constant padding fills it.
int64_t padSource(PadMode mode, int64_t i, int64_t in, int64_t before);

//===--- Shape ------------------------------------------------------------===//

/// torch.Size as Python sees it: a tuple of ints.
PyValue sizeTuple(const Shape &shape);
/// Tensor.size(dim): the whole torch.Size when `dim` is None, else that dim's size.
PyValue sizeOf(const Shape &shape, const PyValue &dim);

/// flatten: dims `startDim` to `endDim` merged into one; a 0-d tensor becomes [1].
Shape flattenedShape(const Shape &shape, int64_t startDim, int64_t endDim);
/// unsqueeze (and stack, on each tensor): a dim of size 1 inserted at `dim`.
Shape unsqueezedShape(const Shape &shape, int64_t dim);
/// squeeze: every dim of size 1 dropped, or only `dim` where it is not None.
Shape squeezedShape(const Shape &shape, const PyValue &dim);
/// expand: `sizes`, where -1 keeps the input's size; `shape` must broadcast to it.
Shape expandedShape(const Shape &shape, std::vector<int64_t> sizes);
/// unflatten: dim `dim` split into `sizes` (one -1 inferred), which must multiply up to it.
Shape unflattenedShape(const Shape &shape, int64_t dim, const std::vector<int64_t> &sizes);
/// unbind: the normalised dim; a 0-d tensor has none.
int64_t unbindDim(const Shape &shape, int64_t dim);

/// permute: `dims` normalised; there must be one per dim of a rank-`rank` tensor.
std::vector<int64_t> permutationDims(const std::vector<int64_t> &dims, int64_t rank);
/// transpose: the identity permutation with `dim0` and `dim1` swapped.
std::vector<int64_t> transposedDims(int64_t rank, int64_t dim0, int64_t dim1);
/// t(): a matrix's two dims swapped; a vector or a scalar keeps its dims.
std::vector<int64_t> matrixTransposeDims(int64_t rank);

/// torch.cat skips legacy empty tensors (1-D with no elements).
bool isSkippedByCat(const Shape &shape);
/// cat's dim, normalised; checks that there are tensors (legacy empty ones removed) and that
/// their shapes agree except along `dim`.
int64_t catDim(const std::vector<Shape> &shapes, int64_t dim);
/// split: the lengths of the parts of a dim of `size`, `sizes` itself (which must add up to
/// `size`) or parts of `sizes` items, the last one shorter.
std::vector<int64_t> splitSizes(const PyValue &sizes, int64_t size);
/// chunk: `chunks` parts of a dim of `size` (fewer where they would be empty), rounded up.
std::vector<int64_t> chunkSizes(int64_t chunks, int64_t size);

/// Python's index into `length` items, normalised (negative counts from the end); none when
/// it is out of range.
std::optional<int64_t> normalizedIndex(int64_t index, int64_t length);
/// narrow: the normalised start of `length` items along a dim of `size`.
int64_t narrowStart(int64_t start, int64_t length, int64_t size);
/// The items `start + k * step` (k < length) a Python slice with a positive step selects
/// from `size` items: slice.indices().
struct SliceBounds {
  int64_t start, length, step;
};
SliceBounds sliceBounds(const PyValue &slice, int64_t size);
/// Basic indexing (ints, slices, None and Ellipsis) of a tensor of `shape`: one strided slice,
/// then a reshape to `shape`, which drops the int-indexed dims and inserts the None ones.
struct BasicIndex {
  std::vector<int64_t> offsets, sizes, strides;
  Shape shape;
};
BasicIndex basicIndex(const Shape &shape, const PyValue &index);
/// The index `x[:, ..., :, entry]` with `entry` at `dim` of a rank-`rank` tensor: aten's select
/// (an int) and slice (a slice) as getitem indices.
PyValue indexAlongDim(int64_t rank, int64_t dim, const PyValue &entry);
/// as_strided of a contiguous tensor of `numel` elements: `size` and `stride` of equal length,
/// every position from `offset` inside the tensor.
void checkAsStrided(int64_t numel, const std::vector<int64_t> &size,
                    const std::vector<int64_t> &stride, int64_t offset);
/// Whether an index has entries that select by value (tensors, lists of ints): advanced
/// indexing, which torch applies after the basic entries, as aten.index on their result.
bool hasTensorEntries(const PyValue &index);
/// An index split as torch applies it: `basic` (each tensor entry replaced by full slices, one
/// per dim it consumes: a bool mask its rank, others one) and the tensor entries with the dim
/// of the basic result each starts at.
struct TensorIndexing {
  PyValue basic;
  std::vector<std::pair<int64_t, PyValue>> entries;
};
TensorIndexing splitTensorIndex(const Shape &shape, const PyValue &index);
/// aten.index with integer index tensors of shapes `indices` (aligned with the input's dims,
/// nullopt where a dim is not indexed): they broadcast to `broadcast`, which the result has at
/// `position` (the first indexed dim where the indexed dims are adjacent, else 0) among the
/// other dims (`otherDims`, in order).
struct AdvancedIndex {
  Shape broadcast;
  int64_t position = 0;
  std::vector<int64_t> otherDims;
  Shape result;
};
AdvancedIndex advancedIndex(const Shape &input, const std::vector<std::optional<Shape>> &indices);
/// `self[index] = value`: the shape `value` is written with, its leading 1s dropped as torch
/// drops them; what remains must broadcast to `target`, the shape of `self[index]`.
Shape setitemValueShape(const Shape &value, const Shape &target);

/// native_layer_norm's mean and rstd: the input's shape with the normalised dims 1.
Shape layerNormStatsShape(const Shape &input, const Shape &normalizedShape);
/// native_group_norm's view of `input` given its N, C, HxW and group arguments, which must
/// describe the input.
GroupNormShape nativeGroupNormShape(const Shape &input, int64_t n, int64_t c, int64_t hxw,
                                    int64_t group);

} // namespace fxmlir

#endif
