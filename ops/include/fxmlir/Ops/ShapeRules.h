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
/// Refuses embedding's max_norm, which renormalises the weight in place.
void checkEmbeddingMaxNorm(const PyValue &maxNorm);

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
/// scatter's `reduce` ('add', 'multiply') is not supported yet: it must be None.
void checkScatterReduce(const PyValue &reduce);

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

//===--- Convolution and pooling ------------------------------------------===//

/// conv2d's hyper-parameters; stride, padding and dilation are (H, W).
struct Conv2dParams {
  std::vector<int64_t> stride, padding, dilation;
  int64_t groups;
};
/// Reads conv2d's hyper-parameters; string padding ('same', 'valid') is not supported yet.
Conv2dParams conv2dParams(const PyValue &stride, const PyValue &padding,
                          const PyValue &dilation, const PyValue &groups);
/// Checks conv2d's input (N, C, H, W), weight (F, C / groups, KH, KW) and bias (none where
/// there is no bias) against each other and `params`; returns the output shape (N, F, OH, OW).
Shape conv2dOutputShape(const Shape &input, const Shape &weight,
                        const std::optional<Shape> &bias, const Conv2dParams &params);

/// A 2-D pooling window; kernel, stride, padding and dilation are (H, W).
struct Pool2dWindow {
  std::vector<int64_t> kernel, stride, padding, dilation;
  bool ceilMode;
};
/// Reads a pooling window; a stride of None (or []) means the kernel size.
Pool2dWindow pool2dWindow(const PyValue &kernelSize, const PyValue &stride,
                          const PyValue &padding, const PyValue &dilation, bool ceilMode);
/// Checks `window` against a 4-D (N, C, H, W) input of `op` ("max_pool2d", ...) and returns
/// the output shape (N, C, OH, OW).
Shape pool2dOutputShape(const char *op, const Shape &input, const Pool2dWindow &window);
/// max_pool2d computes no indices: throws where `returnIndices` asks for them.
void checkMaxPoolReturnIndices(bool returnIndices);

/// Input positions [begin, end) along one dimension.
struct PoolSpan {
  int64_t begin, end;
  int64_t size() const { return end - begin; }
};
/// What avg_pool2d's output position `i` along `dim` (0: H, 1: W, of size `in`) averages: its
/// window clipped to the padded input (what count_include_pad counts) and to the input (what
/// it sums).
struct AvgPoolWindow {
  PoolSpan padded, inside;
};
AvgPoolWindow avgPoolWindow(const Pool2dWindow &window, int dim, int64_t i, int64_t in);
/// avg_pool2d's divisor over `rows` x `cols`: divisor_override, else the window's size with
/// (count_include_pad) or without its padding.
double avgPoolDivisor(const AvgPoolWindow &rows, const AvgPoolWindow &cols,
                      bool countIncludePad, const PyValue &divisorOverride);

/// Checks adaptive_avg_pool2d's 3-D or 4-D input and returns its output shape; an item of
/// `outputSize` that is None keeps the input's size.
Shape adaptiveAvgPool2dOutputShape(const Shape &input, const PyValue &outputSize);
/// The input positions adaptive pooling's output `i` of `out` averages, along a dimension of
/// size `in`.
PoolSpan adaptivePoolSpan(int64_t i, int64_t out, int64_t in);

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

} // namespace fxmlir

#endif
