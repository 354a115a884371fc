//===- TileAndVectorize.cpp - fx-tile-and-vectorize -----------------------===//
#include "fxmlir/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXTILEANDVECTORIZE
#include "fxmlir/Codegen/CPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {

/// Register tile for f32 on this host: two vectors wide, as many rows as leave registers for
/// the operands (16 zmm accumulators with AVX-512, 12 ymm with AVX2).
SmallVector<int64_t> hostRegisterTile() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return {8, 32};
  return {6, 16};
}

/// Sizes for the matmul's loops: [batch,] rows, columns, reduction.
SmallVector<int64_t> loopSizes(bool batched, int64_t rows, int64_t cols, int64_t k) {
  SmallVector<int64_t> s;
  if (batched)
    s.push_back(1);
  s.append({rows, cols, k});
  return s;
}

void canonicalize(Operation *root, bool withVectorPatterns) {
  MLIRContext *ctx = root->getContext();
  RewritePatternSet patterns(ctx);
  for (Dialect *d : ctx->getLoadedDialects())
    d->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName n : ctx->getRegisteredOperations())
    n.getCanonicalizationPatterns(patterns, ctx);
  linalg::populateLinalgTilingCanonicalizationPatterns(patterns);
  if (withVectorPatterns) {
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  }
  (void)applyPatternsGreedily(root, std::move(patterns));
}

/// Tiles `root`, fusing its producers (the fill) into the tile; returns the tiled op.
FailureOr<Operation *> tileAndFuse(RewriterBase &rewriter, TilingInterface root,
                                   ArrayRef<int64_t> sizes,
                                   SmallVector<LoopLikeOpInterface> *loops = nullptr) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result))
    return failure();
  for (OpResult r : root->getResults())
    if (Value v = result->replacements.lookup(r))
      rewriter.replaceAllUsesWith(r, v);
  if (loops)
    *loops = result->loops;
  Operation *tiled = result->tiledAndFusedOps.front();
  rewriter.eraseOp(root);
  return tiled;
}

