//===- GpuKernelGroups.cpp - Which linalg ops share a GPU kernel ----------===//
//
// The buffer analyses behind fx-linalg-to-gpu's fusions: the value a reduction's output holds
// before it, the elementwise epilogue that can run in its threads, and copies into windows of
// one buffer. They look at straight-line code between ops with memory effects only.
//
//===----------------------------------------------------------------------===//
#include "GpuKernelGroups.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::fx::kernels;

/// The buffer a chain of views looks into.
Value mlir::fx::kernels::rootBuffer(Value buffer) {
  while (auto view = buffer.getDefiningOp<ViewLikeOpInterface>())
    buffer = view.getViewSource();
  return buffer;
}

int64_t mlir::fx::kernels::numElements(Value buffer) {
  return cast<MemRefType>(buffer.getType()).getNumElements();
}

/// A reduction with one output, each element of which one thread computes.
static bool isOneOutputReduction(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 || !op.hasPureBufferSemantics())
    return false;
  AffineMap map = op.getMatchingIndexingMap(&op.getDpsInitsMutable()[0]);
  return map.isProjectedPermutation() && map.getNumResults() == op.getNumParallelLoops();
}

/// The nearest op before (`forward` false) or after `op` that touches memory.
static Operation *neighbourWithEffects(Operation *op, bool forward) {
  Operation *next = forward ? op->getNextNode() : op->getPrevNode();
  while (next && isMemoryEffectFree(next))
    next = forward ? next->getNextNode() : next->getPrevNode();
  return next;
}

