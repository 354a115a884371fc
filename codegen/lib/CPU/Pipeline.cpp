//===- Pipeline.cpp - fx-lower-to-cpu -------------------------------------===//
#include "fxmlir/Codegen/CPU/Passes.h"
#include "fxmlir/Codegen/Common/Pipelines.h"

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