struct TileAndVectorize : mlir::fx::impl::FxTileAndVectorizeBase<TileAndVectorize> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<int64_t> reg(registerTile.begin(), registerTile.end());
    SmallVector<int64_t> cache(cacheTile.begin(), cacheTile.end());
    if (reg.empty())
      reg = hostRegisterTile();
    if (cache.empty())
      cache = {64, 128};
    if (reg.size() != 2 || cache.size() != 2) {
      func.emitError("fx-tile-and-vectorize: tiles are given as rows,columns");
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> roots = matmulsToTile(func, reg);
    if (roots.empty())
      return;
    IRRewriter rewriter(&getContext());
    // Each step leaves valid IR: a matmul that cannot be tiled or vectorized stays loops.
    for (linalg::LinalgOp root : roots)
      (void)tileMatmul(rewriter, root, reg, cache);
    // Canonical tile types (tensor<8x?xf32>, not casts of tensor<?x?xf32>) before vectorizing.
    canonicalize(func, /*withVectorPatterns=*/false);
    tileReductionsByOne(rewriter, func);
    vectorizeTiles(rewriter, func, reg);
    canonicalize(func, /*withVectorPatterns=*/true);
    // Keep the accumulator in registers across the reduction loop.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp f) { loops.push_back(f); }); // innermost first
    for (scf::ForOp f : loops)
      hoistLoopInvariantSubsets(rewriter, cast<LoopLikeOpInterface>(f.getOperation()));
    canonicalize(func, /*withVectorPatterns=*/false);
  }

  /// Static f32 matmuls on tensors at least a register tile large (smaller ones gain nothing
  /// and stay loops).
  static SmallVector<linalg::LinalgOp> matmulsToTile(func::FuncOp func, ArrayRef<int64_t> reg) {
    SmallVector<linalg::LinalgOp> roots;
    func.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) || !op.hasPureTensorSemantics() ||
          op.hasDynamicShape() || !getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        return;
      ArrayRef<int64_t> shape = cast<ShapedType>(op->getResult(0).getType()).getShape();
      if (shape[shape.size() - 2] >= reg[0] && shape.back() >= reg[1])
        roots.push_back(op);
    });
    return roots;
  }

  /// Every copy of a register tile (full and peeled): its reduction tiled by one.
  void tileReductionsByOne(IRRewriter &rewriter, func::FuncOp func) {
    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<scf::ForOp>() && linalg::isaContractionOpInterface(op))
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions) {
      SmallVector<int64_t> k(op.getNumLoops(), 0);
      k.back() = 1;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), k));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> r =
          scf::tileUsingSCF(rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (succeeded(r))
        rewriter.replaceOp(op, r->replacements);
    }
  }

  /// The tiles' contractions and fills as vector ops, masked where a peeled remainder is
  /// smaller than the register tile.
  static void vectorizeTiles(IRRewriter &rewriter, func::FuncOp func, ArrayRef<int64_t> reg) {
    SmallVector<linalg::LinalgOp> toVectorize;
    func.walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<scf::ForOp>() &&
          (isa<linalg::FillOp>(op) || linalg::isaContractionOpInterface(op)))
        toVectorize.push_back(op);
    });
    for (linalg::LinalgOp op : toVectorize) {
      bool contraction = linalg::isaContractionOpInterface(op);
      SmallVector<int64_t> sizes;
      if (op.hasDynamicShape()) {
        if (op.getNumLoops() == (contraction ? 4u : 3u)) // batch_matmul and its fill
          sizes.push_back(1);
        sizes.append({reg[0], reg[1]});
        if (contraction)
          sizes.push_back(1);
      }
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> v =
          linalg::vectorize(rewriter, op, sizes, {}, false, false, false,
                            /*createNamedContraction=*/contraction);
      if (succeeded(v))
        rewriter.replaceOp(op, v->replacements);
    }
  }

  /// Cache tile, then register tile (fill fused), remainders peeled.
  LogicalResult tileMatmul(IRRewriter &rewriter, linalg::LinalgOp root, ArrayRef<int64_t> reg,
                           ArrayRef<int64_t> cache) {
    // Cache tiles divide the matmul (register tiles inside partial cache tiles would have
    // dynamic shapes that masking handles badly): the largest multiple of the register tile
    // up to the preferred size that divides the dimension, or none.
    ArrayRef<int64_t> shape = cast<ShapedType>(root->getResult(0).getType()).getShape();
    auto cacheSize = [](int64_t dim, int64_t preferred, int64_t regSize) -> int64_t {
      for (int64_t s = preferred / regSize * regSize; s > regSize; s -= regSize)
        if (dim % s == 0 && s < dim)
          return s;
      return 0;
    };
    int64_t cm = cacheSize(shape[shape.size() - 2], cache[0], reg[0]);
    int64_t cn = cacheSize(shape.back(), cache[1], reg[1]);
    // Read before tiling: tileAndFuse erases `root`.
    bool batched = isa<linalg::BatchMatmulOp>(root);
    Operation *op = root.getOperation();
    if (cm || cn) {
      auto cacheTiled =
          tileAndFuse(rewriter, cast<TilingInterface>(op), loopSizes(batched, cm, cn, 0));
      if (failed(cacheTiled))
        return failure();
      op = *cacheTiled;
    }
    SmallVector<LoopLikeOpInterface> regLoops;
    auto regTiled = tileAndFuse(rewriter, cast<TilingInterface>(op),
                                loopSizes(batched, reg[0], reg[1], 0), &regLoops);
    if (failed(regTiled))
      return failure();
    // Inner loop first; peeling a loop that divides evenly fails harmlessly.
    for (LoopLikeOpInterface l : llvm::reverse(regLoops))
      if (auto f = dyn_cast<scf::ForOp>(l.getOperation())) {
        scf::ForOp partial;
        (void)scf::peelForLoopAndSimplifyBounds(rewriter, f, partial);
      }
    return success();
  }
};

} // namespace
