//===- LinalgToGpu.cpp - fx-linalg-to-gpu ---------------------------------===//
//
// One kernel per linalg op: a thread per point of the op's parallel iteration space (flattened,
// innermost dimension fastest), the reduction loops inside the thread with the outputs in
// registers. Reductions with few parallel points split across more threads: partial results,
// then a kernel that combines them.
//
//===----------------------------------------------------------------------===//
#include "GpuKernelBuilder.h"
#include "GpuKernelGroups.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXLINALGTOGPU
#include "fxmlir/Codegen/GPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx::kernels;

namespace {

/// What one kernel runs: an op, possibly with the fill before it and the epilogue after it.
struct KernelOps {
  linalg::LinalgOp op;
  KnownStart start;
  linalg::LinalgOp epilogue;
  OpOperand *epilogueReads = nullptr;
};

/// Runs `epilogue` at the point where reduction output element `indices` got `value`.
void emitEpilogue(OpBuilder &b, const KernelOps &kernel, ValueRange indices, Value value) {
  linalg::LinalgOp epilogue = kernel.epilogue;
  Location loc = epilogue.getLoc();
  // The epilogue's point from the output's indices: the same element in the epilogue's view of
  // the buffer, then through its map (a permutation).
  linalg::LinalgOp reduction = kernel.op;
  SmallVector<Value> viewIndices = reshapeIndices(
      b, loc, indices, cast<MemRefType>(reduction.getDpsInits()[0].getType()).getShape(),
      cast<MemRefType>(kernel.epilogueReads->get().getType()).getShape());
  AffineMap map = epilogue.getMatchingIndexingMap(kernel.epilogueReads);
  SmallVector<Value> ivs(map.getNumDims());
  for (unsigned r = 0; r < map.getNumResults(); ++r)
    ivs[map.getDimPosition(r)] = viewIndices[r];
  SmallVector<SmallVector<Value>> outputIndices;
  SmallVector<Value> outputs;
  for (OpOperand &init : epilogue.getDpsInitsMutable()) {
    outputIndices.push_back(applyMap(b, loc, epilogue.getMatchingIndexingMap(&init), ivs));
    outputs.push_back(memref::LoadOp::create(b, loc, init.get(), outputIndices.back()));
  }
  DenseMap<OpOperand *, Value> known = {{kernel.epilogueReads, value}};
  SmallVector<Value> results = emitBody(b, epilogue, ivs, outputs, &known);
  for (auto [init, result, at] : llvm::zip(epilogue.getDpsInits(), results, outputIndices))
    memref::StoreOp::create(b, loc, result, init, at);
}

/// A thread per element of the buffer: the element of the source whose window holds it, else
/// the fill value (or what the buffer holds).
void launchWindowCopies(IRRewriter &rewriter, const WindowCopies &group, int64_t blockSize) {
  linalg::CopyOp last = group.copies.back();
  Location loc = last.getLoc();
  ArrayRef<int64_t> shape = cast<MemRefType>(group.buffer.getType()).getShape();
  Value linear = beginKernel(rewriter, loc, numElements(group.buffer), blockSize, last);
  SmallVector<Value> point = delinearize(rewriter, loc, linear, shape);
  // From the last window to the first, each an scf.if around the ones before.
  std::function<Value(OpBuilder &, size_t)> select = [&](OpBuilder &b, size_t i) -> Value {
    if (i == group.copies.size())
      return group.value ? group.value : memref::LoadOp::create(b, loc, group.buffer, point);
    linalg::CopyOp copy = group.copies[i];
    memref::SubViewOp window = windowOf(copy);
    Value inside;
    SmallVector<Value> inWindow;
    for (auto [d, coordinate] : llvm::enumerate(point)) {
      // coordinate - offset < size, unsigned: also false below the window.
      Value relative = arith::SubIOp::create(b, loc, coordinate,
                                             indexConstant(b, loc, window.getStaticOffsets()[d]));
      Value within = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, relative,
                                           indexConstant(b, loc, window.getStaticSizes()[d]));
      inside = inside ? arith::AndIOp::create(b, loc, inside, within) : within;
      inWindow.push_back(relative);
    }
    auto choice = scf::IfOp::create(
        b, loc, inside,
        [&](OpBuilder &then, Location l) {
          scf::YieldOp::create(
              then, l, ValueRange{memref::LoadOp::create(then, l, copy.getInputs()[0], inWindow)});
        },
        [&](OpBuilder &otherwise, Location l) {
          scf::YieldOp::create(otherwise, l, select(otherwise, i + 1));
        });
    return choice.getResult(0);
  };
  memref::StoreOp::create(rewriter, loc, select(rewriter, 0), group.buffer, point);
  for (linalg::CopyOp copy : group.copies)
    rewriter.eraseOp(copy);
  if (group.fill)
    rewriter.eraseOp(group.fill);
}

