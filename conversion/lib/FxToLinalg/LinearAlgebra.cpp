//===- LinearAlgebra.cpp - Lowerings of matmul, mm, bmm, linear, addmm, ... ---===//
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

/// The rows of `v` seen as a matrix of its last dimension (dividing the element count by that
/// dimension fails when it is 0).
static int64_t rowsOf(Value v) {
  llvm::ArrayRef<int64_t> shape = shapeOf(v);
  return numElements(Shape(shape.begin(), shape.end() - 1));
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
  int64_t rows = rowsOf(a);
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
  int64_t rows = rowsOf(x);
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

static Lowered lowerMm(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), y = a.tensor("mat2");
  checkMm(shapeOf(x).vec(), shapeOf(y).vec());
  return matmulOf(c, x, y, c.result());
}

/// `beta * input + alpha * (batch1 @ batch2)`; beta = 0 ignores input (NaNs included).
static Lowered lowerBaddbmm(LoweringContext &c, const LoweredArgs &a) {
  Value b1 = a.tensor("batch1"), b2 = a.tensor("batch2");
  mlir::Type t = c.resultElementType();
  Shape shape = baddbmmShape(shapeOf(b1).vec(), shapeOf(b2).vec());
  Value p = matmulOf(c, b1, b2, tensorType(shape, t));
  double beta = a.toDouble("beta"), alpha = a.toDouble("alpha");
  return c.map({Lowered(p), a["input"]}, c.result(),
               [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 ElementBuilder e{b, l, t};
                 Value scaled = e.mul(e.constant(alpha), v[0]);
                 if (beta == 0)
                   return scaled;
                 Value s = LoweringContext::cast(b, l, v[1], t);
                 return e.add(scaled, e.mul(e.constant(beta), s));
               });
}

/// outer: input as a column times vec2, broadcast.
static Lowered lowerOuter(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input"), y = a.tensor("vec2");
  checkOuter(shapeOf(x).vec(), shapeOf(y).vec());
  mlir::Type t = c.resultElementType();
  return c.map({Lowered(c.reshape(x, {shapeOf(x)[0], 1})), Lowered(y)}, c.result(),
               [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                 return ElementBuilder{b, l, t}.mul(LoweringContext::cast(b, l, v[0], t),
                                                    LoweringContext::cast(b, l, v[1], t));
               });
}

/// einsum as one linalg.generic: a loop per letter (the output's parallel, the others
/// reductions), each operand read through its letters (a size-1 dim broadcast reads index 0).
static Value einsumOf(LoweringContext &c, const std::string &equation,
                      std::vector<Value> operands, mlir::RankedTensorType resultType) {
  std::vector<Shape> shapes;
  for (Value &v : operands) {
    shapes.push_back(shapeOf(v).vec());
    v = c.castTensor(v, resultType.getElementType());
  }
  EinsumSpec spec = einsumSpec(equation, shapes);
  int64_t loops = (int64_t)spec.loops.size(), outRank = (int64_t)spec.output.size();
  mlir::MLIRContext *ctx = c.b.getContext();
  llvm::SmallVector<mlir::AffineMap> maps;
  for (size_t o = 0; o < operands.size(); ++o) {
    llvm::SmallVector<mlir::AffineExpr> exprs;
    for (size_t d = 0; d < shapes[o].size(); ++d) {
      int64_t loop = (int64_t)spec.loops.find(spec.inputs[o][d]);
      bool broadcast = shapes[o][d] == 1 && spec.loopSizes[loop] != 1;
      exprs.push_back(broadcast ? c.b.getAffineConstantExpr(0) : c.b.getAffineDimExpr(loop));
    }
    maps.push_back(mlir::AffineMap::get(loops, 0, exprs, ctx));
  }
  llvm::SmallVector<mlir::AffineExpr> outExprs;
  for (int64_t d = 0; d < outRank; ++d)
    outExprs.push_back(c.b.getAffineDimExpr(d));
  maps.push_back(mlir::AffineMap::get(loops, 0, outExprs, ctx));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(outRank,
                                                         mlir::utils::IteratorType::parallel);
  iterators.append(loops - outRank, mlir::utils::IteratorType::reduction);
  mlir::Type t = resultType.getElementType();
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{resultType}, operands,
             mlir::ValueRange{c.filled(resultType, 0)}, maps, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
               ElementBuilder e{b, l, t};
               Value product = v[0];
               for (size_t o = 1; o < operands.size(); ++o)
                 product = e.mul(product, v[o]);
               mlir::linalg::YieldOp::create(b, l, e.add(v.back(), product));
             })
      .getResult(0);
}

static Lowered lowerEinsum(LoweringContext &c, const LoweredArgs &a) {
  const Lowered &list = a.at(1);
  std::vector<Value> operands;
  for (const Lowered &item : list.isSequence() ? list.items() : std::vector<Lowered>{list}) {
    if (!item.isTensor())
      throw OpError("einsum: expected tensors, got " + item.describe());
    operands.push_back(item.tensor());
  }
  return einsumOf(c, a.at(0).literal().toStr(), operands, c.result());
}

/// bilinear as the einsum "bi,oij,bj->bo" over the leading dims flattened, plus the bias.
static Lowered lowerBilinear(LoweringContext &c, const LoweredArgs &a) {
  Value x1 = a.tensor("input1"), x2 = a.tensor("input2"), w = a.tensor("weight");
  Value bias = a.optionalTensor("bias");
  std::optional<Shape> biasShape;
  if (bias)
    biasShape = shapeOf(bias).vec();
  Shape shape = bilinearShape(shapeOf(x1).vec(), shapeOf(x2).vec(), shapeOf(w).vec(), biasShape);
  auto ws = shapeOf(w);
  int64_t rows = numElements(Shape(shape.begin(), shape.end() - 1));
  mlir::Type t = c.resultElementType();
  auto flatType = tensorType({rows, ws[0]}, t);
  Value y = einsumOf(c, "bi,oij,bj->bo",
                     {c.reshape(x1, {rows, ws[1]}), w, c.reshape(x2, {rows, ws[2]})}, flatType);
  if (bias)
    y = c.map({Lowered(y), Lowered(bias)}, flatType,
              [t](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange v) {
                return ElementBuilder{b, l, t}.add(v[0], LoweringContext::cast(b, l, v[1], t));
              });
  return c.reshape(y, c.result().getShape());
}

void populateLinearAlgebraLowerings(LoweringTable &table) {
  table.add("matmul", lowerMatmul);
  table.add("bmm", lowerBmm);
  table.add("linear", lowerLinear);
  table.add("addmm", lowerAddmm);
  table.add("mm", lowerMm);
  table.add("baddbmm", lowerBaddbmm);
  table.add("outer", lowerOuter);
  table.add("einsum", lowerEinsum);
  table.add("bilinear", lowerBilinear);
}

} // namespace fxmlir
