//===- LinearAlgebra.cpp - Lowerings of matmul, bmm, linear, addmm --------===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace fxmlir {

using mlir::Value;

/// `a @ b` with batch dimensions: both operands broadcast to the result's batch, then one
/// linalg.batch_matmul.
static Value batchMatmul(LoweringContext &c, Value a, Value b, const MatmulShape &shape,
                         mlir::RankedTensorType resultType) {
  mlir::Type t = resultType.getElementType();
  int64_t batches = numElements(shape.batch);
  auto broadcast = [&](Value v, int64_t rows, int64_t cols) {
    Shape full = shape.batch;
    full.push_back(rows);
    full.push_back(cols);
    if (shapeOf(v) != llvm::ArrayRef<int64_t>(full))
      v = c.map({Lowered(v)}, tensorType(full, t),
                [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) { return x[0]; });
    return c.reshape(v, {batches, rows, cols});
  };
  Value a3 = broadcast(a, shape.m, shape.k), b3 = broadcast(b, shape.k, shape.n);
  auto outType = tensorType({batches, shape.m, shape.n}, t);
  Value product = mlir::linalg::BatchMatmulOp::create(c.b, c.loc, mlir::TypeRange{outType},
                                                      mlir::ValueRange{a3, b3},
                                                      mlir::ValueRange{c.filled(outType, 0)})
                      .getResult(0);
  return c.reshape(product, resultType.getShape());
}

/// torch.matmul on tensors: 2-D products become linalg.matmul, a batch times a matrix one
/// matmul over the flattened rows, other batches linalg.batch_matmul after broadcasting.
static Value matmulOf(LoweringContext &c, Value a, Value b, mlir::RankedTensorType resultType) {
  MatmulShape shape = matmulShape(shapeOf(a).vec(), shapeOf(b).vec());
  mlir::Type t = resultType.getElementType();
  a = c.castTensor(a, t);
  b = c.castTensor(b, t);
  if (shape.leftIsVector)
    a = c.reshape(a, {1, shape.k});
  if (shape.rightIsVector)
    b = c.reshape(b, {shape.k, 1});
  if (rankOf(b) != 2)
    return batchMatmul(c, a, b, shape, resultType);
  int64_t rows = mlir::cast<mlir::RankedTensorType>(a.getType()).getNumElements() / shape.k;
  return c.reshape(c.matmul(c.reshape(a, {rows, shape.k}), b, /*transposeB=*/false),
                   resultType.getShape());
}

static Lowered lowerMatmul(LoweringContext &c, const LoweredArgs &a) {
  return matmulOf(c, a.tensor("self"), a.tensor("other"), c.result());
}

static Lowered lowerBmm(LoweringContext &c, const LoweredArgs &a) {
  return matmulOf(c, a.tensor("self"), a.tensor("mat2"), c.result());
}

static Lowered lowerLinear(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), w = a.tensor("weight");
  mlir::Type t = c.resultElementType();
  if (rankOf(w) != 2)
    throw OpError("linear: weight must be 2-D");
  int64_t k = shapeOf(x).back();
  int64_t rows = mlir::cast<mlir::RankedTensorType>(x.getType()).getNumElements() / k;
  // Constant weights are transposed once, at compile time, for a plain (vectorizable) matmul.
  Value rowsOfX = c.reshape(c.castTensor(x, t), {rows, k});
  Value wt = c.transposedConstant(c.castTensor(w, t));
  Value y = wt ? c.matmul(rowsOfX, wt, /*transposeB=*/false)
               : c.matmul(rowsOfX, c.castTensor(w, t), /*transposeB=*/true);
  if (Value bias = a.optionalTensor("bias"))
    y = c.map({Lowered(y), Lowered(bias)}, mlir::cast<mlir::RankedTensorType>(y.getType()),
              [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                return ElementBuilder{b, l, t}.add(v[0], LoweringContext::cast(b, l, v[1], t));
              });
  return c.reshape(y, c.result().getShape());
}

/// `beta * self + alpha * (mat1 @ mat2)`.
static Lowered lowerAddmm(LoweringContext &c, const LoweredArgs &a) {
  double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
  Value p = matmulOf(c, a.tensor("mat1"), a.tensor("mat2"), c.result());
  return c.map({a["self"], Lowered(p)}, c.result(),
               [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 mlir::Type t = c.resultElementType();
                 ElementBuilder e{b, l, t};
                 Value s = LoweringContext::cast(b, l, v[0], t);
                 return e.add(e.mul(e.constant(beta), s), e.mul(e.constant(alpha), v[1]));
               });
}

void populateLinearAlgebraLowerings(LoweringTable &table) {
  table.add("matmul", lowerMatmul);
  table.add("bmm", lowerBmm);
  table.add("linear", lowerLinear);
  table.add("addmm", lowerAddmm);
}

} // namespace fxmlir
