//===- Pipeline.cpp - fx-lower-to-cuda ------------------------------------===//
#include "fxmlir/Codegen/GPU/Pipeline.h"
#include "fxmlir/Codegen/CPU/Pipeline.h"
#include "fxmlir/Codegen/Common/Passes.h"
#include "fxmlir/Codegen/Common/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

std::string mlir::fx::defaultCudaToolkit() {
#ifdef FX_CUDA_TOOLKIT_DIR
  return FX_CUDA_TOOLKIT_DIR;
#else
  return "";
#endif
}

/// Kernels to a binary embedded in the module: NVVM, then ptxas (and fatbinary).
static void addKernelStage(OpPassManager &pm, const fx::LowerToCudaOptions &options) {
  // Constants go into the kernels: as kernel parameters, every index division would be a real
  // (64-bit) division instead of a multiply by a constant.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  // math.ipowi (integer pow) has no NVVM lowering: outlined into a function, which kernel
  // outlining copies into each GPU module that calls it.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions toNVVM;
  toNVVM.useBarePtrCallConv = true;
  kernels.addPass(createConvertGpuOpsToNVVMOps(toNVVM));
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.format;
  binary.toolkitPath = options.toolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

/// The host side: as on the CPU, with launches through the runtime's mgpu* functions.
static void addLaunchingHostStage(OpPassManager &pm) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  fx::addHostLLVMStage(pm);
  GpuToLLVMConversionPassOptions toLLVM;
  toLLVM.hostBarePtrCallConv = true;
  toLLVM.kernelBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(toLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(fx::createFxDefineDeviceConstants());
}

void mlir::fx::buildLowerToCudaPipeline(OpPassManager &pm, const LowerToCudaOptions &options) {
  addGraphStage(pm, options.weightsAsInputs);
  addFusionStage(pm);
  addBufferizationStage(pm);
  // Device buffers; every copy runs as a kernel; a host-buffer entry around the graph.
  FxCopiesToLinalgOptions copies;
  copies.all = true;
  pm.addNestedPass<func::FuncOp>(createFxCopiesToLinalg(copies));
  pm.addPass(createFxBuffersToGpu());
  // Each linalg op: a kernel with a thread per output element.
  FxLinalgToGpuOptions kernels;
  kernels.targetThreads = options.targetThreads;
  pm.addNestedPass<func::FuncOp>(createFxLinalgToGpu(kernels));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (options.emulate) {
    pm.addPass(createFxEmulateGpuOnHost());
    pm.addPass(createCanonicalizerPass());
    addHostStage(pm);
    return;
  }
  addKernelStage(pm, options);
  addLaunchingHostStage(pm);
}

void mlir::fx::registerLowerToCudaPipeline() {
  PassPipelineRegistration<LowerToCudaOptions>(
      "fx-lower-to-cuda",
      "Lower fx graph modules for NVIDIA GPUs: kernels as an embedded fatbin (sm_90 cubin + "
      "PTX), host code in the LLVM dialect calling the project's CUDA runtime (mgpu*)",
      buildLowerToCudaPipeline);
}
