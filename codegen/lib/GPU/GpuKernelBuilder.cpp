//===- GpuKernelBuilder.cpp - IR building blocks of GPU kernels -----------===//
#include "GpuKernelBuilder.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

Value mlir::fx::kernels::indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

SmallVector<Value> mlir::fx::kernels::applyMap(OpBuilder &b, Location loc, AffineMap map,
                                               ValueRange ivs) {
  SmallVector<Value> indices;
  for (unsigned r = 0; r < map.getNumResults(); ++r)
    indices.push_back(affine::AffineApplyOp::create(b, loc, map.getSubMap({r}), ivs));
  return indices;
}

SmallVector<Value> mlir::fx::kernels::emitBody(OpBuilder &b, linalg::LinalgOp op, ValueRange ivs,
                                               ValueRange accumulators,
                                               const DenseMap<OpOperand *, Value> *known) {
  Location loc = op.getLoc();
  Block *body = op.getBlock();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    if (Value v = known ? known->lookup(input) : Value())
      value = v;
    else if (isa<MemRefType>(value.getType()))
      value = memref::LoadOp::create(b, loc, value,
                                     applyMap(b, loc, op.getMatchingIndexingMap(input), ivs));
    mapping.map(op.getMatchingBlockArgument(input), value);
  }
  for (auto [init, accumulator] : llvm::zip(op.getDpsInitsMutable(), accumulators))
    mapping.map(op.getMatchingBlockArgument(&init), accumulator);
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner))
      mapping.map(index.getResult(), ivs[index.getDim()]);
    else
      b.clone(inner, mapping);
  }
  return llvm::map_to_vector(body->getTerminator()->getOperands(),
                             [&](Value v) { return mapping.lookupOrDefault(v); });
}

SmallVector<Value> mlir::fx::kernels::delinearize(OpBuilder &b, Location loc, Value linear,
                                                  ArrayRef<int64_t> shape) {
  SmallVector<Value> coordinates(shape.size());
  for (unsigned d = shape.size(); d-- > 1;) {
    Value size = indexConstant(b, loc, shape[d]);
    coordinates[d] = arith::RemUIOp::create(b, loc, linear, size);
    linear = arith::DivUIOp::create(b, loc, linear, size);
  }
  if (!shape.empty())
    coordinates[0] = linear;
  return coordinates;
}

SmallVector<Value> mlir::fx::kernels::reshapeIndices(OpBuilder &b, Location loc, ValueRange indices,
                                                     ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from == to)
    return SmallVector<Value>(indices);
  Value linear = indexConstant(b, loc, 0);
  for (auto [index, size] : llvm::zip(indices, from))
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, indexConstant(b, loc, size)), index);
  return delinearize(b, loc, linear, to);
}

Value mlir::fx::kernels::beginKernel(IRRewriter &rewriter, Location loc, int64_t points,
                                     int64_t blockSize, Operation *before) {
  int64_t threads = std::min(blockSize, points);
  int64_t blocks = llvm::divideCeil(points, threads);
  rewriter.setInsertionPoint(before);
  Value one = indexConstant(rewriter, loc, 1);
  auto kernel = gpu::LaunchOp::create(rewriter, loc, indexConstant(rewriter, loc, blocks), one, one,
                                      indexConstant(rewriter, loc, threads), one, one);
  rewriter.setInsertionPointToEnd(&kernel.getBody().front());
  Operation *end = gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPoint(end);
  Value linear = arith::AddIOp::create(rewriter, loc,
                                       arith::MulIOp::create(rewriter, loc, kernel.getBlockIds().x,
                                                             indexConstant(rewriter, loc, threads)),
                                       kernel.getThreadIds().x);
  if (blocks * threads != points) {
    Value inside = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, linear,
                                         indexConstant(rewriter, loc, points));
    auto guard = scf::IfOp::create(rewriter, loc, inside, /*withElseRegion=*/false);
    rewriter.setInsertionPoint(guard.thenBlock()->getTerminator());
  }
  return linear;
}

void mlir::fx::kernels::place(SmallVectorImpl<Value> &ivs, ArrayRef<unsigned> dims,
                              ValueRange coordinates) {
  for (auto [d, coordinate] : llvm::zip_equal(dims, coordinates))
    ivs[d] = coordinate;
}
