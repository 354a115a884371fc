//===- Normalization.cpp - Lowerings of norms, softmax and embedding ------===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

/// Eval-mode batch_norm: a per-channel scale and shift (computed on C elements), then one
/// multiply-add over the input.
static Lowered lowerBatchNorm(LoweringContext &c, const LoweredArgs &a) {
  if (a.toBool("training"))
    throw OpError("batch_norm with training=True cannot be compiled; lower the model in eval "
                  "mode");
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
  Value x = a.tensor("input");
  int64_t rank = rankOf(x), channels = batchNormChannels(shapeOf(x).vec());
  for (const char *name : {"running_mean", "running_var", "weight", "bias"})
    if (!a.isNone(name))
      checkBatchNormArg(name, numElementsOf(a.tensor(name)), channels);
  double eps = a.toDouble("eps");
  auto vecType = tensorType({channels}, t);
  auto orOne = [&](const char *name, double fallback) {
    return a.isNone(name) ? Lowered(PyValue::floating(fallback)) : Lowered(a.tensor(name));
  };
  Value scale = mapIn(c, t, {Lowered(a.tensor("running_var")), orOne("weight", 1.0)}, vecType,
                      [eps](ElementBuilder &e, ValueRange v) {
                        return e.mul(v[1], e.rsqrt(e.add(v[0], e.constant(eps))));
                      });
  Value shift = mapIn(c, t, {orOne("bias", 0.0), Lowered(a.tensor("running_mean")), Lowered(scale)},
                      vecType, [](ElementBuilder &e, ValueRange v) {
                        return e.sub(v[0], e.mul(v[1], v[2]));
                      });
  return mapIn(c, t,
               {Lowered(x), Lowered(c.alongDim(scale, 1, rank)),
                Lowered(c.alongDim(shift, 1, rank))},
               outType, [](ElementBuilder &e, ValueRange v) {
                 return e.add(e.mul(v[0], v[1]), v[2]);
               });
}

/// layer_norm over the trailing dims `normalized_shape` names: mean, then (biased) variance of
/// the centered input, each a sum reduction divided by the normalised size.
static Lowered lowerLayerNorm(LoweringContext &c, const LoweredArgs &a) {
  mlir::RankedTensorType outType = c.result();
  mlir::Type t = outType.getElementType();
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
  double n = (double)size, eps = a.toDouble("eps");
  Value sum = c.reduce(x, dims, /*keepdim=*/true, ReduceKind::Sum);
  Value centered = mapIn(c, t, {Lowered(x), Lowered(sum)}, outType,
                         [n](ElementBuilder &e, ValueRange v) {
                           return e.sub(v[0], e.div(v[1], e.constant(n)));
                         });
  Value squares = mapIn(c, t, {Lowered(centered)}, outType,
                        [](ElementBuilder &e, ValueRange v) { return e.mul(v[0], v[0]); });
  Value var = c.reduce(squares, dims, /*keepdim=*/true, ReduceKind::Sum);
  std::vector<Lowered> operands{Lowered(centered), Lowered(var)};
  bool hasWeight = !a.isNone("weight"), hasBias = !a.isNone("bias");
  if (hasWeight)
    operands.push_back(Lowered(a.tensor("weight")));
  if (hasBias)
    operands.push_back(Lowered(a.tensor("bias")));
  return mapIn(c, t, operands, outType, [=](ElementBuilder &e, ValueRange v) {
    Value y = e.mul(v[0], e.rsqrt(e.add(e.div(v[1], e.constant(n)), e.constant(eps))));
    if (hasWeight)
      y = e.mul(y, v[2]);
    if (hasBias)
      y = e.add(y, v[hasWeight ? 3 : 2]);
    return y;
  });
}

/// softmax, or log_softmax when `logOf`, stabilised by the max along `dim`.
static Lowering softmaxLowering(bool logOf) {
  return [logOf](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    mlir::RankedTensorType outType = c.result();
    mlir::Type t = outType.getElementType();
    Value input = a.tensor("input");
    int64_t dim = softmaxDim(a.literal("dim"), rankOf(input));
    Value x = c.castTensor(input, t);
    Value max = c.reduce(x, {dim}, /*keepdim=*/true, ReduceKind::Max);
    Value exps = mapIn(c, t, {Lowered(x), Lowered(max)}, outType,
                       [](ElementBuilder &e, ValueRange v) { return e.exp(e.sub(v[0], v[1])); });
    Value sum = c.reduce(exps, {dim}, /*keepdim=*/true, ReduceKind::Sum);
    if (logOf)
      return mapIn(c, t, {Lowered(x), Lowered(max), Lowered(sum)}, outType,
                   [](ElementBuilder &e, ValueRange v) {
                     return e.sub(e.sub(v[0], v[1]), e.log(v[2]));
                   });
    return mapIn(c, t, {Lowered(exps), Lowered(sum)}, outType,
                 [](ElementBuilder &e, ValueRange v) { return e.div(v[0], v[1]); });
  };
}

/// out[i..., d] = weight[input[i...], d], read with tensor.extract. Indices out of range are
/// undefined behaviour in compiled code, as in torch's CPU kernels without checks.
static Lowered lowerEmbedding(LoweringContext &c, const LoweredArgs &a) {
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

void populateNormalizationLowerings(LoweringTable &table) {
  table.add("batch_norm", lowerBatchNorm);
  table.add("layer_norm", lowerLayerNorm);
  table.add("softmax", softmaxLowering(/*logOf=*/false));
  table.add("log_softmax", softmaxLowering(/*logOf=*/true));
  table.add("embedding", lowerEmbedding);
}

} // namespace fxmlir
