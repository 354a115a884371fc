//===- LinalgToGpu.cpp - fx-linalg-to-gpu ---------------------------------===//
//
// One kernel per linalg op: a thread per point of the op's parallel iteration space (flattened,
// innermost dimension fastest), the reduction loops inside the thread with the outputs in
// registers.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXLINALGTOGPU
#include "fxmlir/Passes/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `map` applied to the iteration point `ivs`: one index per result.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map, ValueRange ivs) {
  SmallVector<Value> indices;
  for (unsigned r = 0; r < map.getNumResults(); ++r)
    indices.push_back(affine::AffineApplyOp::create(b, loc, map.getSubMap({r}), ivs));
  return indices;
}

/// The op's body at iteration point `ivs` with outputs `accumulators`: the yielded values.
/// An input in `known` is that value instead of a load.
SmallVector<Value> emitBody(OpBuilder &b, linalg::LinalgOp op, ValueRange ivs,
                            ValueRange accumulators,
                            const DenseMap<OpOperand *, Value> *known = nullptr) {
  Location loc = op.getLoc();
  Block *body = op.getBlock();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    if (Value v = known ? known->lookup(input) : Value())
      value = v;
    else if (isa<MemRefType>(value.getType()))
      value = memref::LoadOp::create(
          b, loc, value, applyMap(b, loc, op.getMatchingIndexingMap(input), ivs));
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

/// The buffer a chain of views looks into.
Value rootBuffer(Value buffer) {
  while (auto view = buffer.getDefiningOp<ViewLikeOpInterface>())
    buffer = view.getViewSource();
  return buffer;
}

int64_t numElements(Value buffer) { return cast<MemRefType>(buffer.getType()).getNumElements(); }

/// A reduction with one output, each element of which one thread computes.
bool isOneOutputReduction(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 ||
      !op.hasPureBufferSemantics())
    return false;
  AffineMap map = op.getMatchingIndexingMap(&op.getDpsInitsMutable()[0]);
  return map.isProjectedPermutation() && map.getNumResults() == op.getNumParallelLoops();
}

/// The nearest op before (`forward` false) or after `op` that touches memory.
Operation *neighbourWithEffects(Operation *op, bool forward) {
  Operation *next = forward ? op->getNextNode() : op->getPrevNode();
  while (next && isMemoryEffectFree(next))
    next = forward ? next->getNextNode() : next->getPrevNode();
  return next;
}

/// The value every element of buffer `root` holds just before `op`, where a fill put it there
/// (directly, or through copies of a filled buffer); null when unknown.
Value filledValue(Value root, Operation *op, int copies = 0) {
  auto writesRoot = [&](Value v) { return isa<MemRefType>(v.getType()) && rootBuffer(v) == root; };
  for (Operation *previous = neighbourWithEffects(op, /*forward=*/false); previous;
       previous = neighbourWithEffects(previous, /*forward=*/false)) {
    if (auto writer = dyn_cast<linalg::LinalgOp>(previous)) {
      if (llvm::none_of(writer.getDpsInits(), writesRoot))
        continue;
      if (!writer.hasPureBufferSemantics() || writer.getNumDpsInits() != 1 ||
          numElements(writer.getDpsInits()[0]) != numElements(root))
        return nullptr;
      if (auto fill = dyn_cast<linalg::FillOp>(previous))
        return fill.getInputs()[0];
      // A filled buffer holds one value everywhere, so any view of it does.
      if (auto copy = dyn_cast<linalg::CopyOp>(previous); copy && copies < 2)
        return filledValue(rootBuffer(copy.getInputs()[0]), copy, copies + 1);
      return nullptr;
    }
    if (isa<gpu::AllocOp, memref::AllocOp>(previous)) {
      if (previous->getResult(0) == root)
        return nullptr;
      continue;
    }
    if (isa<gpu::DeallocOp, memref::DeallocOp>(previous))
      continue;
    if (auto copy = dyn_cast<gpu::MemcpyOp>(previous); copy && !writesRoot(copy.getDst()))
      continue;
    return nullptr;
  }
  return nullptr;
}

