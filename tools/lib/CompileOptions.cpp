//===- CompileOptions.cpp - Lowering flags fx-run and fx-compile share ----===//
#include "CompileOptions.h"

using namespace mlir;
namespace cl = llvm::cl;

cl::OptionCategory &fx::tools::getCompilationCategory() {
  // A function-local static: tools name the category in their own static initialisers.
  static cl::OptionCategory category("Compilation");
  return category;
}

static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3, default 2)"),
                                  cl::Prefix, cl::init(fx::kDefaultOptLevel),
                                  cl::cat(fx::tools::getCompilationCategory()));
static cl::opt<bool> noVectorize("no-vectorize",
                                 cl::desc("cpu: skip the tiled and vectorized stage"),
                                 cl::cat(fx::tools::getCompilationCategory()));
static cl::opt<int64_t> gpuTargetThreads(
    "gpu-target-threads",
    cl::desc("cuda, gpu-emulated: threads a reduction kernel aims for (fx-linalg-to-gpu's "
             "target-threads; small values make small ops split and tile)"),
    cl::init(fx::kGpuTargetThreads), cl::cat(fx::tools::getCompilationCategory()));

unsigned fx::tools::getOptLevel() { return optLevel; }

fx::tools::LoweringPipeline::LoweringPipeline(StringRef target, bool weightsAsInputs)
    : cuda(target != "cpu") {
  cpuOptions.weightsAsInputs = weightsAsInputs;
  cpuOptions.vectorize = !noVectorize;
  cudaOptions.weightsAsInputs = weightsAsInputs;
  cudaOptions.targetThreads = gpuTargetThreads;
  cudaOptions.emulate = target == "gpu-emulated";
}

void fx::tools::LoweringPipeline::printPipeline(MLIRContext *context, raw_ostream &os) const {
  // On builtin.module, as fx-opt anchors --pass-pipeline.
  PassManager pm = PassManager::on<ModuleOp>(context);
  if (cuda)
    buildLowerToCudaPipeline(pm, cudaOptions);
  else
    buildLowerToCpuPipeline(pm, cpuOptions);
  pm.printAsTextualPipeline(os);
  os << "\n";
}

FailureOr<std::vector<fx::CompiledEntry>> fx::tools::LoweringPipeline::lower(ModuleOp module) const {
  return cuda ? lowerToLLVMDialect(module, cudaOptions) : lowerToLLVMDialect(module, cpuOptions);
}
