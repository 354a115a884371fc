//===- CompileOptions.h - Lowering flags fx-run and fx-compile share --*- C++ -*-===//
//
// The flags that pick a lowering's options (-O, --no-vectorize, --gpu-target-threads),
// declared once for the JIT (fx-run --backend=cpu|gpu-emulated) and the AOT compiler
// (fx-compile). Linking this library registers them, in the "Compilation" category.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_TOOLS_COMPILEOPTIONS_H
#define FXMLIR_TOOLS_COMPILEOPTIONS_H

#include "fxmlir/Codegen/Driver/Compiler.h"

#include "llvm/Support/CommandLine.h"

namespace mlir::fx::tools {

/// The category of the shared flags, for cl::HideUnrelatedOptions; a tool adds its own
/// compilation flags to it.
llvm::cl::OptionCategory &getCompilationCategory();

/// -O: the LLVM optimization level.
unsigned getOptLevel();

/// A lowering pipeline and its options from the flags: fx-lower-to-cpu for `cpu`,
/// fx-lower-to-cuda for `cuda`, and for `gpu-emulated` fx-lower-to-cuda with its kernels run
/// as host loops.
class LoweringPipeline {
public:
  explicit LoweringPipeline(StringRef target, bool weightsAsInputs = false);

  /// Prints the pipeline in the textual form, which fx-opt's --pass-pipeline takes back.
  void printPipeline(MLIRContext *context, raw_ostream &os) const;
  /// Lowers `module` to the LLVM dialect (fx::lowerToLLVMDialect).
  FailureOr<std::vector<CompiledEntry>> lower(ModuleOp module) const;

private:
  bool cuda;
  LowerToCpuOptions cpuOptions;
  LowerToCudaOptions cudaOptions;
};

} // namespace mlir::fx::tools

#endif
