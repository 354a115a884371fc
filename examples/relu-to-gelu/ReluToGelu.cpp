//===- ReluToGelu.cpp - An out-of-tree FX-MLIR pass -----------------------===//
//
// torch.fx's classic transformation: every relu becomes a gelu. Written against the installed
// package, with the graph-editing API (GraphEditing.h), and loaded into fx-opt as a plugin.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Dialect/FX/GraphEditing.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;
using namespace mlir::fx;

namespace {
struct ReluToGeluPass : PassWrapper<ReluToGeluPass, OperationPass<GraphOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReluToGeluPass)

  StringRef getArgument() const final { return "relu-to-gelu"; }
  StringRef getDescription() const final {
    return "replace every relu (torch.relu, F.relu, x.relu()) by torch.nn.functional.gelu";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<FXDialect>();
  }

  static bool isRelu(Operation &op) {
    if (auto f = dyn_cast<CallFunctionOp>(op))
      return f.getTarget() == "torch.relu" || f.getTarget() == "torch.nn.functional.relu";
    if (auto m = dyn_cast<CallMethodOp>(op))
      return m.getTarget() == "relu";
    return false;
  }

  void runOnOperation() override {
    GraphOp graph = getOperation();
    for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock())) {
      if (!isRelu(op))
        continue;
      OpBuilder builder(&op);                                  // graph.inserting_before(node)
      std::vector<Arg> input = {getArgs(&op).front()};         // node.args[0]
      Value gelu = createCallFunction(builder, graph, op.getResult(0).getType(),
                                      "torch.nn.functional.gelu", input);
      op.getResult(0).replaceAllUsesWith(gelu);                // node.replace_all_uses_with
      if (failed(eraseNode(&op)))                              // graph.erase_node(node)
        return signalPassFailure();
    }
  }
};
} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "ReluToGelu", LLVM_VERSION_STRING,
          [] { PassRegistration<ReluToGeluPass>(); }};
}