/// The first kernel of a split reduction (see ReductionSplit), before `anchor`: thread (point,
/// slice) combines reduction points slice, slice + ways, ... into partial[point][slice] (or
/// [slice][point] when a point's threads are not adjacent). Returns the partials' buffers, one
/// per output.
SmallVector<Value> launchPartials(IRRewriter &rewriter, linalg::LinalgOp op,
                                  const IterationSpace &space, const ReductionSplit &split,
                                  int64_t blockSize, Operation *anchor) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(anchor);
  SmallVector<int64_t> partialShape = {space.points, split.ways};
  if (!split.threadsOfAPointAdjacent)
    std::swap(partialShape[0], partialShape[1]);
  SmallVector<Value> partials;
  for (Value init : op.getDpsInits()) {
    auto type = MemRefType::get(partialShape, cast<MemRefType>(init.getType()).getElementType());
    partials.push_back(
        gpu::AllocOp::create(rewriter, loc, type, Type(), ValueRange(), ValueRange(), ValueRange())
            .getMemref());
  }
  Value linear = beginKernel(rewriter, loc, space.points * split.ways, blockSize, anchor);
  SmallVector<Value> at = delinearize(rewriter, loc, linear, partialShape);
  Value point = at[split.threadsOfAPointAdjacent ? 0 : 1];
  Value slice = at[split.threadsOfAPointAdjacent ? 1 : 0];
  Value zero = indexConstant(rewriter, loc, 0);
  SmallVector<Value> ivs(space.ranges.size(), zero);
  place(ivs, space.parallelDims, delinearize(rewriter, loc, point, space.parallelShape));
  SmallVector<Value> neutral = llvm::map_to_vector(split.combiners, [&](Operation *combiner) {
    return Value(arith::ConstantOp::create(rewriter, loc, *arith::getNeutralElement(combiner)));
  });
  auto loop = scf::ForOp::create(
      rewriter, loc, slice, indexConstant(rewriter, loc, space.reduced),
      indexConstant(rewriter, loc, split.ways), neutral,
      [&](OpBuilder &b, Location l, Value reductionPoint, ValueRange accumulators) {
        SmallVector<Value> pointIvs(ivs);
        place(pointIvs, space.reductionDims,
              delinearize(b, l, reductionPoint, space.reductionShape));
        scf::YieldOp::create(b, l, emitBody(b, op, pointIvs, accumulators));
      });
  for (auto [partial, value] : llvm::zip(partials, loop.getResults()))
    memref::StoreOp::create(rewriter, loc, value, partial, at);
  return partials;
}

/// How `launch` ran an op.
enum class KernelForm { None, PointPerThread, TilePerThread, Split };

