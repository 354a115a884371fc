//===- GpuKernelBuilder.h - IR building blocks of GPU kernels ---*- C++ -*-===//
//
// What fx-linalg-to-gpu's kernels are made of (GpuKernelBuilder.cpp): launches, thread
// coordinates, a linalg op's body at one point. Private to the passes library.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_GPU_GPUKERNELBUILDER_H
#define FXMLIR_CODEGEN_GPU_GPUKERNELBUILDER_H

#include "fxmlir/Codegen/GPU/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::fx::kernels {

Value indexConstant(OpBuilder &b, Location loc, int64_t value);

/// `map` applied to the iteration point `ivs`: one index per result.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map, ValueRange ivs);

/// The op's body at iteration point `ivs` with outputs `accumulators`: the yielded values.
/// An input in `known` is that value instead of a load.
SmallVector<Value> emitBody(OpBuilder &b, linalg::LinalgOp op, ValueRange ivs,
                            ValueRange accumulators,
                            const DenseMap<OpOperand *, Value> *known = nullptr);

/// Row-major coordinates of position `linear` in `shape` (the first one unbounded).
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear, ArrayRef<int64_t> shape);

/// `indices` into a row-major buffer of shape `from`: the same element's indices in shape `to`.
SmallVector<Value> reshapeIndices(OpBuilder &b, Location loc, ValueRange indices,
                                  ArrayRef<int64_t> from, ArrayRef<int64_t> to);

/// `ivs` with dimensions `dims` at `coordinates`.
void place(SmallVectorImpl<Value> &ivs, ArrayRef<unsigned> dims, ValueRange coordinates);

/// Creates a gpu.launch of `points` threads (blocks of `blockSize`) before `before` and leaves
/// the insertion point in its body, past the bounds guard; returns the thread's linear index.
Value beginKernel(IRRewriter &rewriter, Location loc, int64_t points, int64_t blockSize,
                  Operation *before);

} // namespace mlir::fx::kernels

#endif
