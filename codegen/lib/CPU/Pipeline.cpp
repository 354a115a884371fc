//===- Pipeline.cpp - fx-lower-to-cpu -------------------------------------===//
#include "fxmlir/Codegen/CPU/Pipeline.h"
#include "fxmlir/Codegen/CPU/Passes.h"
#include "fxmlir/Codegen/Common/Passes.h"
#include "fxmlir/Codegen/Common/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"

#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::fx::buildLowerToCpuPipeline(OpPassManager &pm, const LowerToCpuOptions &options) {
  addGraphStage(pm, options.weightsAsInputs);
  // Contractions: tiled for cache and registers and vectorized, still on tensors. Before
  // elementwise fusion, whose reshape propagation would turn matmuls into generic
  // contractions with split dimensions.
  if (options.vectorize) {
    pm.addNestedPass<func::FuncOp>(createFxTileAndVectorize());
    pm.addPass(createCanonicalizerPass());
  }
  addFusionStage(pm);
  addBufferizationStage(pm);
  addHostStage(pm);
}

void mlir::fx::addHostStage(OpPassManager &pm) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createFxCopiesToLinalg());
  func.addPass(createFxLowerVectors());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  // math.ipowi (integer pow) has no LLVM intrinsic: outlined into a function of loops.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());
  addHostLLVMStage(pm);
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::fx::registerLowerToCpuPipeline() {
  PassPipelineRegistration<LowerToCpuOptions>(
      "fx-lower-to-cpu",
      "Lower fx graph modules to the LLVM dialect for the host CPU (fx-to-linalg, fusion, "
      "bufferization, loops, LLVM; bare-pointer C ABI)",
      buildLowerToCpuPipeline);
}
