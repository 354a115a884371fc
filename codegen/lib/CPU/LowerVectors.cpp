//===- LowerVectors.cpp - fx-lower-vectors --------------------------------===//
#include "fxmlir/Codegen/CPU/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXLOWERVECTORS
#include "fxmlir/Codegen/CPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {
struct LowerVectors : mlir::fx::impl::FxLowerVectorsBase<LowerVectors> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool hasVectors = false;
    func.walk([&](vector::ContractionOp) { hasVectors = true; });
    if (!hasVectors)
      return;
    linalg::hoistRedundantVectorTransfers(func);
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    vector::populateVectorContractLoweringPatterns(patterns,
                                                   vector::VectorContractLowering::OuterProduct);
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::VectorTransformsOptions options;
    options.setVectorTransferSplit(vector::VectorTransferSplit::LinalgCopy);
    vector::populateVectorTransferFullPartialPatterns(patterns, options);
    VectorTransferToSCFOptions toScf;
    toScf.setTargetRank(1).enableFullUnroll(true);
    populateVectorToSCFConversionPatterns(patterns, toScf);
    vector::populateVectorTransferLoweringPatterns(patterns, /*maxTransferRank=*/1);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(patterns,
                                                    vector::VectorTransposeLowering::Shuffle1D);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
