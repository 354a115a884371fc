//===- ShapeRules.cpp - Rules an op's kernel and lowering share -----------===//
#include "fxmlir/Ops/ShapeRules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <tuple>

namespace fxmlir {

std::vector<int64_t> reductionDims(const PyValue &dims, int64_t rank) {
  std::vector<int64_t> out;
  if (!dims.isNone())
    for (int64_t d : dims.toIntList())
      out.push_back(wrapDim(d, rank));
  std::sort(out.begin(), out.end());
  auto twice = std::adjacent_find(out.begin(), out.end());
  if (twice != out.end())
    throw OpError("dim " + std::to_string(*twice) + " appears multiple times in the list of dims");
  if (rank == 0) // dim 0 of a 0-d tensor is the tensor itself: nothing to reduce
    return {};
  if (out.empty())
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(d);
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

VarianceArgs varianceArgs(const PyValue &dim, const PyValue &unbiased, const PyValue &correction,
                          int64_t rank) {
  bool dimIsUnbiased = dim.kind() == PyValue::Kind::Bool; // torch.var(x, False)
  PyValue bias = dimIsUnbiased ? dim : unbiased;
  if (!bias.isNone() && !correction.isNone())
    throw OpError("var/std: cannot give both unbiased and correction");
  VarianceArgs args;
  args.dims = reductionDims(dimIsUnbiased ? PyValue::none() : dim, rank);
  args.correction = !correction.isNone() ? correction.toDouble()
                    : !bias.isNone()     ? (bias.toBool() ? 1.0 : 0.0)
                                         : 1.0;
  return args;
}

double varianceDivisor(const Shape &shape, const VarianceArgs &args) {
  return std::max(0.0, (double)reducedElementCount(shape, args.dims) - args.correction);
}

ExtremumOverload extremumOverload(bool dimIsNone, bool dimIsTensor, bool otherIsNone) {
  if (dimIsTensor || !otherIsNone) {
    if (dimIsTensor && !otherIsNone)
      throw OpError("max/min: got both a dim and other");
    return ExtremumOverload::Binary;
  }
  return dimIsNone ? ExtremumOverload::All : ExtremumOverload::Dim;
}

int64_t indexReductionDim(const char *op, const Shape &shape, const PyValue &dim) {
  if (dim.isNone()) {
    if (numElements(shape) == 0)
      throw OpError(std::string(op) + "(): Expected reduction dim to be specified for "
                    "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    return 0;
  }
  int64_t d = wrapDim(dim.toInt(), (int64_t)shape.size());
  if (!shape.empty() && shape[d] == 0)
    throw OpError(std::string(op) + "(): Expected reduction dim " + std::to_string(d) +
                  " to have non-zero size.");
  return d;
}

//===--- Creation ---------------------------------------------------------===//

Shape creationShape(const PyValue &size) {
  Shape shape = size.toIntList();
  for (int64_t s : shape)
    if (s < 0)
      throw OpError("Trying to create tensor with negative dimension " + std::to_string(s) +
                    ": " + shapeToString(shape));
  return shape;
}

DType creationDType(const PyValue &dtype, const std::vector<PyValue> &numbers) {
  if (!dtype.isNone())
    return dtype.toDType();
  DType d = DType::Bool;
  for (const PyValue &n : numbers) {
    if (n.kind() == PyValue::Kind::Float)
      return DType::F32;
    if (n.kind() == PyValue::Kind::Int)
      d = DType::I64;
  }
  return d;
}

ArangeRange arangeRange(const PyValue &start, const PyValue &end, const PyValue &step) {
  double lo = end.isNone() ? 0.0 : start.toDouble();
  double hi = end.isNone() ? start.toDouble() : end.toDouble();
  double s = step.toDouble();
  if (s == 0)
    throw OpError("step must be nonzero");
  if ((s > 0 && hi < lo) || (s < 0 && hi > lo))
    throw OpError("upper bound and larger bound inconsistent with step sign");
  return {lo, s, (int64_t)std::ceil((hi - lo) / s)};
}

Shape linspaceShape(int64_t steps) {
  if (steps < 0)
    throw OpError("number of steps must be non-negative");
  return {steps};
}

double linspaceValue(double start, double end, int64_t steps, int64_t i) {
  if (steps == 1)
    return start;
  double step = (end - start) / (double)(steps - 1);
  return i < steps / 2 ? start + step * (double)i : end - step * (double)(steps - 1 - i);
}

Shape eyeShape(int64_t n, const PyValue &m) {
  int64_t cols = m.isNone() ? n : m.toInt();
  if (n < 0)
    throw OpError("n must be greater or equal to 0, got " + std::to_string(n));
  if (cols < 0)
    throw OpError("m must be greater or equal to 0, got " + std::to_string(cols));
  return {n, cols};
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

DivRounding divRounding(const PyValue &mode) {
  if (mode.isNone())
    return DivRounding::None;
  std::string m = mode.toStr();
  if (m != "trunc" && m != "floor")
    throw OpError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '" +
                  m + "'");
  return m == "trunc" ? DivRounding::Trunc : DivRounding::Floor;
}

bool clampTakesTensors(bool minIsNone, bool minIsTensor, bool maxIsNone, bool maxIsTensor) {
  if (minIsNone && maxIsNone)
    throw OpError("torch.clamp: At least one of 'min' or 'max' must not be None");
  // torch binds clamp(Tensor, Scalar?, Scalar?) or clamp(Tensor, Tensor?, Tensor?), not a mix.
  if (!minIsNone && !maxIsNone && minIsTensor != maxIsTensor)
    throw OpError("clamp: min and max must be both numbers or both tensors");
  return minIsTensor || maxIsTensor;
}

int64_t gluDim(const Shape &shape, int64_t dim) {
  if (shape.empty())
    throw OpError("glu does not support scalars because halving size must be even");
  int64_t d = wrapDim(dim, (int64_t)shape.size());
  if (shape[d] % 2 != 0)
    throw OpError("Halving dimension must be even, but dimension " + std::to_string(d) +
                  " is size " + std::to_string(shape[d]));
  return d;
}

void checkCeluAlpha(double alpha) {
  if (alpha == 0)
    throw OpError("ZeroDivisionError: alpha cannot be 0 for CELU");
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

void checkMm(const Shape &a, const Shape &b) {
  if (a.size() != 2)
    throw OpError("self must be a matrix");
  if (b.size() != 2)
    throw OpError("mat2 must be a matrix");
  matmulShape(a, b); // the inner sizes
}

Shape baddbmmShape(const Shape &batch1, const Shape &batch2) {
  if (batch1.size() != 3)
    throw OpError("batch1 must be a 3D tensor");
  if (batch2.size() != 3)
    throw OpError("batch2 must be a 3D tensor");
  if (batch2[0] != batch1[0] || batch2[1] != batch1[2])
    throw OpError("Expected size for first two dimensions of batch2 tensor to be: [" +
                  std::to_string(batch1[0]) + ", " + std::to_string(batch1[2]) +
                  "] but got: [" + std::to_string(batch2[0]) + ", " +
                  std::to_string(batch2[1]) + "].");
  return {batch1[0], batch1[1], batch2[2]};
}

void checkOuter(const Shape &a, const Shape &b) {
  for (auto [name, shape] : {std::pair{"self", &a}, std::pair{"vec2", &b}})
    if (shape->size() != 1)
      throw OpError(std::string("outer: Expected 1-D argument ") + name + ", but got " +
                    std::to_string(shape->size()) + "-D");
}

int64_t EinsumSpec::sizeOf(char letter) const { return loopSizes[loops.find(letter)]; }

Shape EinsumSpec::result() const {
  Shape shape;
  for (char l : output)
    shape.push_back(sizeOf(l));
  return shape;
}

/// The equation without spaces, split into operand subscripts and the output (none when
/// implicit); checks the characters.
static std::vector<std::string> einsumTerms(const std::string &equation, bool &explicitOutput) {
  std::string eq;
  for (size_t i = 0; i < equation.size(); ++i) {
    char ch = equation[i];
    if (ch == '.')
      throw OpError("einsum(): '...' (ellipsis) is not supported yet");
    if (ch != ' ' && ch != ',' && ch != '-' && ch != '>' && !std::isalpha((unsigned char)ch))
      throw OpError("einsum(): invalid subscript given at index " + std::to_string(i) +
                    " in the equation string, subscripts must be in [a-zA-Z]");
    if (ch != ' ')
      eq.push_back(ch);
  }
  size_t arrow = eq.find("->");
  explicitOutput = arrow != std::string::npos;
  std::string lhs = explicitOutput ? eq.substr(0, arrow) : eq;
  std::vector<std::string> terms(1);
  for (char ch : lhs) {
    if (ch == ',')
      terms.emplace_back();
    else
      terms.back().push_back(ch);
  }
  terms.push_back(explicitOutput ? eq.substr(arrow + 2) : "");
  return terms;
}

EinsumSpec einsumSpec(const std::string &equation, const std::vector<Shape> &operands) {
  bool explicitOutput;
  std::vector<std::string> terms = einsumTerms(equation, explicitOutput);
  EinsumSpec spec;
  spec.output = terms.back();
  spec.inputs.assign(terms.begin(), terms.end() - 1);
  if (spec.inputs.size() > operands.size())
    throw OpError("einsum(): fewer operands were provided than specified in the equation");
  if (spec.inputs.size() < operands.size())
    throw OpError("einsum(): more operands were provided than specified in the equation");
  std::string seen;
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < operands.size(); ++i) {
    const std::string &sub = spec.inputs[i];
    if (sub.size() != operands[i].size())
      throw OpError("einsum(): the number of subscripts in the equation (" +
                    std::to_string(sub.size()) + ") does not match the number of dimensions (" +
                    std::to_string(operands[i].size()) + ") for operand " + std::to_string(i) +
                    " and no ellipsis was given");
    for (size_t d = 0; d < sub.size(); ++d) {
      size_t at = seen.find(sub[d]);
      int64_t size = operands[i][d];
      if (at == std::string::npos) {
        seen.push_back(sub[d]);
        sizes.push_back(size);
      } else if (sizes[at] == 1) {
        sizes[at] = size;
      } else if (size != 1 && size != sizes[at]) {
        throw OpError(std::string("einsum(): subscript ") + sub[d] + " has size " +
                      std::to_string(size) + " for operand " + std::to_string(i) +
                      " which does not broadcast with previously seen size " +
                      std::to_string(sizes[at]));
      }
    }
  }
  if (!explicitOutput) {
    std::string all = std::accumulate(spec.inputs.begin(), spec.inputs.end(), std::string());
    for (char l : seen)
      if (std::count(all.begin(), all.end(), l) == 1)
        spec.output.push_back(l);
    std::sort(spec.output.begin(), spec.output.end());
  }
  for (size_t i = 0; i < spec.output.size(); ++i) {
    char l = spec.output[i];
    if (spec.output.find(l) != i)
      throw OpError(std::string("einsum(): output subscript ") + l +
                    " appears more than once in the output");
    if (seen.find(l) == std::string::npos)
      throw OpError(std::string("einsum(): output subscript ") + l +
                    " does not appear in the equation for any input operand");
  }
  spec.loops = spec.output;
  for (char l : seen)
    if (spec.output.find(l) == std::string::npos)
      spec.loops.push_back(l);
  for (char l : spec.loops)
    spec.loopSizes.push_back(sizes[seen.find(l)]);
  return spec;
}

//===--- Indexing ---------------------------------------------------------===//

IndexedDim indexSelectShape(const Shape &input, int64_t dim, const Shape &index,
                            DType indexType) {
  if (index.size() > 1)
    throw OpError("index_select(): Index is supposed to be a vector");
  if (indexType != DType::I32 && indexType != DType::I64)
    throw OpError("index_select(): Expected dtype int32 or int64 for index");
  IndexedDim r{wrapDim(dim, (int64_t)input.size()), input};
  if (!input.empty())
    r.result[r.dim] = numElements(index);
  return r;
}

/// gather's and scatter's index: int64, of `self`'s rank (0-d counting as 1-d).
static void checkScatterGatherIndex(const char *op, const char *selfName, const Shape &self,
                                    const Shape &index, DType indexType) {
  if (indexType != DType::I64)
    throw OpError(std::string(op) + "(): Expected dtype int64 for index");
  if (std::max<size_t>(index.size(), 1) != std::max<size_t>(self.size(), 1))
    throw OpError(std::string("Index tensor must have the same number of dimensions as ") +
                  selfName + " tensor");
}

/// Whether `index` is no larger than `shape` in every dim (but `skip`).
static bool fitsIn(const Shape &index, const Shape &shape, int64_t skip) {
  for (size_t d = 0; d < index.size() && d < shape.size(); ++d)
    if ((int64_t)d != skip && index[d] > shape[d])
      return false;
  return true;
}

IndexedDim gatherShape(const Shape &input, int64_t dim, const Shape &index, DType indexType) {
  IndexedDim r{wrapDim(dim, (int64_t)input.size()), index};
  checkScatterGatherIndex("gather", "input", input, index, indexType);
  for (size_t d = 0; d < index.size(); ++d)
    if ((int64_t)d != r.dim && index[d] > input[d])
      throw OpError("Size does not match at dimension " + std::to_string(d) +
                    " expected index " + shapeToString(index) + " to be smaller than self " +
                    shapeToString(input) + " apart from dimension " + std::to_string(r.dim));
  return r;
}

int64_t scatterDim(const Shape &self, int64_t dim, const Shape &index, const Shape &src,
                   DType indexType) {
  int64_t d = wrapDim(dim, (int64_t)self.size());
  checkScatterGatherIndex("scatter", "self", self, index, indexType);
  if (!fitsIn(index, self, d) || !fitsIn(index, src, -1))
    throw OpError("Expected index " + shapeToString(index) + " to be smaller than self " +
                  shapeToString(self) + " apart from dimension " + std::to_string(d) +
                  " and to be smaller size than src " + shapeToString(src));
  return d;
}

void checkScatterReduce(const PyValue &reduce) {
  if (!reduce.isNone())
    throw OpError("scatter() with reduce='" + reduce.toStr() + "' is not supported yet");
}

std::vector<int64_t> flipDims(const std::vector<int64_t> &dims, int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t d : dims) {
    int64_t w = wrapDim(d, rank);
    if (std::find(out.begin(), out.end(), w) != out.end())
      throw OpError("dim " + std::to_string(w) + " appears multiple times in the list of dims");
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// `shift` as a rotation in [0, size).
static int64_t positiveShift(int64_t shift, int64_t size) {
  return size == 0 ? 0 : ((shift % size) + size) % size;
}

RollShifts rollShifts(const std::vector<int64_t> &shifts, const std::vector<int64_t> &dims,
                      const Shape &shape) {
  bool flat = dims.empty() && shifts.size() == 1;
  if (!flat && shifts.size() != dims.size())
    throw OpError("shifts and dimensions must align. shifts: " + std::to_string(shifts.size()) +
                  ", dims:" + std::to_string(dims.size()));
  RollShifts r{{}, {}, flat};
  if (flat) {
    r.dims.push_back(0);
    r.shifts.push_back(positiveShift(shifts[0], numElements(shape)));
    return r;
  }
  for (size_t i = 0; i < dims.size(); ++i) {
    r.dims.push_back(wrapDim(dims[i], (int64_t)shape.size()));
    r.shifts.push_back(positiveShift(shifts[i], shape.empty() ? 1 : shape[r.dims.back()]));
  }
  return r;
}

RepeatShape repeatShape(const Shape &input, const std::vector<int64_t> &repeats) {
  if (repeats.size() < input.size())
    throw OpError("Number of dimensions of repeat dims can not be smaller than number of "
                  "dimensions of tensor");
  RepeatShape r;
  r.padded.assign(repeats.size() - input.size(), 1);
  r.padded.insert(r.padded.end(), input.begin(), input.end());
  for (size_t i = 0; i < repeats.size(); ++i)
    r.result.push_back(r.padded[i] * repeats[i]);
  for (int64_t s : r.result)
    if (s < 0)
      throw OpError("Trying to create tensor with negative dimension " + std::to_string(s) +
                    ": " + shapeToString(r.result));
  return r;
}

std::vector<int64_t> tileRepeats(const std::vector<int64_t> &dims, int64_t rank) {
  std::vector<int64_t> repeats(std::max<int64_t>(rank - (int64_t)dims.size(), 0), 1);
  repeats.insert(repeats.end(), dims.begin(), dims.end());
  return repeats;
}

/// Two distinct dims of a rank-`rank` tensor, normalised.
static std::pair<int64_t, int64_t> diagonalDims(int64_t dim1, int64_t dim2, int64_t rank) {
  int64_t d1 = wrapDim(dim1, rank), d2 = wrapDim(dim2, rank);
  if (d1 == d2)
    throw OpError("diagonal dimensions cannot be identical " + std::to_string(dim1) + ", " +
                  std::to_string(dim2));
  return {d1, d2};
}

DiagonalShape diagonalShape(const Shape &input, int64_t offset, int64_t dim1, int64_t dim2) {
  DiagonalShape r{};
  std::tie(r.dim1, r.dim2) = diagonalDims(dim1, dim2, (int64_t)input.size());
  int64_t rows = input[r.dim1], cols = input[r.dim2];
  r.length = std::max<int64_t>(
      offset >= 0 ? std::min(rows, cols - offset) : std::min(rows + offset, cols), 0);
  if (r.length > 0) {
    r.start1 = std::max<int64_t>(-offset, 0);
    r.start2 = std::max<int64_t>(offset, 0);
  }
  for (int64_t d = 0; d < (int64_t)input.size(); ++d)
    if (d != r.dim1 && d != r.dim2)
      r.result.push_back(input[d]);
  r.result.push_back(r.length);
  return r;
}

DiagEmbedShape diagEmbedShape(const Shape &input, int64_t offset, int64_t dim1, int64_t dim2) {
  int64_t rank = (int64_t)input.size() + 1;
  DiagEmbedShape r{};
  std::tie(r.dim1, r.dim2) = diagonalDims(dim1, dim2, rank);
  r.size = (input.empty() ? 1 : input.back()) + std::abs(offset);
  Shape batch(input.begin(), input.empty() ? input.end() : input.end() - 1);
  for (int64_t d = 0, b = 0; d < rank; ++d)
    r.result.push_back(d == r.dim1 || d == r.dim2 ? r.size : batch[b++]);
  return r;
}

void checkDiagRank(int64_t rank) {
  if (rank != 1 && rank != 2)
    throw OpError("matrix or a vector expected");
}

/// Normalised dims of movedim's `name` argument, each once.
static std::vector<int64_t> movedimDims(const char *name, const std::vector<int64_t> &dims,
                                        int64_t rank) {
  std::vector<int64_t> out;
  for (int64_t d : dims)
    out.push_back(wrapDim(d, rank));
  std::vector<int64_t> sorted = out;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    throw OpError(std::string("movedim: repeated dim in `") + name + "` (" +
                  shapeToString(dims) + ")");
  return out;
}

std::vector<int64_t> movedimPermutation(const std::vector<int64_t> &source,
                                        const std::vector<int64_t> &destination, int64_t rank) {
  if (source.size() != destination.size())
    throw OpError("movedim: Invalid source or destination dims: source (" +
                  shapeToString(source) + " dims) should contain the same number of dims as "
                  "destination (" + shapeToString(destination) + " dims)");
  std::vector<int64_t> src = movedimDims("source", source, rank);
  std::vector<int64_t> dst = movedimDims("destination", destination, rank);
  std::vector<int64_t> perm(std::max<int64_t>(rank, 1), -1);
  std::vector<bool> moved(perm.size(), false);
  for (size_t i = 0; i < src.size(); ++i) {
    perm[dst[i]] = src[i];
    moved[src[i]] = true;
  }
  // The other dims keep their order in the free positions.
  size_t next = 0;
  for (int64_t &p : perm) {
    if (p >= 0)
      continue;
    while (moved[next])
      ++next;
    p = (int64_t)next++;
  }
  perm.resize(rank);
  return perm;
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
