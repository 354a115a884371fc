//===- Stages.cpp - Pipeline stages every target shares -------------------===//
#include "fxmlir/Codegen/Common/Passes.h"
#include "fxmlir/Codegen/Common/Pipelines.h"
#include "fxmlir/Codegen/CPU/Passes.h"
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

void mlir::fx::addHostStage(OpPassManager &pm) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createFxCopiesToLinalg());
  func.addPass(createFxLowerVectors());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());
  addHostLLVMStage(pm);
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::fx::registerFxPipelines() {
  PassPipelineRegistration<LowerToCpuOptions>(
      "fx-lower-to-cpu",
      "Lower fx graph modules to the LLVM dialect for the host CPU (fx-to-linalg, fusion, "
      "bufferization, loops, LLVM; bare-pointer C ABI)",
      buildLowerToCpuPipeline);
  PassPipelineRegistration<LowerToCudaOptions>(
      "fx-lower-to-cuda",
      "Lower fx graph modules for NVIDIA GPUs: kernels as an embedded fatbin (sm_90 cubin + "
      "PTX), host code in the LLVM dialect calling the project's CUDA runtime (mgpu*)",
      buildLowerToCudaPipeline);
}