/// An op with no point to compute: it goes, with its fill and epilogue (empty too). An empty
/// reduction is not this case: it stores the outputs' start values.
void eraseEmptyOp(IRRewriter &rewriter, const KernelOps &ops) {
  linalg::LinalgOp epilogue = ops.epilogue;
  for (Operation *empty : {ops.start.redundant, epilogue ? epilogue.getOperation() : nullptr})
    if (empty)
      rewriter.eraseOp(empty);
  rewriter.eraseOp(ops.op);
}

/// The iteration coordinates of each point of the thread's tile (reductions at 0 for now): the
/// tile's origin comes from the thread's `linear` index, innermost dimension fastest.
SmallVector<SmallVector<Value>> tilePointsOfThread(OpBuilder &b, Location loc,
                                                   const IterationSpace &space,
                                                   ArrayRef<int64_t> threadShape,
                                                   ArrayRef<int64_t> tileShape, Value linear) {
  SmallVector<Value> origin = delinearize(b, loc, linear, threadShape);
  for (auto [coordinate, size] : llvm::zip(origin, tileShape))
    if (size != 1)
      coordinate = arith::MulIOp::create(b, loc, coordinate, indexConstant(b, loc, size));
  Value zero = indexConstant(b, loc, 0);
  SmallVector<SmallVector<Value>> points;
  for (int64_t t = 0, n = llvm::product_of(tileShape); t < n; ++t) {
    SmallVector<Value> ivs(space.ranges.size(), zero);
    int64_t rest = t;
    for (unsigned i = space.parallelDims.size(); i-- > 0;) {
      int64_t offset = rest % tileShape[i];
      rest /= tileShape[i];
      ivs[space.parallelDims[i]] =
          offset == 0 ? origin[i]
                      : arith::AddIOp::create(b, loc, origin[i], indexConstant(b, loc, offset));
    }
    points.push_back(ivs);
  }
  return points;
}

/// Where each point's outputs are (point after point, one per output) and their start values:
/// outputs do not depend on reduction dimensions, so they are loaded once (or start from the
/// value of the fill before), accumulated in registers and stored once.
struct Accumulators {
  SmallVector<SmallVector<Value>> indices;
  SmallVector<Value> initial;
};
Accumulators startAccumulators(IRRewriter &rewriter, const KernelOps &ops,
                               ArrayRef<SmallVector<Value>> points) {
  linalg::LinalgOp op = ops.op;
  Location loc = op.getLoc();
  Accumulators acc;
  for (ArrayRef<Value> ivs : points)
    for (OpOperand &init : op.getDpsInitsMutable()) {
      acc.indices.push_back(applyMap(rewriter, loc, op.getMatchingIndexingMap(&init), ivs));
      acc.initial.push_back(ops.start.value ? ops.start.value
                                            : memref::LoadOp::create(rewriter, loc, init.get(),
                                                                     acc.indices.back()));
    }
  if (ops.start.redundant)
    rewriter.eraseOp(ops.start.redundant);
  return acc;
}

/// A split reduction's second step: the thread of `point` combines its partials into the start
/// values, with the op's own combiners.
SmallVector<Value> combinePartials(IRRewriter &rewriter, linalg::LinalgOp op,
                                   const ReductionSplit &split, ArrayRef<Value> partials,
                                   Value point, ValueRange initial) {
  Location loc = op.getLoc();
  auto loop = scf::ForOp::create(
      rewriter, loc, indexConstant(rewriter, loc, 0), indexConstant(rewriter, loc, split.ways),
      indexConstant(rewriter, loc, 1), initial,
      [&](OpBuilder &b, Location l, Value slice, ValueRange accumulators) {
        SmallVector<Value> at = {point, slice};
        if (!split.threadsOfAPointAdjacent)
          std::swap(at[0], at[1]);
        SmallVector<Value> combined;
        for (auto [i, combiner] : llvm::enumerate(split.combiners)) {
          Value partial = memref::LoadOp::create(b, l, partials[i], at);
          Value accumulator = op.getMatchingBlockArgument(&op.getDpsInitsMutable()[i]);
          IRMapping mapping;
          for (Value operand : combiner->getOperands())
            mapping.map(operand, operand == accumulator ? accumulators[i] : partial);
          combined.push_back(b.clone(*combiner, mapping)->getResult(0));
        }
        scf::YieldOp::create(b, l, combined);
      });
  return loop.getResults();
}