/// The value every element of buffer `root` holds just before `op`, where a fill put it there
/// (directly, or through copies of a filled buffer); null when unknown.
static Value filledValue(Value root, Operation *op, int copies = 0) {
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

KnownStart mlir::fx::kernels::knownStart(linalg::LinalgOp op) {
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
static bool isReshapeOf(Value view, Value root) {
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

/// The first op after `op` that touches `op`'s output, if `op` can move down to it: nothing in
/// between may write what `op` reads or free what it uses (allocations and unrelated kernels,
/// such as a batch norm's scale computed between a convolution and its epilogue, may be).
static Operation *nextUserOfOutput(linalg::LinalgOp op) {
  Value outputRoot = rootBuffer(op.getDpsInits()[0]);
  DenseSet<Value> used;
  for (Value operand : op->getOperands())
    if (isa<MemRefType>(operand.getType()))
      used.insert(rootBuffer(operand));
  auto touches = [&](ValueRange values, auto &&roots) {
    return llvm::any_of(
        values, [&](Value v) { return isa<MemRefType>(v.getType()) && roots(rootBuffer(v)); });
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
std::pair<linalg::LinalgOp, OpOperand *> mlir::fx::kernels::epilogueToFuse(linalg::LinalgOp op) {
  if (!isOneOutputReduction(op))
    return {};
  Value output = op.getDpsInits()[0];
  Value outputRoot = rootBuffer(output);
  auto epilogue = dyn_cast_or_null<linalg::LinalgOp>(nextUserOfOutput(op));
  // Each point writes its own elements; other inputs may be read any way (a bias or a batch
  // norm's scale broadcast along the channel: (n, c, h, w) -> (c, 0, 0)).
  if (!epilogue || !epilogue.hasPureBufferSemantics() || epilogue.getNumReductionLoops() != 0 ||
      llvm::any_of(epilogue.getDpsInitsMutable(), [&](OpOperand &init) {
        return !epilogue.getMatchingIndexingMap(&init).isPermutation();
      }))
    return {};
  SmallVector<int64_t> ranges = epilogue.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(ranges) || llvm::product_of(ranges) != numElements(output))
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
    if (root == outputRoot && (init.get() != output || epilogue.getMatchingIndexingMap(&init) !=
                                                           epilogue.getMatchingIndexingMap(reads)))
      return {};
    for (OpOperand *input : op.getDpsInputOperands())
      if (rootBuffer(input->get()) == root)
        return {};
  }
  return {epilogue, reads};
}

/// The value a linalg op writes to every element of its output: a fill's, or what an op
/// without inputs yields from outside its body (linalg.map of a constant); null otherwise.
static Value uniformValue(linalg::LinalgOp op) {
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

/// The static window of `buffer` that `copy` writes, if it writes one (unit strides).
memref::SubViewOp mlir::fx::kernels::windowOf(linalg::CopyOp copy) {
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

static bool overlap(memref::SubViewOp a, memref::SubViewOp b) {
  for (auto [offsetA, sizeA, offsetB, sizeB] : llvm::zip(a.getStaticOffsets(), a.getStaticSizes(),
                                                         b.getStaticOffsets(), b.getStaticSizes()))
    if (offsetA + sizeA <= offsetB || offsetB + sizeB <= offsetA)
      return false;
  return true;
}

/// The copies into windows of one buffer that follow each other from `first` on, with the
/// fill before them, leaving out ops `taken` by other kernels; none when there is neither a
/// fill nor a second copy.
std::optional<WindowCopies>
mlir::fx::kernels::windowCopiesFrom(linalg::CopyOp first,
                                    llvm::function_ref<bool(Operation *)> taken) {
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
    if (!nextWindow || taken(next) || nextWindow.getSource() != group.buffer ||
        llvm::any_of(windows, [&](memref::SubViewOp w) { return overlap(w, nextWindow); }))
      break;
    group.copies.push_back(next);
    windows.push_back(nextWindow);
  }
  auto fill = dyn_cast_or_null<linalg::LinalgOp>(neighbourWithEffects(first, false));
  if (fill && !taken(fill) && fill.hasPureBufferSemantics() &&
      fill.getDpsInits()[0] == group.buffer)
    if (Value value = uniformValue(fill)) {
      group.fill = fill;
      group.value = value;
    }
  if (!group.fill && group.copies.size() < 2)
    return std::nullopt;
  return group;
}

/// The op in `op`'s body that combines output `index`'s accumulator with a value independent of
/// all accumulators, if it has a neutral element; null otherwise.
static Operation *combinerOf(linalg::LinalgOp op, unsigned index) {
  BlockArgument accumulator = op.getMatchingBlockArgument(&op.getDpsInitsMutable()[index]);
  Value yielded = op.getBlock()->getTerminator()->getOperand(index);
  Operation *combiner = yielded.getDefiningOp();
  if (!combiner || combiner->getBlock() != op.getBlock() || combiner->getNumOperands() != 2 ||
      combiner->getNumResults() != 1 || !accumulator.hasOneUse() || !yielded.hasOneUse() ||
      !llvm::is_contained(combiner->getOperands(), accumulator))
    return nullptr;
  // getNeutralElement reads integer widths (no index), and a split reorders the combination:
  // no flags that reordering could break (nnan: maxnumf's neutral element is NaN; nsw/nuw: a
  // partial sum may overflow where the whole did not).
  Type type = combiner->getResult(0).getType();
  if (!isa<FloatType, IntegerType>(type))
    return nullptr;
  if (auto flags = dyn_cast<arith::ArithFastMathInterface>(combiner);
      flags &&
      bitEnumContainsAny(flags.getFastMathFlagsAttr().getValue(), arith::FastMathFlags::nnan))
    return nullptr;
  if (auto overflow = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(combiner);
      overflow && (overflow.hasNoSignedWrap() || overflow.hasNoUnsignedWrap()))
    return nullptr;
  return arith::getNeutralElement(combiner) ? combiner : nullptr;
}

IterationSpace mlir::fx::kernels::iterationSpace(linalg::LinalgOp op) {
  IterationSpace space;
  space.ranges = op.getStaticLoopRanges();
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool parallel = iterator == utils::IteratorType::parallel;
    (parallel ? space.parallelDims : space.reductionDims).push_back(d);
    (parallel ? space.parallelShape : space.reductionShape).push_back(space.ranges[d]);
    (parallel ? space.points : space.reduced) *= space.ranges[d];
  }
  return space;
}

/// The op's buffer inputs, the largest first: their loads matter most.
static SmallVector<OpOperand *> inputsBySize(linalg::LinalgOp op) {
  SmallVector<OpOperand *> inputs;
  for (OpOperand *input : op.getDpsInputOperands())
    if (isa<MemRefType>(input->get().getType()))
      inputs.push_back(input);
  llvm::stable_sort(inputs, [](OpOperand *a, OpOperand *b) {
    return numElements(a->get()) > numElements(b->get());
  });
  return inputs;
}

std::optional<ReductionSplit> mlir::fx::kernels::reductionSplit(linalg::LinalgOp op,
                                                                const IterationSpace &space,
                                                                int64_t targetThreads) {
  if (targetThreads <= 0 || space.reductionDims.empty())
    return std::nullopt;
  int64_t points = space.points, reduced = space.reduced;
  // Below a few hundred elements a point, one thread's loop costs about what the second
  // launch would (an estimate, to be measured on a GPU).
  constexpr int64_t kMinSplitReduction = 256;
  if (points == 0 || 2 * points > targetThreads || reduced < kMinSplitReduction)
    return std::nullopt;
  ReductionSplit split;
  split.ways =
      std::min<int64_t>({int64_t(llvm::PowerOf2Ceil(llvm::divideCeil(targetThreads, points))),
                         int64_t(llvm::bit_floor(uint64_t(reduced / 16))), 1024});
  if (split.ways < 2)
    return std::nullopt;
  for (unsigned i = 0; i < op.getNumDpsInits(); ++i) {
    Operation *combiner = combinerOf(op, i);
    if (!combiner)
      return std::nullopt;
    split.combiners.push_back(combiner);
  }
  SmallVector<OpOperand *> inputs = inputsBySize(op);
  if (!inputs.empty()) {
    AffineMap map = op.getMatchingIndexingMap(inputs.front());
    split.threadsOfAPointAdjacent =
        map.getNumResults() > 0 &&
        map.getResults().back() == getAffineDimExpr(space.reductionDims.back(), op.getContext());
  }
  return split;
}

SmallVector<int64_t> mlir::fx::kernels::threadTile(linalg::LinalgOp op, const IterationSpace &space,
                                                   int64_t targetThreads) {
  SmallVector<int64_t> tile(space.ranges.size(), 1);
  ArrayRef<int64_t> ranges = space.ranges;
  ArrayRef<unsigned> parallelDims = space.parallelDims;
  if (targetThreads <= 0 || space.reductionDims.empty() || parallelDims.size() < 2)
    return tile;
  int64_t budget = std::min<int64_t>(16, llvm::bit_floor(uint64_t(space.points / targetThreads)));
  SmallVector<OpOperand *> inputs = inputsBySize(op);
  int tiledDims = 0;
  for (OpOperand *input : inputs) {
    if (budget < 2 || tiledDims == 2)
      break;
    AffineMap map = op.getMatchingIndexingMap(input);
    std::optional<unsigned> along;
    for (unsigned d : parallelDims.drop_back())
      if (tile[d] == 1 && ranges[d] % 2 == 0 && !map.isFunctionOfDim(d) &&
          (!along || ranges[d] > ranges[*along]))
        along = d;
    if (!along)
      continue;
    int64_t factor = std::min<int64_t>(4, budget);
    while (ranges[*along] % factor != 0)
      factor /= 2;
    tile[*along] = factor;
    budget /= factor;
    ++tiledDims;
  }
  return tile;
}