/// How a reduction's accumulators start when its output was filled before it (linalg.fill,
/// then the matmul; or a copy of a zero-filled buffer): from the fill's value instead of a
/// load. `redundant` is the fill or copy right before the reduction, which only the reduction
/// would read: it goes.
struct KnownStart {
  Value value;
  Operation *redundant = nullptr;
};

KnownStart knownStart(linalg::LinalgOp op) {
  if (!isOneOutputReduction(op))
    return {};
  Value init = op.getDpsInits()[0];
  Value root = rootBuffer(init);
  if (numElements(init) != numElements(root))
    return {};
  KnownStart start{filledValue(root, op)};
  if (!start.value)
    return {};
  Operation *previous = neighbourWithEffects(op, /*forward=*/false);
  if (isa_and_nonnull<linalg::FillOp, linalg::CopyOp>(previous) &&
      rootBuffer(cast<linalg::LinalgOp>(previous).getDpsInits()[0]) == root)
    start.redundant = previous;
  return start;
}

/// `view` is `root` or a chain of expand/collapse_shape of it, over a row-major buffer: their
/// elements at the same row-major position are the same.
bool isReshapeOf(Value view, Value root) {
  auto type = dyn_cast<MemRefType>(root.getType());
  if (!type || !type.getLayout().isIdentity())
    return false;
  while (view != root) {
    if (auto expand = view.getDefiningOp<memref::ExpandShapeOp>())
      view = expand.getSrc();
    else if (auto collapse = view.getDefiningOp<memref::CollapseShapeOp>())
      view = collapse.getSrc();
    else
      return false;
  }
  return true;
}

/// Row-major coordinates of position `linear` in `shape` (the first one unbounded).
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear, ArrayRef<int64_t> shape) {
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

/// `indices` into a row-major buffer of shape `from`: the same element's indices in shape `to`.
SmallVector<Value> reshapeIndices(OpBuilder &b, Location loc, ValueRange indices,
                                  ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from == to)
    return SmallVector<Value>(indices);
  Value linear = indexConstant(b, loc, 0);
  for (auto [index, size] : llvm::zip(indices, from))
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, indexConstant(b, loc, size)), index);
  return delinearize(b, loc, linear, to);
}

/// The first op after `op` that touches `op`'s output, if `op` can move down to it: nothing in
/// between may write what `op` reads or free what it uses (allocations and unrelated kernels,
/// such as a batch norm's scale computed between a convolution and its epilogue, may be).
Operation *nextUserOfOutput(linalg::LinalgOp op) {
  Value outputRoot = rootBuffer(op.getDpsInits()[0]);
  DenseSet<Value> used;
  for (Value operand : op->getOperands())
    if (isa<MemRefType>(operand.getType()))
      used.insert(rootBuffer(operand));
  auto touches = [&](ValueRange values, auto &&roots) {
    return llvm::any_of(values, [&](Value v) {
      return isa<MemRefType>(v.getType()) && roots(rootBuffer(v));
    });
  };
  auto isOutput = [&](Value root) { return root == outputRoot; };
  auto isUsed = [&](Value root) { return used.contains(root); };
  for (Operation *next = neighbourWithEffects(op, /*forward=*/true); next;
       next = neighbourWithEffects(next, /*forward=*/true)) {
    if (touches(next->getOperands(), isOutput))
      return next;
    if (isa<gpu::AllocOp, memref::AllocOp>(next))
      continue;
    if (auto other = dyn_cast<linalg::LinalgOp>(next)) {
      if (touches(other.getDpsInits(), isUsed))
        return nullptr;
      continue;
    }
    if (isa<gpu::DeallocOp, memref::DeallocOp, gpu::MemcpyOp>(next) &&
        !touches(next->getOperands(), isUsed))
      continue;
    return nullptr;
  }
  return nullptr;
}