/// Stores the results, runs the epilogue on them, frees the partials and erases the op.
void finishKernel(IRRewriter &rewriter, const KernelOps &ops, const Accumulators &acc,
                  ArrayRef<Value> results, ArrayRef<Value> partials, Operation *anchor) {
  linalg::LinalgOp op = ops.op;
  Location loc = op.getLoc();
  unsigned numOutputs = op.getNumDpsInits();
  for (auto [i, value] : llvm::enumerate(results))
    memref::StoreOp::create(rewriter, loc, value, op.getDpsInits()[i % numOutputs],
                            acc.indices[i]);
  if (ops.epilogue)
    for (unsigned t = 0; t < results.size(); t += numOutputs)
      emitEpilogue(rewriter, ops, acc.indices[t], results[t]);
  rewriter.setInsertionPoint(anchor);
  for (Value partial : partials)
    gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange(), partial);
  if (ops.epilogue)
    rewriter.eraseOp(ops.epilogue);
  rewriter.eraseOp(op);
}

/// Replaces `op` by a gpu.launch that runs it: a thread per point of the parallel dimensions
/// (or per tile of points), which loops over the reduction dimensions with the outputs in
/// registers; or, for a split reduction, a kernel of partial results first, which those threads
/// then combine.
FailureOr<KernelForm> launch(IRRewriter &rewriter, const KernelOps &ops, int64_t blockSize,
                             int64_t targetThreads) {
  linalg::LinalgOp op = ops.op;
  Location loc = op.getLoc();
  IterationSpace space = iterationSpace(op);
  if (ShapedType::isDynamicShape(space.ranges))
    return op->emitError("fx-linalg-to-gpu: dynamic shapes are not supported");
  if (space.points == 0) {
    eraseEmptyOp(rewriter, ops);
    return KernelForm::None;
  }
  // With an epilogue, where the epilogue is: its operands are defined there.
  linalg::LinalgOp epilogue = ops.epilogue;
  Operation *anchor = epilogue ? epilogue.getOperation() : op.getOperation();
  std::optional<ReductionSplit> split = reductionSplit(op, space, targetThreads);
  SmallVector<Value> partials;
  if (split)
    partials = launchPartials(rewriter, op, space, *split, blockSize, anchor);
  // The thread's points: a tile of the parallel space (one point unless threadTile says
  // otherwise).
  SmallVector<int64_t> tile =
      split ? SmallVector<int64_t>(space.ranges.size(), 1) : threadTile(op, space, targetThreads);
  SmallVector<int64_t> threadShape, tileShape;
  for (unsigned d : space.parallelDims) {
    threadShape.push_back(space.ranges[d] / tile[d]);
    tileShape.push_back(tile[d]);
  }
  int64_t tilePoints = llvm::product_of(tileShape);
  Value linear = beginKernel(rewriter, loc, space.points / tilePoints, blockSize, anchor);
  SmallVector<SmallVector<Value>> points =
      tilePointsOfThread(rewriter, loc, space, threadShape, tileShape, linear);
  Accumulators acc = startAccumulators(rewriter, ops, points);
  // The op's body at every point of the tile; the copies' loads of an input that does not vary
  // across the tile are the same loads, which CSE merges.
  unsigned numOutputs = op.getNumDpsInits();
  auto bodyAtPoints = [&](OpBuilder &b, ArrayRef<unsigned> dims, ValueRange coordinates,
                          ValueRange accumulators) {
    SmallVector<Value> results;
    for (auto [t, ivs] : llvm::enumerate(points)) {
      SmallVector<Value> point(ivs);
      place(point, dims, coordinates);
      llvm::append_range(results,
                         emitBody(b, op, point, accumulators.slice(t * numOutputs, numOutputs)));
    }
    return results;
  };
  SmallVector<Value> results;
  if (space.reductionDims.empty()) {
    results = bodyAtPoints(rewriter, {}, {}, acc.initial);
  } else if (split) {
    results = combinePartials(rewriter, op, *split, partials, linear, acc.initial);
  } else {
    Value zero = indexConstant(rewriter, loc, 0), one = indexConstant(rewriter, loc, 1);
    SmallVector<Value> lower(space.reductionDims.size(), zero),
        steps(space.reductionDims.size(), one), upper;
    for (int64_t range : space.reductionShape)
      upper.push_back(indexConstant(rewriter, loc, range));
    results = scf::buildLoopNest(
                  rewriter, loc, lower, upper, steps, acc.initial,
                  [&](OpBuilder &b, Location, ValueRange reductionIvs, ValueRange accumulators) {
                    return bodyAtPoints(b, space.reductionDims, reductionIvs, accumulators);
                  })
                  .results;
  }
  finishKernel(rewriter, ops, acc, results, partials, anchor);
  if (split)
    return KernelForm::Split;
  return tilePoints > 1 ? KernelForm::TilePerThread : KernelForm::PointPerThread;
}

