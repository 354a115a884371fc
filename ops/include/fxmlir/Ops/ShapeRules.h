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
/// all.
std::vector<int64_t> reductionDims(const PyValue &dims, int64_t rank);
/// How many elements a reduction over `dims` of `shape` combines: mean's divisor.
int64_t reducedElementCount(const Shape &shape, const std::vector<int64_t> &dims);
/// tril and triu need a matrix, or a batch of them.
void checkTriangleRank(int64_t rank);

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

/// clamp's bounds; None leaves that side open.
struct ClampBounds {
  std::optional<double> min, max;
};
ClampBounds clampBounds(const PyValue &min, const PyValue &max);

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