/// An elementwise op after reduction `op` that reads its output point by point (bias, batch
/// norm, activation after a matmul or convolution): the reduction's threads can run it on the
/// value they just computed, one kernel instead of two, where the epilogue is. Returns the
/// epilogue and its operand that reads the reduction's output.
std::pair<linalg::LinalgOp, OpOperand *> epilogueToFuse(linalg::LinalgOp op) {
  if (!isOneOutputReduction(op))
    return {};
  Value output = op.getDpsInits()[0];
  Value outputRoot = rootBuffer(output);
  auto epilogue = dyn_cast_or_null<linalg::LinalgOp>(nextUserOfOutput(op));
  if (!epilogue || !epilogue.hasPureBufferSemantics() || epilogue.getNumReductionLoops() != 0 ||
      !epilogue.hasOnlyProjectedPermutations())
    return {};
  SmallVector<int64_t> ranges = epilogue.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(ranges) ||
      llvm::product_of(ranges) != numElements(output))
    return {};
  // Exactly one input reads the output, as a whole and one element per point; the epilogue
  // writes nothing the reduction reads.
  OpOperand *reads = nullptr;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    if (!isa<MemRefType>(input->get().getType()) || rootBuffer(input->get()) != outputRoot)
      continue;
    AffineMap map = epilogue.getMatchingIndexingMap(input);
    if (reads || !map.isPermutation() || !isReshapeOf(input->get(), outputRoot) ||
        !isReshapeOf(output, outputRoot))
      return {};
    reads = input;
  }
  if (!reads)
    return {};
  for (OpOperand &init : epilogue.getDpsInitsMutable()) {
    Value root = rootBuffer(init.get());
    if (root == outputRoot && (init.get() != output ||
                               epilogue.getMatchingIndexingMap(&init) !=
                                   epilogue.getMatchingIndexingMap(reads)))
      return {};
    for (OpOperand *input : op.getDpsInputOperands())
      if (rootBuffer(input->get()) == root)
        return {};
  }
  return {epilogue, reads};
}

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