/// Lets the kernel's floating-point multiplies and adds fuse (fma.rn.f32: one rounding instead
/// of two, twice the throughput), as cuBLAS and cuDNN do; without `contract` the NVPTX back end
/// must emit mul.rn and add.rn. Not on conversions: a contractable extf(truncf(x)) folds to x,
/// dropping the rounding of each f16 result that torch does.
void allowContraction(gpu::LaunchOp kernel) {
  kernel.walk([](arith::ArithFastMathInterface op) {
    if (isa<arith::TruncFOp, arith::ExtFOp>(op))
      return;
    // Ops whose fastmath attribute is optional may have none.
    arith::FastMathFlagsAttr attr = op.getFastMathFlagsAttr();
    arith::FastMathFlags flags = attr ? attr.getValue() : arith::FastMathFlags::none;
    op->setAttr(
        op.getFastMathAttrName(),
        arith::FastMathFlagsAttr::get(op->getContext(), flags | arith::FastMathFlags::contract));
  });
}

/// Host code may allocate, view, copy and launch, but not read or write device buffers.
bool allowedOnHost(Operation *op) {
  return isa<gpu::GPUDialect, func::FuncDialect>(op->getDialect()) ||
         isa<ViewLikeOpInterface, memref::AllocOp, memref::DeallocOp, memref::DimOp,
             memref::ExtractStridedMetadataOp, memref::ReinterpretCastOp>(op) ||
         llvm::none_of(op->getOperandTypes(), llvm::IsaPred<MemRefType>);
}

struct LinalgToGpu : mlir::fx::impl::FxLinalgToGpuBase<LinalgToGpu> {
  using FxLinalgToGpuBase::FxLinalgToGpuBase;

