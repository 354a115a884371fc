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

void checkEmbeddingMaxNorm(const PyValue &maxNorm, const char *op) {
  if (!maxNorm.isNone())
    throw OpError(std::string(op) + ": max_norm renormalises the weight in place (a side " +
                  "effect on a parameter); not supported");
}

BagMode bagMode(const PyValue &mode) {
  if (mode.kind() != PyValue::Kind::Str) { // aten.embedding_bag's int
    int64_t m = mode.toInt();
    if (m < 0 || m > 2)
      throw OpError("embedding_bag: unknown mode " + std::to_string(m));
    return BagMode(m);
  }
  const std::string &name = mode.toStr();
  if (name == "sum")
    return BagMode::Sum;
  if (name == "mean")
    return BagMode::Mean;
  if (name == "max")
    return BagMode::Max;
  throw OpError("mode has to be one of sum, mean or max");
}

int64_t embeddingBagCount(const Shape &input, const std::optional<Shape> &offsets,
                          const Shape &weight, BagMode mode,
                          const std::optional<Shape> &perSampleWeights, bool includeLastOffset) {
  if (weight.size() != 2)
    throw OpError("embedding_bag: weight must be 2-D, got shape " + shapeToString(weight));
  if (perSampleWeights) {
    if (mode != BagMode::Sum)
      throw OpError("embedding_bag: per_sample_weights was not None. per_sample_weights is "
                    "only supported for mode='sum'");
    if (*perSampleWeights != input)
      throw OpError("embedding_bag: If per_sample_weights (" + shapeToString(*perSampleWeights) +
                    ") is not None, then it must have the same shape as the input (" +
                    shapeToString(input) + ")");
  }
  if (input.size() == 2) {
    if (offsets)
      throw OpError("if input is 2D, then offsets has to be None, as input is treated is a "
                    "mini-batch of fixed length sequences");
    return input[0];
  }
  if (input.size() != 1)
    throw OpError("input has to be 1D or 2D Tensor, but got Tensor of dimension " +
                  std::to_string(input.size()));
  if (!offsets || offsets->size() != 1)
    throw OpError("offsets has to be a 1D Tensor");
  int64_t bags = (*offsets)[0] - (includeLastOffset ? 1 : 0);
  if (bags < 1)
    throw OpError("embedding_bag: offsets must give at least one bag (got " +
                  shapeToString(*offsets) + (includeLastOffset ? " with include_last_offset)" : ")"));
  return bags;
}

int64_t embeddingBagPaddingIdx(const PyValue &paddingIdx, int64_t rows) {
  if (paddingIdx.isNone())
    return -1;
  int64_t p = paddingIdx.toInt();
  if (p < -rows || p >= rows)
    throw OpError("padding_idx must be within the number of embeddings, " +
                  std::to_string(-rows) + " through " + std::to_string(rows - 1) + ", but got " +
                  std::to_string(p));
  return p < 0 ? p + rows : p;
}

GroupNormShape groupNormShape(const char *op, const Shape &input, int64_t groups) {
  if (input.size() < 2)
    throw OpError(std::string(op) + ": expected at least 2-D input, got " +
                  shapeToString(input));
  int64_t channels = input[1];
  if (groups <= 0 || channels % groups != 0)
    throw OpError("Expected number of channels in input to be divisible by num_groups, but got "
                  "input of shape " + shapeToString(input) + " and num_groups=" +
                  std::to_string(groups));
  return {channels, groups, numElements(input) / (input[0] * groups)};
}

int64_t normDim(const Shape &shape, int64_t dim) {
  // A 0-d tensor is reduced as if it were [1].
  int64_t d = wrapDim(dim, std::max<int64_t>(1, (int64_t)shape.size()));
  return shape.empty() ? 0 : d;
}

int64_t pairwiseDistanceDim(const Shape &broadcast) {
  if (broadcast.empty())
    throw OpError("pairwise_distance: expected inputs with at least 1 dim");
  return (int64_t)broadcast.size() - 1;
}

void checkInstanceNormStats(bool useInputStats, bool hasRunningMean, bool hasRunningVar) {
  if (!useInputStats && (!hasRunningMean || !hasRunningVar))
    throw OpError("Expected running_mean and running_var to be defined when use_input_stats "
                  "is false");
}

LossReduction lossReduction(const PyValue &sizeAverage, const PyValue &reduce,
                            const PyValue &reduction, bool allowBatchMean) {
  if (!sizeAverage.isNone() || !reduce.isNone()) {
    if (!reduce.isNone() && !reduce.toBool())
      return LossReduction::None;
    return sizeAverage.isNone() || sizeAverage.toBool() ? LossReduction::Mean
                                                        : LossReduction::Sum;
  }
  if (reduction.kind() == PyValue::Kind::Int) { // aten's at::Reduction enum
    static const LossReduction byValue[] = {LossReduction::None, LossReduction::Mean,
                                            LossReduction::Sum};
    int64_t v = reduction.toInt();
    if (v < 0 || v > 2)
      throw OpError(std::to_string(v) + " is not a valid value for reduction");
    return byValue[v];
  }
  const std::string &r = reduction.toStr();
  if (r == "none")
    return LossReduction::None;
  if (r == "mean")
    return LossReduction::Mean;
  if (r == "sum")
    return LossReduction::Sum;
  if (r == "batchmean" && allowBatchMean)
    return LossReduction::BatchMean;
  throw OpError(r + " is not a valid value for reduction");
}

double lossDivisor(LossReduction r, const Shape &input, const Shape &loss) {
  if (r == LossReduction::Mean)
    return (double)numElements(loss);
  if (r == LossReduction::BatchMean)
    return input.empty() ? 1.0 : (double)input[0];
  return 1.0;
}

void checkLossThreshold(const char *op, const char *name, double value, bool zeroAllowed) {
  if (value < 0 || (value == 0 && !zeroAllowed))
    throw OpError(std::string(op) + " does not support " +
                  (zeroAllowed ? "negative" : "non-positive") + " values for " + name + ".");
}

void checkLossDType(const char *op, DType dtype) {
  if (!isFloating(dtype))
    throw OpError(std::string(op) + ": not implemented for '" + dtypeName(dtype) +
                  "'; expected floating-point input and target");
}

void checkSameLossShape(const char *op, const Shape &input, const Shape &target) {
  if (input != target)
    throw OpError(std::string(op) + ": target size " + shapeToString(target) +
                  " must be the same as input size " + shapeToString(input));
}

ClassLossShape classLossShape(const char *op, const Shape &input, const Shape &target,
                              const std::optional<int64_t> &weightNumel) {
  if (input.empty())
    throw OpError(std::string(op) + ": input must have at least 1 dim (the classes)");
  bool batched = input.size() >= 2;
  int64_t classes = input[batched ? 1 : 0];
  Shape expected;
  if (batched) {
    expected.push_back(input[0]);
    expected.insert(expected.end(), input.begin() + 2, input.end());
  }
  if (target != expected)
    throw OpError(std::string(op) + ": expected target size " + shapeToString(expected) +
                  ", got " + shapeToString(target));
  if (weightNumel && *weightNumel != classes)
    throw OpError("weight tensor should be defined either for all " + std::to_string(classes) +
                  " classes or no classes but got weight tensor of " +
                  std::to_string(*weightNumel) + " elements");
  int64_t batch = batched ? input[0] : 1;
  return {batch, classes, numElements(input) / std::max<int64_t>(1, batch * classes), expected};
}