/// Creates a gpu.launch of `points` threads (blocks of `blockSize`) before `before` and leaves
/// the insertion point in its body, past the bounds guard; returns the thread's linear index.
Value beginKernel(IRRewriter &rewriter, Location loc, int64_t points, int64_t blockSize,
                  Operation *before) {
  int64_t threads = std::min(blockSize, points);
  int64_t blocks = llvm::divideCeil(points, threads);
  rewriter.setInsertionPoint(before);
  Value one = indexConstant(rewriter, loc, 1);
  auto kernel = gpu::LaunchOp::create(rewriter, loc, indexConstant(rewriter, loc, blocks), one,
                                      one, indexConstant(rewriter, loc, threads), one, one);
  rewriter.setInsertionPointToEnd(&kernel.getBody().front());
  Operation *end = gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPoint(end);
  Value linear = arith::AddIOp::create(
      rewriter, loc,
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

/// The value a linalg op writes to every element of its output: a fill's, or what an op
/// without inputs yields from outside its body (linalg.map of a constant); null otherwise.
Value uniformValue(linalg::LinalgOp op) {
  if (auto fill = dyn_cast<linalg::FillOp>(op.getOperation()))
    return fill.getInputs()[0];
  if (op.getNumDpsInputs() != 0 || op.getNumDpsInits() != 1 || !op.isAllParallelLoops())
    return nullptr;
  Value yielded = op.getBlock()->getTerminator()->getOperand(0);
  return op->isProperAncestor(yielded.getParentBlock()->getParentOp()) ||
                 yielded.getParentBlock() == op.getBlock()
             ? nullptr
             : yielded;
}

/// Copies into windows of one buffer, as bufferization writes padding (the buffer filled with
/// the pad value, then the input copied into a window) and concatenation (one copy per input):
/// one kernel over the buffer does them all.
struct WindowCopies {
  Value buffer;                       // identity layout, static shape
  linalg::LinalgOp fill;              // optional: writes `value` everywhere before the copies
  Value value;
  SmallVector<linalg::CopyOp> copies; // each into a disjoint window of `buffer`
};

/// The static window of `buffer` that `copy` writes, if it writes one (unit strides).
memref::SubViewOp windowOf(linalg::CopyOp copy) {
  auto window = copy.getOutputs()[0].getDefiningOp<memref::SubViewOp>();
  if (!window || !copy.hasPureBufferSemantics())
    return nullptr;
  MemRefType buffer = window.getSourceType();
  if (!buffer.hasStaticShape() || !buffer.getLayout().isIdentity() ||
      window.getType().getRank() != buffer.getRank() ||
      ShapedType::isDynamicShape(window.getStaticOffsets()) ||
      ShapedType::isDynamicShape(window.getStaticSizes()) ||
      llvm::any_of(window.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
      rootBuffer(copy.getInputs()[0]) == rootBuffer(window.getSource()))
    return nullptr;
  return window;
}

bool overlap(memref::SubViewOp a, memref::SubViewOp b) {
  for (auto [offsetA, sizeA, offsetB, sizeB] :
       llvm::zip(a.getStaticOffsets(), a.getStaticSizes(), b.getStaticOffsets(),
                 b.getStaticSizes()))
    if (offsetA + sizeA <= offsetB || offsetB + sizeB <= offsetA)
      return false;
  return true;
}

/// The copies into windows of one buffer that follow each other from `first` on, with the
/// fill before them; none when there is neither a fill nor a second copy.
std::optional<WindowCopies> windowCopiesFrom(linalg::CopyOp first) {
  memref::SubViewOp window = windowOf(first);
  if (!window)
    return std::nullopt;
  WindowCopies group;
  group.buffer = window.getSource();
  group.copies.push_back(first);
  SmallVector<memref::SubViewOp> windows = {window};
  for (auto next = dyn_cast_or_null<linalg::CopyOp>(neighbourWithEffects(first, true)); next;
       next = dyn_cast_or_null<linalg::CopyOp>(neighbourWithEffects(next, true))) {
    memref::SubViewOp nextWindow = windowOf(next);
    if (!nextWindow || nextWindow.getSource() != group.buffer ||
        llvm::any_of(windows, [&](memref::SubViewOp w) { return overlap(w, nextWindow); }))
      break;
    group.copies.push_back(next);
    windows.push_back(nextWindow);
  }
  auto fill = dyn_cast_or_null<linalg::LinalgOp>(neighbourWithEffects(first, false));
  if (fill && fill.hasPureBufferSemantics() && fill.getDpsInits()[0] == group.buffer)
    if (Value value = uniformValue(fill)) {
      group.fill = fill;
      group.value = value;
    }
  if (!group.fill && group.copies.size() < 2)
    return std::nullopt;
  return group;
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
      Value relative = arith::SubIOp::create(
          b, loc, coordinate, indexConstant(b, loc, window.getStaticOffsets()[d]));
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

/// Replaces `op` by a gpu.launch that runs it: a thread per point of the parallel dimensions,
/// which loops over the reduction dimensions with the outputs in registers.
LogicalResult launch(IRRewriter &rewriter, const KernelOps &ops, int64_t blockSize) {
  linalg::LinalgOp op = ops.op;
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(ranges))
    return op->emitError("fx-linalg-to-gpu: dynamic shapes are not supported");
  SmallVector<unsigned> parallelDims, reductionDims;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    (iterator == utils::IteratorType::parallel ? parallelDims : reductionDims).push_back(d);
  int64_t points = 1;
  for (unsigned d : parallelDims)
    points *= ranges[d];
  if (points == 0) {
    // Nothing to compute (the fill and the epilogue, if any, are empty too). An empty
    // reduction is not this case: it stores the outputs' start values.
    linalg::LinalgOp epilogue = ops.epilogue;
    for (Operation *empty : {ops.start.redundant, epilogue ? epilogue.getOperation() : nullptr})
      if (empty)
        rewriter.eraseOp(empty);
    rewriter.eraseOp(op);
    return success();
  }
  // With an epilogue, where the epilogue is: its operands are defined there.
  Value linear = beginKernel(rewriter, loc, points, blockSize, ops.epilogue ? ops.epilogue : op);
  Value one = indexConstant(rewriter, loc, 1);
  // The thread's point: parallel coordinates, innermost fastest; reductions at 0 for now.
  Value zero = indexConstant(rewriter, loc, 0);
  SmallVector<Value> ivs(ranges.size(), zero);
  SmallVector<int64_t> parallelShape =
      llvm::map_to_vector(parallelDims, [&](unsigned d) { return ranges[d]; });
  for (auto [d, coordinate] :
       llvm::zip(parallelDims, delinearize(rewriter, loc, linear, parallelShape)))
    ivs[d] = coordinate;
  // Outputs do not depend on reduction dimensions: load them once (or start from the value of
  // the fill before), accumulate, store once.
  SmallVector<SmallVector<Value>> outputIndices;
  SmallVector<Value> initial;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    outputIndices.push_back(applyMap(rewriter, loc, op.getMatchingIndexingMap(&init), ivs));
    initial.push_back(ops.start.value ? ops.start.value
                                      : memref::LoadOp::create(rewriter, loc, init.get(),
                                                               outputIndices.back()));
  }
  if (ops.start.redundant)
    rewriter.eraseOp(ops.start.redundant);
  SmallVector<Value> results;
  if (reductionDims.empty()) {
    results = emitBody(rewriter, op, ivs, initial);
  } else {
    SmallVector<Value> lower(reductionDims.size(), zero), upper, steps(reductionDims.size(), one);
    for (unsigned d : reductionDims)
      upper.push_back(indexConstant(rewriter, loc, ranges[d]));
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lower, upper, steps, initial,
        [&](OpBuilder &b, Location, ValueRange reductionIvs, ValueRange accumulators) {
          SmallVector<Value> point(ivs);
          for (auto [d, iv] : llvm::zip(reductionDims, reductionIvs))
            point[d] = iv;
          return emitBody(b, op, point, accumulators);
        });
    results = nest.results;
  }
  for (auto [init, value, indices] : llvm::zip(op.getDpsInits(), results, outputIndices))
    memref::StoreOp::create(rewriter, loc, value, init, indices);
  if (ops.epilogue) {
    emitEpilogue(rewriter, ops, outputIndices[0], results[0]);
    rewriter.eraseOp(ops.epilogue);
  }
  rewriter.eraseOp(op);
  return success();
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
    // Which ops share a kernel, decided on the IR as it is, then rewritten.
    DenseSet<Operation *> absorbed, padding;
    SmallVector<WindowCopies> windowed;
    for (linalg::LinalgOp op : ops)
      if (auto copy = dyn_cast<linalg::CopyOp>(op.getOperation()); copy && !padding.contains(op))
        if (std::optional<WindowCopies> group = windowCopiesFrom(copy);
            group && !(group->fill && padding.contains(group->fill))) {
          windowed.push_back(*group);
          for (linalg::CopyOp member : group->copies)
            padding.insert(member);
          if (group->fill)
            padding.insert(group->fill);
        }
    absorbed = padding;
    auto startOf = [&](linalg::LinalgOp op) {
      KnownStart start = knownStart(op);
      return padding.contains(start.redundant) ? KnownStart() : start;
    };
    for (linalg::LinalgOp op : ops)
      if (Operation *redundant = startOf(op).redundant)
        absorbed.insert(redundant);
    SmallVector<KernelOps> kernels;
    for (linalg::LinalgOp op : ops) {
      if (absorbed.contains(op))
        continue;
      KernelOps kernel;
      kernel.op = op;
      kernel.start = startOf(op);
      if (fuseEpilogues) {
        // An epilogue of two reductions (a residual add) goes with the first.
        std::tie(kernel.epilogue, kernel.epilogueReads) = epilogueToFuse(op);
        if (kernel.epilogue && !absorbed.insert(kernel.epilogue).second)
          kernel.epilogue = nullptr;
      }
      kernels.push_back(kernel);
    }
    IRRewriter rewriter(&getContext());
    for (const WindowCopies &group : windowed)
      launchWindowCopies(rewriter, group, blockSize);
    for (const KernelOps &kernel : kernels)
      if (failed(launch(rewriter, kernel, blockSize)))
        return signalPassFailure();
    WalkResult onHost = getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (allowedOnHost(op))
        return WalkResult::advance();
      op->emitError("fx-linalg-to-gpu: '")
          << op->getName() << "' would touch device memory on the host; it has no GPU mapping";
      return WalkResult::interrupt();
    });
    if (onHost.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
