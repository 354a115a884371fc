//===- GpuKernelGroups.h - Which linalg ops share a GPU kernel -*- C++ -*-===//
//
// fx-linalg-to-gpu's analyses (GpuKernelGroups.cpp); private to the passes library.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_GPU_GPUKERNELGROUPS_H
#define FXMLIR_CODEGEN_GPU_GPUKERNELGROUPS_H

#include "fxmlir/Codegen/GPU/Passes.h"

#include <optional>

namespace mlir::fx::kernels {

/// The buffer a chain of views looks into.
Value rootBuffer(Value buffer);

/// The number of elements of a statically shaped buffer.
int64_t numElements(Value buffer);

/// How a reduction's accumulators start when its output was filled before it (linalg.fill,
/// then the matmul; or a copy of a zero-filled buffer): from the fill's value instead of a
/// load. `redundant` is the fill or copy right before the reduction, which only the reduction
/// would read: it goes.
struct KnownStart {
  Value value;
  Operation *redundant = nullptr;
};

KnownStart knownStart(linalg::LinalgOp op);

/// An elementwise op after reduction `op` that reads its output point by point (bias, batch
/// norm, activation after a matmul or convolution): the reduction's threads can run it on the
/// value they just computed, one kernel instead of two, where the epilogue is. Returns the
/// epilogue and its operand that reads the reduction's output.
std::pair<linalg::LinalgOp, OpOperand *> epilogueToFuse(linalg::LinalgOp op);

/// A linalg op's loops, parallel and reduction, with static ranges.
struct IterationSpace {
  SmallVector<int64_t> ranges;
  SmallVector<unsigned> parallelDims, reductionDims;
  SmallVector<int64_t> parallelShape, reductionShape;
  int64_t points = 1;  // of the parallel dimensions
  int64_t reduced = 1; // points of the reduction dimensions
};

IterationSpace iterationSpace(linalg::LinalgOp op);

/// How a reduction with few parallel points but long reductions (a batch-1 linear layer: 4096
/// dot products of 25088 elements) spreads over more threads: `ways` threads per point, each
/// combining every `ways`-th point of the flattened reduction space into a partial result that
/// starts from the combiner's neutral element; a second kernel combines the partials. Each
/// output must be a combiner with a neutral element (addf, maximumf, ...) of its accumulator
/// and a value independent of all accumulators.
struct ReductionSplit {
  int64_t ways = 0;
  SmallVector<Operation *> combiners; // per output, in the op's body
  /// Whether a point's threads are consecutive (the largest input reads the reduction's
  /// innermost dimension as its own innermost one, so they read consecutive elements).
  bool threadsOfAPointAdjacent = false;
};

/// The split that brings `op` near `targetThreads` threads, if it has fewer than half as many
/// parallel points, at least 256 elements to combine a point and each thread would still combine
/// at least 16.
std::optional<ReductionSplit> reductionSplit(linalg::LinalgOp op, const IterationSpace &space,
                                             int64_t targetThreads);

/// How many points of a reduction op one thread computes along each loop dimension (1: one),
/// when the op has many more parallel points than `targetThreads`: along a parallel dimension
/// that an input does not vary with, the thread loads that input once for all its points (a
/// convolution's weight along the output rows, its input along the output channels: 8 loads
/// for 16 multiply-adds instead of 32). At most two dimensions and 16 points; the innermost
/// parallel dimension is never tiled, so that consecutive threads keep consecutive elements.
SmallVector<int64_t> threadTile(linalg::LinalgOp op, const IterationSpace &space,
                                int64_t targetThreads);

/// Copies into windows of one buffer, as bufferization writes padding (the buffer filled with
/// the pad value, then the input copied into a window) and concatenation (one copy per input):
/// one kernel over the buffer does them all.
struct WindowCopies {
  Value buffer;          // identity layout, static shape
  linalg::LinalgOp fill; // optional: writes `value` everywhere before the copies
  Value value;
  SmallVector<linalg::CopyOp> copies; // each into a disjoint window of `buffer`
};

/// The static window of `buffer` that `copy` writes, if it writes one (unit strides).
memref::SubViewOp windowOf(linalg::CopyOp copy);

/// The copies into windows of one buffer that follow each other from `first` on, with the
/// fill before them, leaving out ops `taken` by other kernels; none when there is neither a
/// fill nor a second copy.
std::optional<WindowCopies> windowCopiesFrom(linalg::CopyOp first,
                                             llvm::function_ref<bool(Operation *)> taken);

} // namespace mlir::fx::kernels

#endif
