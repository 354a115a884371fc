//===- fx_passes_fuzzer.cpp - The graph passes on parsed modules ----------===//
//
// Text in: a module that parses, verifies and is small (FuzzSupport.h) goes through each of
// fx-opt's graph passes on its own copy. Each pass fails with an error or leaves IR the
// verifier accepts (VerifyAfterEachPass).
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "fxmlir/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

/// Textual pipelines nested in builtin.module: each pass alone, then the graph stage's order.
static const char *const kPipelines[] = {
    "fx.graph_module(fx.graph(fx-dce))",
    "fx.graph_module(fx.graph(fx-cse))",
    "fx.graph_module(fx.graph(fx-normalize-args))",
    "fx.graph_module(fx.graph(fx-functionalize))",
    "fx.graph_module(fx-shape-prop)",
    "fx.graph_module(fx-shape-prop{fold-shapes=false})",
    "fx.graph_module(fx-decompose-modules)",
    "fx.graph_module(fx-inline-functions)",
    "fx.graph_module(fx-const-fold)",
    ("fx.graph_module(fx.graph(fx-functionalize),fx-inline-functions,fx-decompose-modules,"
     "fx-shape-prop,fx.graph(fx-normalize-args,fx-cse,fx-dce))"),
};

static void runPipeline(mlir::ModuleOp original, const char *pipeline) {
  mlir::MLIRContext &context = *original.getContext();
  fxfuzz::QuietDiagnostics diags(context);
  mlir::OwningOpRef<mlir::ModuleOp> module = original.clone();
  auto pm = mlir::PassManager::on<mlir::ModuleOp>(&context);
  if (mlir::failed(mlir::parsePassPipeline(pipeline, pm)))
    fxfuzz::fuzzFailure("the pipeline does not parse", nullptr, diags);
  fxfuzz::runCheckedPipeline(pm, *module, diags);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool registered = (mlir::fx::registerFxTransformsPasses(), true);
  (void)registered;
  mlir::MLIRContext &context = fxfuzz::getContext();
  fxfuzz::QuietDiagnostics diags(context);
  mlir::OwningOpRef<mlir::ModuleOp> module = fxfuzz::parseModule(data, size, context);
  if (!module || !fxfuzz::isSmallEnoughToRun(*module))
    return 0;
  for (const char *pipeline : kPipelines)
    runPipeline(*module, pipeline);
  return 0;
}
