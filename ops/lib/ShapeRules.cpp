//===- ShapeRules.cpp - Rules an op's kernel and lowering share -----------===//
#include "fxmlir/Ops/ShapeRules.h"

#include <algorithm>

namespace fxmlir {

std::vector<int64_t> reductionDims(const PyValue &dims, int64_t rank) {
  std::vector<int64_t> out;
  if (!dims.isNone())
    for (int64_t d : dims.toIntList())
      out.push_back(wrapDim(d, rank));
  if (out.empty())
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(d);
  std::sort(out.begin(), out.end());
  return out;
}

int64_t reducedElementCount(const Shape &shape, const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= shape[d];
  return n;
}

void checkTriangleRank(int64_t rank) {
  if (rank < 2)
    throw OpError("tril/triu: input tensor must have at least 2 dimensions");
}

//===--- Normalization ----------------------------------------------------===//

int64_t batchNormChannels(const Shape &input) {
  if (input.size() < 2)
    throw OpError("batch_norm: expected at least 2-D input");
  return input[1];
}

void checkBatchNormArg(const std::string &name, int64_t numel, int64_t channels) {
  if (numel != channels)
    throw OpError("batch_norm: " + name + " has " + std::to_string(numel) + " elements for " +
                  std::to_string(channels) + " channels");
}

int64_t layerNormSize(const Shape &input, const Shape &normalizedShape) {
  if (normalizedShape.size() > input.size() ||
      !std::equal(normalizedShape.begin(), normalizedShape.end(),
                  input.end() - normalizedShape.size()))
    throw OpError("layer_norm: normalized_shape " + shapeToString(normalizedShape) +
                  " does not match the end of the input shape " + shapeToString(input));
  return numElements(normalizedShape);
}

void checkLayerNormArg(const std::string &name, int64_t numel, int64_t normalizedSize) {
  if (numel != normalizedSize)
    throw OpError("layer_norm: " + name + " has " + std::to_string(numel) +
                  " elements, expected " + std::to_string(normalizedSize));
}

int64_t softmaxDim(const PyValue &dim, int64_t rank) {
  if (dim.isNone())
    throw OpError("softmax: implicit dim is deprecated; pass dim");
  return wrapDim(dim.toInt(), rank);
}

void checkEmbeddingMaxNorm(const PyValue &maxNorm) {
  if (!maxNorm.isNone())
    throw OpError("embedding: max_norm renormalises the weight in place; not supported");
}

//===--- Elementwise ------------------------------------------------------===//

ClampBounds clampBounds(const PyValue &min, const PyValue &max) {
  ClampBounds bounds;
  if (!min.isNone())
    bounds.min = min.toDouble();
  if (!max.isNone())
    bounds.max = max.toDouble();
  return bounds;
}

bool geluUsesTanh(const std::string &approximate) {
  if (approximate != "none" && approximate != "tanh")
    throw OpError("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
  return approximate == "tanh";
}

bool isRandomDropout(const PyValue &p, bool training) { return training && p.toDouble() > 0; }

void checkAssertion(bool holds, const PyValue &message) {
  if (!holds)
    throw OpError("assertion failed: " + message.toStr());
}

//===--- Linear algebra ---------------------------------------------------===//

Shape MatmulShape::result() const {
  Shape shape = batch;
  if (!leftIsVector)
    shape.push_back(m);
  if (!rightIsVector)
    shape.push_back(n);
  return shape;
}

MatmulShape matmulShape(const Shape &a, const Shape &b) {
  if (a.empty() || b.empty())
    throw OpError("matmul: both arguments need at least 1 dimension");
  MatmulShape s;
  s.leftIsVector = a.size() == 1;
  s.rightIsVector = b.size() == 1;
  Shape left = s.leftIsVector ? Shape{1, a[0]} : a;
  Shape right = s.rightIsVector ? Shape{b[0], 1} : b;
  s.m = left[left.size() - 2];
  s.k = left.back();
  s.n = right.back();
  int64_t rightK = right[right.size() - 2];
  if (s.k != rightK)
    throw OpError("mat1 and mat2 shapes cannot be multiplied (" + std::to_string(s.m) + "x" +
                  std::to_string(s.k) + " and " + std::to_string(rightK) + "x" +
                  std::to_string(s.n) + ")");
  s.batch = broadcastShapes(Shape(left.begin(), left.end() - 2),
                            Shape(right.begin(), right.end() - 2));
  return s;
}

//===--- Convolution and pooling ------------------------------------------===//

static void requireRank4(const Shape &input, const char *op) {
  if (input.size() != 4)
    throw OpError(std::string(op) + ": expected a 4-D (N, C, H, W) input, got shape " +
                  shapeToString(input));
}

/// How many windows fit along a dimension of size `in`, with ceil_mode's rule that the last
/// window must start inside the input or its left padding.
static int64_t windowCount(int64_t in, int64_t kernel, int64_t stride, int64_t padding,
                           int64_t dilation, bool ceilMode) {
  int64_t span = in + 2 * padding - dilation * (kernel - 1) - 1;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= in + padding)
    --out;
  return out;
}

Conv2dParams conv2dParams(const PyValue &stride, const PyValue &padding,
                          const PyValue &dilation, const PyValue &groups) {
  if (padding.kind() == PyValue::Kind::Str)
    throw OpError("conv2d: string padding ('same', 'valid') is not supported yet");
  return {stride.toIntList(2), padding.toIntList(2), dilation.toIntList(2), groups.toInt()};
}

Shape conv2dOutputShape(const Shape &input, const Shape &weight,
                        const std::optional<Shape> &bias, const Conv2dParams &params) {
  requireRank4(input, "conv2d");
  if (weight.size() != 4)
    throw OpError("conv2d: weight must be 4-D, got shape " + shapeToString(weight));
  const auto &[stride, padding, dilation, groups] = params;
  int64_t channels = input[1], filters = weight[0];
  if (channels != weight[1] * groups || filters % groups != 0)
    throw OpError("conv2d: weight of shape " + shapeToString(weight) + " with groups=" +
                  std::to_string(groups) + " does not fit an input with " +
                  std::to_string(channels) + " channels");
  if (groups <= 0 || stride[0] <= 0 || stride[1] <= 0 || dilation[0] <= 0 || dilation[1] <= 0 ||
      padding[0] < 0 || padding[1] < 0)
    throw OpError("conv2d: groups, stride and dilation must be positive, padding non-negative");
  if (bias && numElements(*bias) != filters)
    throw OpError("conv2d: bias has " + std::to_string(numElements(*bias)) + " elements for " +
                  std::to_string(filters) + " output channels");
  int64_t height = windowCount(input[2], weight[2], stride[0], padding[0], dilation[0], false);
  int64_t width = windowCount(input[3], weight[3], stride[1], padding[1], dilation[1], false);
  if (height <= 0 || width <= 0)
    throw OpError("conv2d: input of shape " + shapeToString(input) + " is too small");
  return {input[0], filters, height, width};
}

Pool2dWindow pool2dWindow(const PyValue &kernelSize, const PyValue &stride,
                          const PyValue &padding, const PyValue &dilation, bool ceilMode) {
  Pool2dWindow window;
  window.kernel = kernelSize.toIntList(2);
  bool strideIsKernel = stride.isNone() || (stride.isSequence() && stride.items().empty());
  window.stride = strideIsKernel ? window.kernel : stride.toIntList(2);
  window.padding = padding.toIntList(2);
  window.dilation = dilation.toIntList(2);
  window.ceilMode = ceilMode;
  return window;
}

Shape pool2dOutputShape(const char *op, const Shape &input, const Pool2dWindow &window) {
  requireRank4(input, op);
  const auto &[k, s, p, d, ceilMode] = window;
  if (k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 ||
      p[1] < 0)
    throw OpError("pooling: kernel size, stride and dilation must be positive");
  if (p[0] * 2 > k[0] || p[1] * 2 > k[1])
    throw OpError("pad should be at most half of effective kernel size");
  return {input[0], input[1], windowCount(input[2], k[0], s[0], p[0], d[0], ceilMode),
          windowCount(input[3], k[1], s[1], p[1], d[1], ceilMode)};
}

void checkMaxPoolReturnIndices(bool returnIndices) {
  if (returnIndices)
    throw OpError("max_pool2d: return_indices=True is not supported");
}

AvgPoolWindow avgPoolWindow(const Pool2dWindow &window, int dim, int64_t i, int64_t in) {
  int64_t padding = window.padding[dim];
  int64_t begin = i * window.stride[dim] - padding;
  int64_t end = std::min(begin + window.kernel[dim], in + padding);
  return {{begin, end}, {std::max<int64_t>(begin, 0), std::min(end, in)}};
}

double avgPoolDivisor(const AvgPoolWindow &rows, const AvgPoolWindow &cols,
                      bool countIncludePad, const PyValue &divisorOverride) {
  if (!divisorOverride.isNone())
    return (double)divisorOverride.toInt();
  if (countIncludePad)
    return (double)(rows.padded.size() * cols.padded.size());
  return (double)(rows.inside.size() * cols.inside.size());
}

Shape adaptiveAvgPool2dOutputShape(const Shape &input, const PyValue &outputSize) {
  if (input.size() != 3 && input.size() != 4)
    throw OpError("adaptive_avg_pool2d: expected a 3-D or 4-D input, got shape " +
                  shapeToString(input));
  size_t rank = input.size();
  std::vector<int64_t> size;
  if (outputSize.isSequence()) {
    const auto &items = outputSize.items();
    for (size_t i = 0; i < 2; ++i) // None keeps the input's size
      size.push_back(items[i].isNone() ? input[rank - 2 + i] : items[i].toInt());
  } else {
    size = outputSize.toIntList(2);
  }
  if (size[0] <= 0 || size[1] <= 0)
    throw OpError("adaptive_avg_pool2d: output size must be positive");
  Shape out = input;
  out[rank - 2] = size[0];
  out[rank - 1] = size[1];
  return out;
}

PoolSpan adaptivePoolSpan(int64_t i, int64_t out, int64_t in) {
  return {i * in / out, ((i + 1) * in + out - 1) / out};
}

//===--- Shape ------------------------------------------------------------===//

PyValue sizeTuple(const Shape &shape) {
  std::vector<PyValue> items;
  for (int64_t d : shape)
    items.push_back(PyValue::integer(d));
  return PyValue::tuple(items);
}

PyValue sizeOf(const Shape &shape, const PyValue &dim) {
  if (dim.isNone())
    return sizeTuple(shape);
  if (shape.empty())
    throw OpError("Dimension specified as " + std::to_string(dim.toInt()) +
                  " but tensor has no dimensions");
  return PyValue::integer(shape[wrapDim(dim.toInt(), (int64_t)shape.size())]);
}

Shape flattenedShape(const Shape &shape, int64_t startDim, int64_t endDim) {
  if (shape.empty())
    return {1};
  int64_t rank = (int64_t)shape.size();
  startDim = wrapDim(startDim, rank);
  endDim = wrapDim(endDim, rank);
  if (startDim > endDim)
    throw OpError("flatten() has invalid args: start_dim cannot come after end_dim");
  Shape out(shape.begin(), shape.begin() + startDim);
  int64_t merged = 1;
  for (int64_t d = startDim; d <= endDim; ++d)
    merged *= shape[d];
  out.push_back(merged);
  out.insert(out.end(), shape.begin() + endDim + 1, shape.end());
  return out;
}

Shape unsqueezedShape(const Shape &shape, int64_t dim) {
  Shape out = shape;
  out.insert(out.begin() + wrapDim(dim, (int64_t)shape.size() + 1), 1);
  return out;
}

Shape squeezedShape(const Shape &shape, const PyValue &dim) {
  int64_t rank = (int64_t)shape.size();
  int64_t only = dim.isNone() ? -1 : wrapDim(dim.toInt(), rank);
  Shape out;
  for (int64_t d = 0; d < rank; ++d)
    if (shape[d] != 1 || (only >= 0 && d != only))
      out.push_back(shape[d]);
  return out;
}

Shape expandedShape(const Shape &shape, std::vector<int64_t> sizes) {
  if (sizes.size() < shape.size())
    throw OpError("expand: the number of sizes provided (" + std::to_string(sizes.size()) +
                  ") must be greater or equal to the number of dimensions in the tensor (" +
                  std::to_string(shape.size()) + ")");
  size_t offset = sizes.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (sizes[offset + i] == -1)
      sizes[offset + i] = shape[i];
  broadcastShapes(shape, sizes); // throws where `shape` does not expand to `sizes`
  return sizes;
}

std::vector<int64_t> permutationDims(const std::vector<int64_t> &dims, int64_t rank) {
  if ((int64_t)dims.size() != rank)
    throw OpError("permute: number of dims don't match (" + std::to_string(dims.size()) +
                  " for a " + std::to_string(rank) + "-D tensor)");
  std::vector<int64_t> out;
  for (int64_t d : dims)
    out.push_back(wrapDim(d, rank));
  return out;
}

/// 0, 1, ..., rank - 1.
static std::vector<int64_t> identityPermutation(int64_t rank) {
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    dims.push_back(d);
  return dims;
}

std::vector<int64_t> transposedDims(int64_t rank, int64_t dim0, int64_t dim1) {
  std::vector<int64_t> dims = identityPermutation(rank);
  dim0 = wrapDim(dim0, rank);
  dim1 = wrapDim(dim1, rank);
  if (rank >= 2) // a 0-d tensor accepts dim 0 (or -1) but has no dim to swap
    std::swap(dims[dim0], dims[dim1]);
  return dims;
}

std::vector<int64_t> matrixTransposeDims(int64_t rank) {
  if (rank < 2)
    return identityPermutation(rank);
  return permutationDims({1, 0}, rank);
}

bool isSkippedByCat(const Shape &shape) { return shape.size() == 1 && shape[0] == 0; }

int64_t catDim(const std::vector<Shape> &shapes, int64_t dim) {
  if (shapes.empty())
    throw OpError("cat: expected a non-empty list of Tensors");
  const Shape &first = shapes[0];
  dim = wrapDim(dim, (int64_t)first.size());
  for (const Shape &shape : shapes) {
    if (shape.size() != first.size())
      throw OpError("cat: tensors must have the same number of dimensions");
    for (int64_t d = 0; d < (int64_t)shape.size(); ++d)
      if (d != dim && shape[d] != first[d])
        throw OpError("cat: sizes of tensors must match except in dimension " +
                      std::to_string(dim) + "; got " + shapeToString(shape) + " and " +
                      shapeToString(first));
  }
  return dim;
}

std::vector<int64_t> splitSizes(const PyValue &sizes, int64_t size) {
  if (sizes.isSequence()) {
    std::vector<int64_t> lengths = sizes.toIntList();
    int64_t sum = 0;
    for (int64_t l : lengths)
      sum += l;
    if (sum != size)
      throw OpError("split_with_sizes expects split_sizes to sum exactly to " +
                    std::to_string(size));
    return lengths;
  }
  int64_t step = sizes.toInt();
  if (step <= 0)
    throw OpError("split expects split_size be positive");
  std::vector<int64_t> lengths;
  for (int64_t start = 0; start < size; start += step)
    lengths.push_back(std::min(step, size - start));
  return lengths;
}

std::vector<int64_t> chunkSizes(int64_t chunks, int64_t size) {
  if (chunks <= 0)
    throw OpError("chunk expects `chunks` to be greater than 0");
  return splitSizes(PyValue::integer((size + chunks - 1) / chunks), size);
}

std::optional<int64_t> normalizedIndex(int64_t index, int64_t length) {
  if (index < -length || index >= length)
    return std::nullopt;
  return index < 0 ? index + length : index;
}

int64_t narrowStart(int64_t start, int64_t length, int64_t size) {
  if (start < 0)
    start += size;
  if (start < 0 || start + length > size)
    throw OpError("narrow: start and length exceed the dimension size");
  return start;
}

SliceBounds sliceBounds(const PyValue &slice, int64_t size) {
  const auto &p = slice.items();
  int64_t step = p[2].isNone() ? 1 : p[2].toInt();
  if (step <= 0)
    throw OpError("step must be greater than zero");
  auto clampIndex = [&](const PyValue &v, int64_t dflt) {
    if (v.isNone())
      return dflt;
    int64_t i = v.toInt();
    if (i < 0)
      i += size;
    return std::min(std::max<int64_t>(i, 0), size);
  };
  int64_t start = clampIndex(p[0], 0), stop = clampIndex(p[1], size);
  return {start, stop > start ? (stop - start + step - 1) / step : 0, step};
}

/// The entries of an index: a tuple's items, or the index itself.
static std::vector<PyValue> indexEntries(const PyValue &index) {
  return index.kind() == PyValue::Kind::Tuple ? index.items() : std::vector<PyValue>{index};
}

/// How many dims of the tensor an index's entries consume (all but None and Ellipsis).
static int64_t consumedDims(const std::vector<PyValue> &entries) {
  int64_t consuming = 0;
  bool sawEllipsis = false;
  for (const PyValue &e : entries) {
    if (e.isTensor())
      throw OpError("indexing with a tensor (advanced indexing) is not supported yet");
    if (e.kind() == PyValue::Kind::Ellipsis) {
      if (sawEllipsis)
        throw OpError("an index can only have a single ellipsis ('...')");
      sawEllipsis = true;
    } else if (!e.isNone()) {
      ++consuming;
    }
  }
  return consuming;
}

BasicIndex basicIndex(const Shape &shape, const PyValue &index) {
  std::vector<PyValue> entries = indexEntries(index);
  int64_t rank = (int64_t)shape.size(), consuming = consumedDims(entries);
  if (consuming > rank)
    throw OpError("too many indices for tensor of dimension " + std::to_string(rank));
  BasicIndex out{std::vector<int64_t>(rank, 0), shape, std::vector<int64_t>(rank, 1), {}};
  int64_t dim = 0; // the tensor's dim the next entry indexes
  for (const PyValue &e : entries) {
    if (e.kind() == PyValue::Kind::Ellipsis) {
      for (int64_t end = dim + rank - consuming; dim < end; ++dim)
        out.shape.push_back(shape[dim]);
    } else if (e.isNone()) {
      out.shape.push_back(1);
    } else if (e.kind() == PyValue::Kind::Slice) {
      SliceBounds s = sliceBounds(e, shape[dim]);
      out.offsets[dim] = s.start;
      out.sizes[dim] = s.length;
      out.strides[dim] = s.step;
      out.shape.push_back(s.length);
      ++dim;
    } else {
      int64_t i = e.toInt();
      std::optional<int64_t> at = normalizedIndex(i, shape[dim]);
      if (!at) // numbered as torch does: among the result's dims so far
        throw OpError("index " + std::to_string(i) + " is out of bounds for dimension " +
                      std::to_string(out.shape.size()) + " with size " +
                      std::to_string(shape[dim]));
      out.offsets[dim] = *at;
      out.sizes[dim] = 1;
      ++dim;
    }
  }
  out.shape.insert(out.shape.end(), shape.begin() + dim, shape.end());
  return out;
}

} // namespace fxmlir