  void runOnOperation() override {
    if (blockSize <= 0 || blockSize > 1024) {
      getOperation().emitError("fx-linalg-to-gpu: block-size must be in 1..1024");
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      if (!op.hasPureBufferSemantics()) {
        op->emitError("fx-linalg-to-gpu: expected an op on buffers (run after bufferization)");
        return signalPassFailure();
      }
    KernelPlan plan = planKernels(ops);
    IRRewriter rewriter(&getContext());
    for (const WindowCopies &group : plan.windowed)
      launchWindowCopies(rewriter, group, blockSize);
    unsigned splits = 0, tiled = 0, foldedStarts = 0;
    for (const KernelOps &kernel : plan.kernels) {
      foldedStarts += kernel.start.redundant != nullptr;
      FailureOr<KernelForm> form = launch(rewriter, kernel, blockSize, targetThreads);
      if (failed(form))
        return signalPassFailure();
      splits += *form == KernelForm::Split;
      tiled += *form == KernelForm::TilePerThread;
    }
    if (report && !ops.empty())
      emitReport(splits, tiled, plan.epilogues, foldedStarts, plan.windowed.size());
    if (contract)
      getOperation().walk(allowContraction);
    if (failed(checkHostCode()))
      signalPassFailure();
  }

  /// Which ops share a kernel, decided on the IR as it is (before any rewriting).
  struct KernelPlan {
    SmallVector<WindowCopies> windowed;
    SmallVector<KernelOps> kernels;
    unsigned epilogues = 0;
  };
  KernelPlan planKernels(ArrayRef<linalg::LinalgOp> ops) {
    KernelPlan plan;
    // 1. Fills and copies that a reduction right after them makes redundant.
    DenseSet<Operation *> absorbed;
    DenseMap<Operation *, KnownStart> starts;
    for (linalg::LinalgOp op : ops) {
      KnownStart start = knownStart(op);
      starts[op] = start;
      if (start.redundant)
        absorbed.insert(start.redundant);
    }
    // 2. Epilogues, which cost no kernel of their own (an epilogue of two reductions, such as a
    //    residual add, goes with the first).
    DenseMap<Operation *, std::pair<linalg::LinalgOp, OpOperand *>> epilogues;
    for (linalg::LinalgOp op : ops) {
      if (!fuseEpilogues || absorbed.contains(op))
        continue;
      std::pair<linalg::LinalgOp, OpOperand *> epilogue = epilogueToFuse(op);
      if (epilogue.first && absorbed.insert(epilogue.first).second)
        epilogues[op] = epilogue;
    }
    plan.epilogues = epilogues.size();
    // 3. Copies into windows of one buffer (those not already taken).
    auto taken = [&](Operation *op) { return absorbed.contains(op); };
    for (linalg::LinalgOp op : ops)
      if (auto copy = dyn_cast<linalg::CopyOp>(op.getOperation()); copy && !taken(op))
        if (std::optional<WindowCopies> group = windowCopiesFrom(copy, taken)) {
          plan.windowed.push_back(*group);
          for (linalg::CopyOp member : group->copies)
            absorbed.insert(member);
          if (group->fill)
            absorbed.insert(group->fill);
        }
    // 4. A kernel for each op left.
    for (linalg::LinalgOp op : ops) {
      if (absorbed.contains(op))
        continue;
      KernelOps kernel;
      kernel.op = op;
      kernel.start = starts.lookup(op);
      std::tie(kernel.epilogue, kernel.epilogueReads) = epilogues.lookup(op);
      plan.kernels.push_back(kernel);
    }
    return plan;
  }

  /// The `report` remark (LLVM's pass statistics are compiled out of Debian's release LLVM).
  void emitReport(unsigned splits, unsigned tiled, unsigned epilogues, unsigned foldedStarts,
                  unsigned windowCopyKernels) {
    unsigned launches = 0;
    getOperation().walk([&](gpu::LaunchOp) { ++launches; });
    getOperation().emitRemark("fx-linalg-to-gpu: @")
        << getOperation().getSymName() << ": " << launches << " kernels; " << splits
        << " split reductions, " << tiled << " tiled ops, " << epilogues << " fused epilogues, "
        << foldedStarts << " folded fills, " << windowCopyKernels << " window-copy kernels";
  }

  /// Outside kernels, nothing may read or write device memory.
  LogicalResult checkHostCode() {
    WalkResult onHost = getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (allowedOnHost(op))
        return WalkResult::advance();
      op->emitError("fx-linalg-to-gpu: '")
          << op->getName() << "' would touch device memory on the host; it has no GPU mapping";
      return WalkResult::interrupt();
    });
    return failure(onHost.wasInterrupted());
  }
};

} // namespace
