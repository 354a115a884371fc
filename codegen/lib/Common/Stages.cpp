//===- Stages.cpp - Pipeline stages every target shares -------------------===//
#include "fxmlir/Codegen/Common/Passes.h"
#include "fxmlir/Codegen/Common/Pipelines.h"
#include "fxmlir/Conversion/Passes.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::fx::addGraphStage(OpPassManager &pm, bool weightsAsInputs) {
  OpPassManager &graphModule = pm.nest<GraphModuleOp>();
  // First: shape propagation runs the graph with kernels that compute values, never update.
  graphModule.addNestedPass<GraphOp>(createFxFunctionalize());
  graphModule.addPass(createFxInlineFunctions());
  graphModule.addPass(createFxDecomposeModules());
  graphModule.addPass(createFxShapeProp());
  graphModule.addNestedPass<GraphOp>(createFxDeadCodeElimination());
  FxToLinalgOptions toLinalg;
  toLinalg.weightsAsInputs = weightsAsInputs;
  pm.addPass(createFxToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
}

void mlir::fx::addFusionStage(OpPassManager &pm) {
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::fx::addBufferizationStage(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createFxDistinctResults());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
}

void mlir::fx::addHostLLVMStage(OpPassManager &pm) {
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
}
