//===- Pipelines.cpp - fx-lower-to-cpu ------------------------------------===//
#include "fxmlir/Passes/Pipelines.h"
#include "fxmlir/Passes/Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>

using namespace mlir;

std::string mlir::fx::cpuPipeline(const LowerToCpuOptions &options) {
  std::string p = "builtin.module(";
  // torch.fx level: module calls become function calls, every node gets a static type.
  p += "fx.graph_module(fx-decompose-modules, fx-shape-prop, fx.graph(fx-dce)),";
  p += "fx-to-linalg, canonicalize,";
  // Contractions: tiled for cache and registers and vectorized, still on tensors. Before
  // elementwise fusion, whose reshape propagation would turn matmuls into generic
  // contractions with split dimensions.
  if (options.vectorize)
    p += "func.func(fx-tile-and-vectorize), canonicalize,";
  p += "linalg-fuse-elementwise-ops, canonicalize, cse,";
  // Tensors to buffers; results become out-parameters written in place.
  p += "one-shot-bufferize{bufferize-function-boundaries "
       "function-boundary-type-conversion=identity-layout-map},";
  p += "buffer-results-to-out-params{hoist-static-allocs modify-public-functions}, buffer-deallocation-pipeline,"
       "func.func(fx-copies-to-linalg, fx-lower-vectors), canonicalize,";
  p += "convert-vector-to-scf, convert-linalg-to-loops, lower-affine, convert-scf-to-cf,"
       "canonicalize,";
  // LLVM: statically shaped memrefs cross function boundaries as bare pointers (the C ABI).
  p += "expand-strided-metadata, lower-affine, convert-vector-to-llvm, finalize-memref-to-llvm,"
       "convert-math-to-llvm,"
       "convert-math-to-libm, convert-arith-to-llvm,"
       "convert-func-to-llvm{use-bare-ptr-memref-call-conv}, convert-cf-to-llvm,"
       "convert-ub-to-llvm, reconcile-unrealized-casts)";
  return p;
}

static void registerUpstreamPasses() {
  static std::once_flag once;
  std::call_once(once, [] { registerAllPasses(); });
}

LogicalResult mlir::fx::buildLowerToCpuPipeline(OpPassManager &pm,
                                                const LowerToCpuOptions &options) {
  registerUpstreamPasses();
  registerFxMLIRPasses();
  std::string pipeline = cpuPipeline(options);
  // The textual form's outer builtin.module() is `pm` itself.
  StringRef inner = StringRef(pipeline).drop_front(strlen("builtin.module(")).drop_back();
  return parsePassPipeline(inner, pm, llvm::errs());
}

void mlir::fx::registerFxPipelines() {
  registerUpstreamPasses();
  PassPipelineRegistration<LowerToCpuOptions>(
      "fx-lower-to-cpu",
      "Lower fx graph modules to the LLVM dialect for the host CPU (fx-to-linalg, fusion, "
      "bufferization, loops, LLVM; bare-pointer C ABI)",
      [](OpPassManager &pm, const LowerToCpuOptions &options) {
        if (failed(buildLowerToCpuPipeline(pm, options)))
          llvm::report_fatal_error("fx-lower-to-cpu: invalid pipeline");
      });
}