bool crossEntropyTakesProbabilities(const Shape &input, const Shape &target, DType targetType,
                                    int64_t ignoreIndex) {
  if (!isFloating(targetType))
    return false;
  checkSameLossShape("cross_entropy", input, target);
  if (ignoreIndex != -100)
    throw OpError("ignore_index is not supported for floating point target");
  return true;
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

bool preluPerChannel(const Shape &input, const Shape &weight) {
  if (weight.size() > 1)
    throw OpError("prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = " +
                  std::to_string(weight.size()));
  int64_t parameters = numElements(weight), channels = input.size() >= 2 ? input[1] : 1;
  if (parameters != 1 && parameters != channels)
    throw OpError("Mismatch of parameter numbers and input channel size. Found parameter "
                  "numbers = " + std::to_string(parameters) + " and channel size = " +
                  std::to_string(channels) + ".");
  return parameters != 1;
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

Shape bilinearShape(const Shape &input1, const Shape &input2, const Shape &weight,
                    const std::optional<Shape> &bias) {
  if (input1.size() != input2.size())
    throw OpError("bilinear(): input dimensions do not match: got " +
                  std::to_string(input1.size()) + " and " + std::to_string(input2.size()));
  if (input1.empty())
    throw OpError("bilinear(): inputs must have at least one dimension");
  for (size_t i = 0; i + 1 < input1.size(); ++i)
    if (input1[i] != input2[i])
      throw OpError("bilinear(): input batch dimensions do not match at dim " +
                    std::to_string(i) + ": got " + std::to_string(input1[i]) + " and " +
                    std::to_string(input2[i]));
  if (weight.size() != 3)
    throw OpError("bilinear(): weight must be 3-D (out, in1, in2), got shape " +
                  shapeToString(weight));
  if (input1.back() != weight[1])
    throw OpError("bilinear(): input1 size does not match weight size: got " +
                  std::to_string(input1.back()) + " but expected " + std::to_string(weight[1]));
  if (input2.back() != weight[2])
    throw OpError("bilinear(): input2 size does not match weight size: got " +
                  std::to_string(input2.back()) + " but expected " + std::to_string(weight[2]));
  if (bias && (bias->size() != 1 || (*bias)[0] != weight[0]))
    throw OpError("bilinear(): bias size does not match weight size: got " +
                  std::to_string(numElements(*bias)) + " but expected " +
                  std::to_string(weight[0]));
  Shape out(input1.begin(), input1.end() - 1);
  out.push_back(weight[0]);
  return out;
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

ScatterReduce scatterReduceOf(const PyValue &reduce, bool scatterReduce) {
  if (!scatterReduce && reduce.isNone())
    return ScatterReduce::Replace;
  const std::string &name = reduce.toStr();
  static const std::pair<const char *, ScatterReduce> scatterNames[] = {
      {"add", ScatterReduce::Sum}, {"multiply", ScatterReduce::Prod}};
  static const std::pair<const char *, ScatterReduce> reduceNames[] = {
      {"sum", ScatterReduce::Sum},
      {"prod", ScatterReduce::Prod},
      {"mean", ScatterReduce::Mean},
      {"amax", ScatterReduce::Amax},
      {"amin", ScatterReduce::Amin}};
  for (const auto &[n, kind] : scatterNames)
    if (!scatterReduce && name == n)
      return kind;
  for (const auto &[n, kind] : reduceNames)
    if (scatterReduce && name == n)
      return kind;
  throw OpError(scatterReduce ? "reduce argument must be either sum, prod, mean, amax or amin, "
                                "got " + name
                              : "reduce argument must be either add or multiply, got " + name);
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

/// A positive factor of pixel_(un)shuffle.
static void checkShuffleFactor(const char *op, const char *name, int64_t factor,
                               const Shape &input) {
  if (input.size() < 3)
    throw OpError(std::string(op) + " expects input to have at least 3 dimensions, but got "
                  "input with " + std::to_string(input.size()) + " dimension(s)");
  if (factor <= 0)
    throw OpError(std::string(op) + " expects a positive " + name + ", but got " +
                  std::to_string(factor));
}

LayoutShuffle pixelShuffleLayout(const Shape &input, int64_t r) {
  checkShuffleFactor("pixel_shuffle", "upscale_factor", r, input);
  int64_t n = (int64_t)input.size(), c = input[n - 3], h = input[n - 2], w = input[n - 1];
  if (c % (r * r) != 0)
    throw OpError("pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                  "square of upscale_factor, but input.size(-3)=" + std::to_string(c) +
                  " is not divisible by " + std::to_string(r * r));
  LayoutShuffle l;
  Shape batch(input.begin(), input.end() - 3);
  int64_t b = (int64_t)batch.size();
  l.split = batch;
  l.split.insert(l.split.end(), {c / (r * r), r, r, h, w});
  for (int64_t d = 0; d < b; ++d)
    l.perm.push_back(d);
  l.perm.insert(l.perm.end(), {b, b + 3, b + 1, b + 4, b + 2}); // C, H, r, W, r
  l.result = batch;
  l.result.insert(l.result.end(), {c / (r * r), h * r, w * r});
  return l;
}

LayoutShuffle pixelUnshuffleLayout(const Shape &input, int64_t r) {
  checkShuffleFactor("pixel_unshuffle", "downscale_factor", r, input);
  int64_t n = (int64_t)input.size(), c = input[n - 3], h = input[n - 2], w = input[n - 1];
  for (auto [name, dim, size] : {std::tuple{"height", -2, h}, std::tuple{"width", -1, w}})
    if (size % r != 0)
      throw OpError(std::string("pixel_unshuffle expects ") + name + " to be divisible by "
                    "downscale_factor, but input.size(" + std::to_string(dim) + ")=" +
                    std::to_string(size) + " is not divisible by " + std::to_string(r));
  LayoutShuffle l;
  Shape batch(input.begin(), input.end() - 3);
  int64_t b = (int64_t)batch.size();
  l.split = batch;
  l.split.insert(l.split.end(), {c, h / r, r, w / r, r});
  for (int64_t d = 0; d < b; ++d)
    l.perm.push_back(d);
  l.perm.insert(l.perm.end(), {b, b + 2, b + 4, b + 1, b + 3}); // C, r, r, H, W
  l.result = batch;
  l.result.insert(l.result.end(), {c * r * r, h / r, w / r});
  return l;
}

LayoutShuffle channelShuffleLayout(const Shape &input, int64_t groups) {
  if (input.size() <= 2)
    throw OpError("channel_shuffle expects input with > 2 dims, but got input with sizes " +
                  shapeToString(input));
  if (groups <= 0)
    throw OpError("Number of groups to divide channels in must be positive. Value of groups:" +
                  std::to_string(groups));
  int64_t c = input[1];
  if (c % groups != 0)
    throw OpError("Number of channels must be divisible by groups. Got " + std::to_string(c) +
                  " channels and " + std::to_string(groups) + " groups.");
  LayoutShuffle l;
  l.split = {input[0], groups, c / groups};
  l.split.insert(l.split.end(), input.begin() + 2, input.end());
  for (int64_t d = 0; d < (int64_t)l.split.size(); ++d)
    l.perm.push_back(d == 1 ? 2 : d == 2 ? 1 : d);
  l.result = input;
  return l;
}

/// c10's name of an integer dtype, as torch's "not implemented for 'Long'" says it.
static const char *scalarTypeName(DType dtype) {
  switch (dtype) {
  case DType::Bool: return "Bool";
  case DType::I8: return "Char";
  case DType::I16: return "Short";
  case DType::I32: return "Int";
  case DType::I64: return "Long";
  default: return dtypeName(dtype);
  }
}

/// The number `v` in the precision torch computes upsampling indices and weights in: float
/// for every dtype but float64.
static double opmath(double v, bool single) { return single ? (double)(float)v : v; }

/// torch's cubic convolution weights (A = -0.75) of the four taps around a source position
/// `t` past the tap before it.
static std::vector<double> cubicWeights(double t, bool single) {
  const double A = -0.75;
  auto near = [&](double x) { return ((A + 2) * x - (A + 3)) * x * x + 1; };
  auto far = [&](double x) { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; };
  std::vector<double> w = {far(t + 1), near(t), near(1 - t), far(2 - t)};
  for (double &v : w)
    v = opmath(v, single);
  return w;
}

/// What output position o of `out` reads along a dim of `in`, given the scale factor (0: none)
/// the upsample kernel got: torch's nearest_idx and compute_indices_weights_{linear,cubic}.
static ResampleAxis resampleAxis(int64_t dim, int64_t in, int64_t out, double scale,
                                 Resampling kind, bool alignCorners, bool single) {
  int64_t taps = kind == Resampling::Nearest ? 1 : kind == Resampling::Linear ? 2 : 4;
  ResampleAxis a{dim, std::vector<std::vector<int64_t>>(taps),
                 std::vector<std::vector<double>>(kind == Resampling::Nearest ? 0 : taps)};
  double ratio = alignCorners ? (out > 1 ? opmath((double)(in - 1) / (out - 1), single) : 0.0)
                 : scale > 0  ? opmath(1.0 / scale, single)
                              : opmath((double)in / out, single);
  for (int64_t o = 0; o < out; ++o) {
    if (kind == Resampling::Nearest) {
      a.index[0].push_back(std::min((int64_t)std::floor(opmath(o * ratio, single)), in - 1));
      continue;
    }
    double src = alignCorners ? opmath(ratio * o, single)
                              : opmath(opmath(ratio * (o + 0.5), single) - 0.5, single);
    if (kind == Resampling::Linear) {
      src = std::max(src, 0.0);
      int64_t i0 = (int64_t)src;
      double w1 = std::min(opmath(src - i0, single), 1.0);
      a.index[0].push_back(i0);
      a.index[1].push_back(i0 + (i0 < in - 1 ? 1 : 0));
      a.weight[0].push_back(opmath(1.0 - w1, single));
      a.weight[1].push_back(w1);
      continue;
    }
    int64_t i = (int64_t)std::floor(src); // taps i-1 .. i+2, clamped to the input
    std::vector<double> w = cubicWeights(opmath(src - i, single), single);
    for (int64_t k = 0; k < 4; ++k) {
      a.index[k].push_back(std::clamp<int64_t>(i - 1 + k, 0, in - 1));
      a.weight[k].push_back(w[k]);
    }
  }
  return a;
}

/// Refuses empty spatial sizes in torch's words: "input (H: 4, W: 1) output (H: 5, W: 0)".
static void checkUpsampleSizes(const Shape &input, const std::vector<int64_t> &sizes) {
  bool empty = false;
  std::string in, out;
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::string name(1, "DHW"[3 - sizes.size() + i]), sep = i ? ", " : "";
    in += sep + name + ": " + std::to_string(input[i + 2]);
    out += sep + name + ": " + std::to_string(sizes[i]);
    empty = empty || input[i + 2] <= 0 || sizes[i] <= 0;
  }
  if (empty)
    throw OpError("Input and output sizes should be greater than 0, but got input (" + in +
                  (sizes.size() == 1 ? ") and output (" : ") output (") + out + ")");
}

/// Whether torch copies a spatial dim whose size does not change, whatever the scale: its
/// linear kernels do, and so does its channels-last nearest kernel, which runs on a 4-D or
/// 5-D input with one channel (contiguous in both layouts); bicubic never does.
static bool copiesUnchangedDims(const Shape &input, Resampling kind) {
  return kind == Resampling::Linear ||
         (kind == Resampling::Nearest && input.size() >= 4 && input[1] == 1);
}

InterpolatePlan upsamplePlan(const Shape &input, DType dtype, const PyValue &outputSize,
                             const std::vector<double> &scales, Resampling kind,
                             bool alignCorners) {
  static const char *const names[] = {"nearest", "linear", "cubic"};
  bool nearest = kind == Resampling::Nearest;
  if (!isFloating(dtype) && !(nearest && dtype == DType::U8))
    throw OpError(std::string("\"compute_indices_weights_") + names[(int)kind] +
                  "\" not implemented for '" + scalarTypeName(dtype) + "'");
  int64_t spatial = (int64_t)input.size() - 2;
  InterpolatePlan p{nearest, input, {}};
  std::vector<int64_t> sizes;
  if (!outputSize.isNone())
    sizes = outputSize.toIntList();
  else
    for (int64_t i = 0; i < spatial && i < (int64_t)scales.size(); ++i)
      sizes.push_back((int64_t)std::floor(input[i + 2] * scales[i]));
  if (spatial < 1 || spatial > 3 || (int64_t)sizes.size() != spatial)
    throw OpError("upsample: expected " + std::to_string(std::max<int64_t>(spatial, 0)) +
                  " output sizes for an input of sizes " + shapeToString(input));
  checkUpsampleSizes(input, sizes);
  for (int64_t i = spatial - 1; i >= 0; --i) {
    p.result[i + 2] = sizes[i];
    if (sizes[i] == input[i + 2] && copiesUnchangedDims(input, kind))
      continue;
    double scale = scales.empty() ? 0.0 : scales[i];
    p.axes.push_back(resampleAxis(i + 2, input[i + 2], sizes[i], scale, kind, alignCorners,
                                  dtype != DType::F64));
  }
  return p;
}

/// A size or scale_factor argument of interpolate: one per spatial dim.
static std::vector<double> perSpatialDim(const PyValue &v, const char *what, const Shape &input) {
  int64_t spatial = (int64_t)input.size() - 2;
  std::vector<double> out;
  if (!v.isSequence())
    return std::vector<double>(std::max<int64_t>(spatial, 0), v.toDouble());
  for (const PyValue &item : v.items())
    out.push_back(item.toDouble());
  if ((int64_t)out.size() != spatial) {
    Shape in(input.begin() + std::min<size_t>(2, input.size()), input.end());
    std::string given = "(";
    for (size_t i = 0; i < out.size(); ++i)
      given += (i ? ", " : "") + v.items()[i].describe();
    throw OpError(std::string("Input and ") + what + " must have the same number of spatial "
                  "dimensions, but got input with spatial dimensions of " + shapeToString(in) +
                  " and " + what + (std::string(what) == "output" ? " size of " : " of shape ") +
                  given + (out.size() == 1 ? ",)" : ")") + ". Please provide input tensor in (N, "
                  "C, d1, d2, ...,dK) format and " + what + (std::string(what) == "output"
                  ? " size in (o1, o2, ...,oK) format." : " in (s1, s2, ...,sK) format."));
  }
  return out;
}

InterpolatePlan interpolatePlan(const Shape &input, DType dtype, const PyValue &size,
                                const PyValue &scaleFactor, const std::string &mode,
                                const PyValue &alignCorners, const PyValue &recomputeScaleFactor) {
  static const std::vector<std::string> linearModes = {"linear", "bilinear", "trilinear"};
  bool nearest = mode == "nearest";
  auto linear = std::find(linearModes.begin(), linearModes.end(), mode);
  if ((nearest || mode == "area" || mode == "nearest-exact") && !alignCorners.isNone())
    throw OpError("align_corners option can only be set with the interpolating modes: linear | "
                  "bilinear | bicubic | trilinear");
  if (!size.isNone() && !scaleFactor.isNone())
    throw OpError("only one of size or scale_factor should be defined");
  if (size.isNone() && scaleFactor.isNone())
    throw OpError("either size or scale_factor should be defined");
  std::vector<double> scales =
      perSpatialDim(size.isNone() ? scaleFactor : size, size.isNone() ? "scale_factor" : "output",
                    input);
  int64_t rank = (int64_t)input.size();
  if (linear != linearModes.end() && rank != 3 + (linear - linearModes.begin()))
    throw OpError("Got " + std::to_string(rank) + "D input, but " + mode + " mode needs " +
                  std::to_string(3 + (linear - linearModes.begin())) + "D input");
  bool knownRank = rank >= 3 && rank <= 5, bicubic = mode == "bicubic" && rank == 4;
  if (!(nearest && knownRank) && linear == linearModes.end() && !bicubic)
    throw OpError(knownRank && (mode == "area" || mode == "nearest-exact")
                      ? "interpolate mode '" + mode + "' is not supported yet"
                      : "Input Error: Only 3D, 4D and 5D input Tensors supported (got " +
                            std::to_string(rank) + "D) for the modes: nearest | linear | "
                            "bilinear | bicubic | trilinear | area | nearest-exact (got " + mode +
                            ")");
  PyValue outputSize;
  if (!size.isNone()) {
    std::vector<PyValue> items;
    for (double s : scales)
      items.push_back(PyValue::integer((int64_t)s));
    outputSize = PyValue::list(items);
    scales.clear();
  } else if (!recomputeScaleFactor.isNone() && recomputeScaleFactor.toBool()) {
    std::vector<PyValue> items;
    for (size_t i = 0; i < scales.size(); ++i)
      items.push_back(PyValue::integer((int64_t)std::floor(input[i + 2] * scales[i])));
    outputSize = PyValue::list(items);
    scales.clear();
  }
  Resampling kind = nearest ? Resampling::Nearest : bicubic ? Resampling::Cubic
                                                           : Resampling::Linear;
  return upsamplePlan(input, dtype, outputSize, scales, kind,
                      !alignCorners.isNone() && alignCorners.toBool());
}

/// The dim a sort-like op works along: a 0-d input counts as one element along dim 0.
static SortedSlice sortedSlice(const Shape &input, int64_t dim, bool descending) {
  int64_t d = wrapDim(dim, (int64_t)input.size());
  return {d, input.empty() ? 1 : input[d], 0, input.empty() ? 1 : input[d], descending, input};
}

SortedSlice sortSlice(const Shape &input, int64_t dim, bool descending) {
  return sortedSlice(input, dim, descending);
}

SortedSlice topkSlice(const Shape &input, int64_t k, int64_t dim, bool largest) {
  SortedSlice s = sortedSlice(input, dim, largest);
  if (k < 0 || k > s.size)
    throw OpError("selected index k out of range");
  s.count = k;
  if (!input.empty())
    s.result[s.dim] = k;
  return s;
}

SortedSlice kthvalueSlice(const Shape &input, int64_t k, int64_t dim, bool keepdim) {
  SortedSlice s = sortedSlice(input, dim, false);
  if (k < 1 || k > s.size)
    throw OpError("kthvalue(): selected number k out of range for dimension " +
                  std::to_string(s.dim));
  s.first = k - 1;
  s.count = 1;
  if (!input.empty()) {
    if (keepdim)
      s.result[s.dim] = 1;
    else
      s.result.erase(s.result.begin() + s.dim);
  }
  return s;
}

bool sortsBefore(Element a, Element b, bool descending) {
  if (descending)
    std::swap(a, b);
  return a < b || (std::isnan(b) && !std::isnan(a));
}

//===--- Convolution and pooling ------------------------------------------===//

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

static bool allPositive(const std::vector<int64_t> &v) {
  return std::all_of(v.begin(), v.end(), [](int64_t x) { return x > 0; });
}
static bool noneNegative(const std::vector<int64_t> &v) {
  return std::all_of(v.begin(), v.end(), [](int64_t x) { return x >= 0; });
}

/// `value` (an int or `spatial` ints) as `spatial` ints; `name` is the argument, for messages.
static std::vector<int64_t> spatialInts(const char *name, const PyValue &value, int64_t spatial) {
  std::vector<int64_t> v = value.toIntList(spatial);
  if ((int64_t)v.size() != spatial)
    throw OpError(std::string("conv: expected ") + name + " to be a single integer value or a " +
                  "list of " + std::to_string(spatial) + " values to match the convolution " +
                  "dimensions, but got " + name + "=" + value.describe());
  return v;
}

/// padding='valid' (none) or 'same' (dilation * (kernel - 1) in total, the odd element after)
/// for a convolution by `weight`, into `params`.
static void resolveStringPadding(ConvParams &params, const std::string &padding,
                                 const Shape &weight) {
  size_t spatial = params.stride.size();
  params.padding.assign(spatial, 0);
  if (padding == "valid")
    return;
  if (padding != "same")
    throw OpError("Invalid padding string: '" + padding + "'");
  if (!std::all_of(params.stride.begin(), params.stride.end(), [](int64_t s) { return s == 1; }))
    throw OpError("padding='same' is not supported for strided convolutions");
  if (weight.size() != spatial + 2)
    throw OpError("conv: weight must be " + std::to_string(spatial + 2) + "-D, got shape " +
                  shapeToString(weight));
  params.extraPaddingAfter.assign(spatial, 0);
  for (size_t d = 0; d < spatial; ++d) {
    int64_t total = params.dilation[d] * (weight[2 + d] - 1);
    params.padding[d] = total / 2;
    params.extraPaddingAfter[d] = total % 2;
  }
}

ConvParams convParams(int64_t spatial, const PyValue &stride, const PyValue &padding,
                      const PyValue &dilation, const PyValue &groups,
                      const PyValue &outputPadding, const Shape &weight) {
  bool named = padding.kind() == PyValue::Kind::Str;
  ConvParams params{spatialInts("stride", stride, spatial),
                    named ? std::vector<int64_t>() : spatialInts("padding", padding, spatial),
                    spatialInts("dilation", dilation, spatial), groups.toInt()};
  if (named && !outputPadding.isNone())
    throw OpError("conv_transpose: padding must be ints, not the string '" + padding.toStr() +
                  "'");
  if (named)
    resolveStringPadding(params, padding.toStr(), weight);
  if (!outputPadding.isNone())
    params.outputPadding = spatialInts("output_padding", outputPadding, spatial);
  return params;
}

/// The checks convolutions and transposed ones share: ranks, hyper-parameters in range.
static void checkConvRanksAndParams(const std::string &name, const Shape &input,
                                    const Shape &weight, const ConvParams &params) {
  size_t rank = params.stride.size() + 2;
  if (input.size() != rank)
    throw OpError(name + ": expected a " + std::to_string(rank) + "-D (N, C, ...) input, got " +
                  "shape " + shapeToString(input));
  if (weight.size() != rank)
    throw OpError(name + ": weight must be " + std::to_string(rank) + "-D, got shape " +
                  shapeToString(weight));
  if (params.groups <= 0 || !allPositive(params.stride) || !allPositive(params.dilation) ||
      !noneNegative(params.padding))
    throw OpError(name + ": groups, stride and dilation must be positive, padding non-negative");
}

/// Checks that `weight`, whose first dim splits into `groups`, fits an input of `channels`
/// channels where it takes `expected`.
static void checkConvChannels(const std::string &name, const Shape &weight, int64_t groups,
                              int64_t channels, int64_t expected) {
  if (channels != expected || weight[0] % groups != 0)
    throw OpError(name + ": weight of shape " + shapeToString(weight) + " with groups=" +
                  std::to_string(groups) + " does not fit an input with " +
                  std::to_string(channels) + " channels");
}

static void checkConvBias(const std::string &name, const std::optional<Shape> &bias,
                          int64_t filters) {
  if (bias && numElements(*bias) != filters)
    throw OpError(name + ": bias has " + std::to_string(numElements(*bias)) + " elements for " +
                  std::to_string(filters) + " output channels");
}

Shape convOutputShape(const char *op, const Shape &input, const Shape &weight,
                      const std::optional<Shape> &bias, const ConvParams &params) {
  const std::vector<int64_t> &stride = params.stride, &padding = params.padding,
                             &dilation = params.dilation;
  int64_t groups = params.groups;
  std::string name = op;
  checkConvRanksAndParams(name, input, weight, params);
  int64_t filters = weight[0];
  checkConvChannels(name, weight, groups, input[1], weight[1] * groups);
  checkConvBias(name, bias, filters);
  Shape out{input[0], filters};
  for (size_t i = 0; i < stride.size(); ++i) {
    // windowCount pads both sides by `padding`; 'same' may pad one more after.
    int64_t extra = params.paddingAfter(i) - padding[i];
    out.push_back(windowCount(input[2 + i] + extra, weight[2 + i], stride[i], padding[i],
                              dilation[i], false));
    if (out.back() <= 0)
      throw OpError(name + ": input of shape " + shapeToString(input) + " is too small");
  }
  return out;
}

/// A transposed convolution's output size along one dim, before output padding: where the
/// last input element's window ends.
static int64_t transposedSize(int64_t in, int64_t kernel, int64_t stride, int64_t padding,
                              int64_t dilation) {
  return (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1;
}

Shape convTransposeOutputShape(const char *op, const Shape &input, const Shape &weight,
                               const std::optional<Shape> &bias, const ConvParams &params) {
  const std::vector<int64_t> &stride = params.stride, &padding = params.padding,
                             &dilation = params.dilation, &outputPadding = params.outputPadding;
  int64_t groups = params.groups;
  std::string name = op;
  checkConvRanksAndParams(name, input, weight, params);
  if (outputPadding.size() != stride.size())
    throw OpError(name + ": expected output_padding for each of the " +
                  std::to_string(stride.size()) + " spatial dims");
  for (size_t i = 0; i < stride.size(); ++i) {
    if (outputPadding[i] < 0)
      throw OpError(name + ": negative output_padding is not supported");
    // torch: the extra rows must be fewer than a stride step or a dilated kernel step.
    if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i])
      throw OpError(name + ": output padding must be smaller than either stride or dilation, " +
                    "but got output_padding=" + std::to_string(outputPadding[i]) + ", stride=" +
                    std::to_string(stride[i]) + ", dilation=" + std::to_string(dilation[i]) +
                    " in spatial dim " + std::to_string(i));
  }
  int64_t filters = weight[1] * groups;
  checkConvChannels(name, weight, groups, input[1], weight[0]);
  checkConvBias(name, bias, filters);
  Shape out{input[0], filters};
  for (size_t i = 0; i < stride.size(); ++i) {
    out.push_back(transposedSize(input[2 + i], weight[2 + i], stride[i], padding[i], dilation[i]) +
                  outputPadding[i]);
    if (out.back() <= 0)
      throw OpError(name + ": input of shape " + shapeToString(input) + " is too small");
  }
  return out;
}

std::vector<int64_t> convTransposeOutputPadding(const Shape &input, const PyValue &outputSize,
                                                const std::vector<int64_t> &kernel,
                                                const ConvParams &params) {
  int64_t spatial = (int64_t)params.stride.size();
  std::string name = "ConvTranspose" + std::to_string(spatial) + "d";
  checkPoolInputRank(name.c_str(), input, spatial);
  std::vector<int64_t> size = outputSize.toIntList();
  // The spatial sizes, or the whole output shape (batch and channels first, or channels only
  // for an unbatched input).
  int64_t leading = (int64_t)input.size() - spatial;
  if ((int64_t)size.size() == leading + spatial)
    size.erase(size.begin(), size.begin() + leading);
  if ((int64_t)size.size() != spatial)
    throw OpError(name + ": for " + std::to_string(input.size()) + "D input, output_size " +
                  "must have " + std::to_string(spatial) + " or " +
                  std::to_string(leading + spatial) + " elements (got " +
                  std::to_string(size.size()) + ")");
  std::vector<int64_t> padding;
  for (int64_t d = 0; d < spatial; ++d) {
    int64_t least = transposedSize(input[leading + d], kernel[d], params.stride[d],
                                   params.padding[d], params.dilation[d]);
    if (size[d] < least || size[d] > least + params.stride[d] - 1)
      throw OpError("requested an output size of " + outputSize.describe() + ", but valid " +
                    "sizes along spatial dim " + std::to_string(d) + " range from " +
                    std::to_string(least) + " to " + std::to_string(least + params.stride[d] - 1) +
                    " (for an input of " + shapeToString(input) + ")");
    padding.push_back(size[d] - least);
  }
  return padding;
}

int64_t convolutionSpatialDims(const Shape &weight) {
  if (weight.size() < 3 || weight.size() > 5)
    throw OpError("convolution: expected a 3-D, 4-D or 5-D weight, got shape " +
                  shapeToString(weight));
  return (int64_t)weight.size() - 2;
}

PoolWindow poolWindow(int64_t spatial, const PyValue &kernelSize, const PyValue &stride,
                      const PyValue &padding, const PyValue &dilation, bool ceilMode) {
  PoolWindow window;
  window.kernel = kernelSize.toIntList(spatial);
  bool strideIsKernel = stride.isNone() || (stride.isSequence() && stride.items().empty());
  window.stride = strideIsKernel ? window.kernel : stride.toIntList(spatial);
  window.padding = padding.toIntList(spatial);
  window.dilation = dilation.toIntList(spatial);
  window.ceilMode = ceilMode;
  return window;
}

void checkPoolInputRank(const char *op, const Shape &input, int64_t spatial) {
  int64_t rank = (int64_t)input.size();
  if (rank != spatial + 1 && rank != spatial + 2)
    throw OpError(std::string(op) + ": expected a " + std::to_string(spatial + 1) + "-D or " +
                  std::to_string(spatial + 2) + "-D input, got shape " + shapeToString(input));
}

Shape poolOutputShape(const char *op, const Shape &input, const PoolWindow &window) {
  const auto &[k, s, p, d, ceilMode] = window;
  if (input.size() != k.size() + 2)
    throw OpError(std::string(op) + ": expected a " + std::to_string(k.size() + 2) +
                  "-D (N, C, ...) input, got shape " + shapeToString(input));
  if (!allPositive(k) || !allPositive(s) || !allPositive(d) || !noneNegative(p))
    throw OpError("pooling: kernel size, stride and dilation must be positive");
  Shape out{input[0], input[1]};
  for (size_t i = 0; i < k.size(); ++i) {
    if (p[i] * 2 > k[i])
      throw OpError("pad should be at most half of effective kernel size");
    out.push_back(windowCount(input[2 + i], k[i], s[i], p[i], d[i], ceilMode));
  }
  if (std::any_of(out.begin() + 2, out.end(), [](int64_t n) { return n < 1; }))
    throw OpError(std::string(op) + ": given input size " + shapeToString(input) +
                  ", the calculated output size " + shapeToString(out) + " is too small");
  return out;
}

PoolTaps maxPoolTaps(const PoolWindow &window, int dim, int64_t i) {
  return {i * window.stride[dim] - window.padding[dim], window.dilation[dim], window.kernel[dim]};
}

PoolTaps adaptivePoolTaps(int64_t i, int64_t out, int64_t in) {
  PoolSpan bin = adaptivePoolSpan(i, out, in);
  return {bin.begin, 1, bin.size()};
}

AvgPoolWindow avgPoolWindow(const PoolWindow &window, int dim, int64_t i, int64_t in) {
  int64_t padding = window.padding[dim];
  int64_t begin = i * window.stride[dim] - padding;
  int64_t end = std::min(begin + window.kernel[dim], in + padding);
  return {{begin, end}, {std::max<int64_t>(begin, 0), std::min(end, in)}};
}

double avgPoolDivisor(const std::vector<AvgPoolWindow> &windows, bool countIncludePad,
                      const PyValue &divisorOverride) {
  if (!divisorOverride.isNone())
    return (double)divisorOverride.toInt();
  int64_t count = 1;
  for (const AvgPoolWindow &w : windows)
    count *= countIncludePad ? w.padded.size() : w.inside.size();
  return (double)count;
}

Shape adaptivePoolOutputShape(const char *op, int64_t spatial, const Shape &input,
                              const PyValue &outputSize) {
  checkPoolInputRank(op, input, spatial);
  size_t first = input.size() - spatial;
  std::vector<int64_t> size;
  if (outputSize.isSequence()) {
    const auto &items = outputSize.items();
    if ((int64_t)items.size() != spatial)
      throw OpError(std::string(op) + ": output_size must have " + std::to_string(spatial) +
                    " items");
    for (int64_t i = 0; i < spatial; ++i) // None keeps the input's size
      size.push_back(items[i].isNone() ? input[first + i] : items[i].toInt());
  } else {
    size = outputSize.toIntList(spatial);
  }
  if (!allPositive(size))
    throw OpError(std::string(op) + ": output size must be positive");
  Shape out = input;
  std::copy(size.begin(), size.end(), out.begin() + first);
  return out;
}

PoolSpan adaptivePoolSpan(int64_t i, int64_t out, int64_t in) {
  return {i * in / out, ((i + 1) * in + out - 1) / out};
}

Shape maxUnpoolOutputShape(int64_t spatial, const Shape &input, const Shape &indices,
                           const PoolWindow &window, const PyValue &outputSize) {
  std::string op = "max_unpool" + std::to_string(spatial) + "d";
  checkPoolInputRank(op.c_str(), input, spatial);
  if (indices != input)
    throw OpError(op + ": Expected shape of indices to be same as that of the input tensor (" +
                  shapeToString(input) + ") but got indices tensor with shape: " +
                  shapeToString(indices));
  if (!allPositive(window.kernel) || !allPositive(window.stride) || !noneNegative(window.padding))
    throw OpError(op + ": kernel size and stride must be positive, padding non-negative");
  size_t first = input.size() - spatial;
  std::vector<int64_t> size;
  for (int64_t d = 0; d < spatial; ++d)
    size.push_back((input[first + d] - 1) * window.stride[d] - 2 * window.padding[d] +
                   window.kernel[d]);
  if (!outputSize.isNone()) {
    std::vector<int64_t> given = outputSize.toIntList();
    // The spatial sizes, or those after two more (torch strips two whatever the rank).
    if ((int64_t)given.size() == spatial + 2)
      given.erase(given.begin(), given.begin() + 2);
    if ((int64_t)given.size() != spatial)
      throw OpError(op + ": output_size should have " + std::to_string(spatial) + " or " +
                    std::to_string(spatial + 2) + " elements (got " +
                    std::to_string(given.size()) + ")");
    for (int64_t d = 0; d < spatial; ++d) {
      int64_t least = size[d] - window.stride[d], most = size[d] + window.stride[d];
      if (given[d] <= least || given[d] >= most)
        throw OpError(op + ": invalid output_size " + outputSize.describe() + " (dim " +
                      std::to_string(d) + " must be between " + std::to_string(least) +
                      " and " + std::to_string(most) + ")");
    }
    size = given;
  }
  Shape out = input;
  std::copy(size.begin(), size.end(), out.begin() + first);
  return out;
}

/// unfold's and fold's `name` ("kernel_size", ...): one or two ints, each above `least`.
static std::vector<int64_t> blockInts(const char *name, const PyValue &value, int64_t least) {
  std::vector<int64_t> v = value.toIntList(2);
  if (v.size() != 2)
    throw OpError(std::string("im2col: expected ") + name + " to be one or two ints, got " +
                  value.describe());
  for (int64_t x : v)
    if (x < least)
      throw OpError(std::string("im2col: ") + name + " should be " +
                    (least > 0 ? "greater than zero" : "non-negative") + ", but got " +
                    value.describe());
  return v;
}

BlockParams blockParams(const PyValue &kernel, const PyValue &dilation, const PyValue &padding,
                        const PyValue &stride) {
  return {blockInts("kernel_size", kernel, 1), blockInts("dilation", dilation, 1),
          blockInts("padding", padding, 0), blockInts("stride", stride, 1)};
}

std::vector<int64_t> blockCounts(const std::vector<int64_t> &spatial, const BlockParams &p) {
  std::vector<int64_t> blocks;
  for (size_t d = 0; d < 2; ++d)
    blocks.push_back(
        windowCount(spatial[d], p.kernel[d], p.stride[d], p.padding[d], p.dilation[d], false));
  if (blocks[0] < 1 || blocks[1] < 1)
    throw OpError("Given input with spatial size (" + std::to_string(spatial[0]) + ", " +
                  std::to_string(spatial[1]) + "), kernel_size=(" + std::to_string(p.kernel[0]) +
                  ", " + std::to_string(p.kernel[1]) + "), calculated shape of the array of " +
                  "sliding blocks as (" + std::to_string(blocks[0]) + ", " +
                  std::to_string(blocks[1]) + "), but its components must be at least one.");
  return blocks;
}

Shape unfoldShape(const Shape &input, const BlockParams &p) {
  if (input.size() != 3 && input.size() != 4)
    throw OpError("unfold: expected a 3-D (unbatched) or 4-D (batched) input, got shape " +
                  shapeToString(input));
  size_t first = input.size() - 2;
  std::vector<int64_t> blocks = blockCounts({input[first], input[first + 1]}, p);
  Shape out(input.begin(), input.begin() + first);
  out.back() *= p.kernel[0] * p.kernel[1];
  out.push_back(blocks[0] * blocks[1]);
  return out;
}

Shape foldShape(const Shape &input, const PyValue &outputSize, const BlockParams &p) {
  if (input.size() != 2 && input.size() != 3)
    throw OpError("fold: expected a 2-D (unbatched) or 3-D (batched) input, got shape " +
                  shapeToString(input));
  std::vector<int64_t> size = blockInts("output_size", outputSize, 1);
  size_t channelDim = input.size() - 2;
  int64_t kernel = p.kernel[0] * p.kernel[1];
  if (input[channelDim] % kernel != 0)
    throw OpError("Expected size of input's dimension " + std::to_string(channelDim) +
                  " to be divisible by the product of kernel_size, but got input.size(" +
                  std::to_string(channelDim) + ")=" + std::to_string(input[channelDim]) +
                  " and kernel_size=(" + std::to_string(p.kernel[0]) + ", " +
                  std::to_string(p.kernel[1]) + ").");
  std::vector<int64_t> blocks = blockCounts(size, p);
  if (input.back() != blocks[0] * blocks[1])
    throw OpError("fold: expected size of input's dimension " +
                  std::to_string(input.size() - 1) + " to match the calculated number of " +
                  "sliding blocks " + std::to_string(blocks[0]) + " * " +
                  std::to_string(blocks[1]) + " = " + std::to_string(blocks[0] * blocks[1]) +
                  ", but got " + std::to_string(input.back()));
  Shape out(input.begin(), input.begin() + channelDim);
  out.push_back(input[channelDim] / kernel);
  out.insert(out.end(), size.begin(), size.end());
  return out;
}

int64_t blockSource(const BlockParams &p, int dim, int64_t b, int64_t k, int64_t size) {
  int64_t at = b * p.stride[dim] - p.padding[dim] + k * p.dilation[dim];
  return at >= 0 && at < size ? at : -1;
}

PadMode padMode(const std::string &mode) {
  static const std::pair<const char *, PadMode> modes[] = {{"constant", PadMode::Constant},
                                                           {"reflect", PadMode::Reflect},
                                                           {"replicate", PadMode::Replicate},
                                                           {"circular", PadMode::Circular}};
  for (const auto &[name, value] : modes)
    if (mode == name)
      return value;
  throw OpError("Unrecognised padding mode " + mode);
}

/// Non-constant modes pad the last 1, 2 or 3 dims of a batched or unbatched input, by less
/// than the input (reflect) or at most the input (circular).
static void checkNonConstantPad(const Shape &input, const std::vector<int64_t> &pad,
                                PadMode mode) {
  int64_t dims = (int64_t)pad.size() / 2, rank = (int64_t)input.size();
  if (dims < 1 || dims > 3 || (rank != dims + 1 && rank != dims + 2))
    throw OpError("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  for (size_t i = 0; i < pad.size(); i += 2) {
    int64_t dim = rank - 1 - (int64_t)i / 2, size = input[dim];
    for (int64_t p : {pad[i], pad[i + 1]}) {
      if (mode == PadMode::Reflect && p >= size)
        throw OpError("Padding size should be less than the corresponding input dimension, but "
                      "got: padding (" + std::to_string(pad[i]) + ", " +
                      std::to_string(pad[i + 1]) + ") at dimension " + std::to_string(dim) +
                      " of input " + shapeToString(input));
      if (mode == PadMode::Circular && p > size)
        throw OpError("Padding value causes wrapping around more than once.");
      if (p < 0)
        throw OpError("pad: negative padding needs mode='constant'");
    }
  }
}

double padFillValue(const std::string &mode, const PyValue &value) {
  double v = value.isNone() ? 0.0 : value.toDouble();
  if (padMode(mode) != PadMode::Constant && v != 0.0)
    throw OpError("Padding mode \"" + mode + "\" doesn't take in value argument");
  return v;
}

Shape paddedShape(const Shape &input, const std::vector<int64_t> &pad, PadMode mode) {
  int64_t rank = (int64_t)input.size();
  if (pad.size() % 2 != 0)
    throw OpError("Padding length must be divisible by 2");
  if ((int64_t)pad.size() > 2 * rank)
    throw OpError("Length of pad should be no more than twice the number of dimensions of the "
                  "input. Pad length is " + std::to_string(pad.size()) + " while the input has " +
                  std::to_string(rank) + " dimensions.");
  if (mode != PadMode::Constant)
    checkNonConstantPad(input, pad, mode);
  Shape out = input;
  for (size_t i = 0; i < pad.size(); i += 2) {
    int64_t &size = out[rank - 1 - (int64_t)i / 2];
    size += pad[i] + pad[i + 1];
    if (size < 0)
      throw OpError("The input size " + std::to_string(size - pad[i] - pad[i + 1]) +
                    ", plus negative padding " + std::to_string(pad[i]) + " and " +
                    std::to_string(pad[i + 1]) + " resulted in a negative output size");
  }
  return out;
}

int64_t padSource(PadMode mode, int64_t i, int64_t in, int64_t before) {
  int64_t j = i - before;
  if (j >= 0 && j < in)
    return j;
  switch (mode) {
  case PadMode::Constant:
    return -1;
  case PadMode::Reflect:
    return j < 0 ? -j : 2 * (in - 1) - j;
  case PadMode::Replicate:
    return j < 0 ? 0 : in - 1;
  case PadMode::Circular:
    return ((j % in) + in) % in;
  }
  return -1;
}

//===--- Shape ------------------------------------------------------------===//

Shape unflattenedShape(const Shape &shape, int64_t dim, const std::vector<int64_t> &sizes) {
  if (shape.empty())
    throw OpError("Dimension specified as " + std::to_string(dim) +
                  " but tensor has no dimensions");
  int64_t d = wrapDim(dim, (int64_t)shape.size());
  if (sizes.empty())
    throw OpError("unflatten: sizes must be non-empty");
  Shape parts;
  try {
    parts = inferReshape(sizes, shape[d]);
  } catch (const OpError &) {
    throw OpError("unflatten: Provided sizes " + shapeToString(sizes) +
                  " don't multiply up to the size of dim " + std::to_string(d) + " (" +
                  std::to_string(shape[d]) + ") in the input tensor");
  }
  Shape out(shape.begin(), shape.begin() + d);
  out.insert(out.end(), parts.begin(), parts.end());
  out.insert(out.end(), shape.begin() + d + 1, shape.end());
  return out;
}

int64_t unbindDim(const Shape &shape, int64_t dim) {
  if (shape.empty())
    throw OpError("Dimension specified as " + std::to_string(dim) +
                  " but tensor has no dimensions");
  return wrapDim(dim, (int64_t)shape.size());
}

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

/// Entries that select by value: tensors and lists of ints (which torch makes tensors).
static bool isTensorEntry(const PyValue &e) {
  return e.isTensor() || e.kind() == PyValue::Kind::List;
}

/// How many dims of the tensor an entry consumes: a bool mask its rank, None and Ellipsis none.
static int64_t consumedBy(const PyValue &e) {
  if (e.isTensor() && e.tensor().dtype() == DType::Bool)
    return e.tensor().dim();
  return e.isNone() || e.kind() == PyValue::Kind::Ellipsis ? 0 : 1;
}

/// How many dims of the tensor an index's entries consume.
static int64_t consumedDims(const std::vector<PyValue> &entries) {
  int64_t consuming = 0;
  bool sawEllipsis = false;
  for (const PyValue &e : entries) {
    if (e.kind() == PyValue::Kind::Ellipsis) {
      if (sawEllipsis)
        throw OpError("an index can only have a single ellipsis ('...')");
      sawEllipsis = true;
    }
    consuming += consumedBy(e);
  }
  return consuming;
}

PyValue indexAlongDim(int64_t rank, int64_t dim, const PyValue &entry) {
  std::vector<PyValue> entries((size_t)wrapDim(dim, rank),
                               PyValue::slice(PyValue::none(), PyValue::none(), PyValue::none()));
  entries.push_back(entry);
  return PyValue::tuple(entries);
}

void checkAsStrided(int64_t numel, const std::vector<int64_t> &size,
                    const std::vector<int64_t> &stride, int64_t offset) {
  if (size.size() != stride.size())
    throw OpError("mismatch in length of strides and shape");
  int64_t last = offset;
  for (size_t i = 0; i < size.size(); ++i) {
    if (size[i] < 0 || stride[i] < 0)
      throw OpError("as_strided: negative sizes and strides are not supported");
    if (size[i] == 0)
      return;
    last += (size[i] - 1) * stride[i];
  }
  if (offset < 0 || last >= numel)
    throw OpError("setStorage: sizes " + shapeToString(size) + ", strides " +
                  shapeToString(stride) + ", storage offset " + std::to_string(offset) +
                  " require more elements than the " + std::to_string(numel) +
                  " of the tensor (as_strided is supported on contiguous tensors only)");
}

bool hasTensorEntries(const PyValue &index) {
  std::vector<PyValue> entries = indexEntries(index);
  return std::any_of(entries.begin(), entries.end(), isTensorEntry);
}

TensorIndexing splitTensorIndex(const Shape &shape, const PyValue &index) {
  std::vector<PyValue> entries = indexEntries(index);
  int64_t rank = (int64_t)shape.size(), consuming = consumedDims(entries);
  if (consuming > rank)
    throw OpError("too many indices for tensor of dimension " + std::to_string(rank));
  TensorIndexing out;
  std::vector<PyValue> basic;
  int64_t dim = 0; // the dim of the basic result the next entry lands on
  PyValue all = PyValue::slice(PyValue::none(), PyValue::none(), PyValue::none());
  for (const PyValue &e : entries) {
    if (isTensorEntry(e)) {
      if (e.isTensor() && e.tensor().dtype() == DType::Bool && e.tensor().dim() == 0)
        throw OpError("indexing with a 0-d bool tensor is not supported yet");
      out.entries.emplace_back(dim, e);
      for (int64_t k = std::max<int64_t>(consumedBy(e), 1); k > 0; --k, ++dim)
        basic.push_back(all);
      continue;
    }
    basic.push_back(e);
    if (e.kind() == PyValue::Kind::Ellipsis)
      dim += rank - consuming;
    else if (e.isNone() || e.kind() == PyValue::Kind::Slice)
      ++dim;
  }
  out.basic = PyValue::tuple(basic);
  return out;
}

AdvancedIndex advancedIndex(const Shape &input, const std::vector<std::optional<Shape>> &indices) {
  if (indices.size() > input.size())
    throw OpError("too many indices for tensor of dimension " + std::to_string(input.size()));
  AdvancedIndex out;
  std::vector<int64_t> indexed, others;
  for (int64_t d = 0; d < (int64_t)input.size(); ++d) {
    bool isIndexed = d < (int64_t)indices.size() && indices[d];
    (isIndexed ? indexed : others).push_back(d);
    if (isIndexed)
      out.broadcast = broadcastShapes(out.broadcast, *indices[d]);
  }
  if (indexed.empty())
    throw OpError("index: at least one index must be a tensor");
  bool adjacent = indexed.back() - indexed.front() + 1 == (int64_t)indexed.size();
  out.position = adjacent ? indexed.front() : 0;
  for (int64_t i = 0; i < out.position; ++i)
    out.result.push_back(input[others[i]]);
  out.result.insert(out.result.end(), out.broadcast.begin(), out.broadcast.end());
  for (size_t i = out.position; i < others.size(); ++i)
    out.result.push_back(input[others[i]]);
  out.otherDims = others;
  return out;
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
      if (isTensorEntry(e))
        throw OpError("internal: a tensor index entry reached basic indexing");
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

Shape setitemValueShape(const Shape &value, const Shape &target) {
  Shape kept(std::find_if(value.begin(), value.end(), [](int64_t s) { return s != 1; }),
             value.end());
  bool fits = kept.size() <= target.size();
  for (size_t i = 0; fits && i < kept.size(); ++i)
    fits = kept[i] == 1 || kept[i] == target[target.size() - kept.size() + i];
  if (!fits)
    throw OpError("shape mismatch: value tensor of shape " + shapeToString(value) +
                  " cannot be broadcast to indexing result of shape " + shapeToString(target));
  return kept;
}

Shape layerNormStatsShape(const Shape &input, const Shape &normalizedShape) {
  layerNormSize(input, normalizedShape);
  Shape shape = input;
  std::fill(shape.end() - normalizedShape.size(), shape.end(), 1);
  return shape;
}

GroupNormShape nativeGroupNormShape(const Shape &input, int64_t n, int64_t c, int64_t hxw,
                                    int64_t group) {
  if (input.size() < 2 || input[0] != n || input[1] != c || numElements(input) != n * c * hxw)
    throw OpError("native_group_norm: N=" + std::to_string(n) + ", C=" + std::to_string(c) +
                  ", HxW=" + std::to_string(hxw) + " do not describe an input of shape " +
                  shapeToString(input));
  return groupNormShape("native_group_norm", input, group);
}

} // namespace fxmlir
