//===- Registration.cpp - fx-translate's translations ---------------------===//
#include "fxmlir/Export/Export.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace mlir::fx;

static llvm::cl::opt<std::string> graphTextStyle(
    "fx-graph-text-style",
    llvm::cl::desc("PyTorch version whose print(gm.graph) to match: 2 ([num_users=N]) or 1 "
                   "([#users=N], PyTorch 1.13)"),
    llvm::cl::init("2"));

/// Runs `print` on the forward graph of every graph_module in `module`, with a `# Name` header
/// between modules when there are several.
static LogicalResult forEachGraph(Operation *module, raw_ostream &os,
                                  function_ref<void(GraphOp, raw_ostream &)> print) {
  SmallVector<GraphModuleOp> graphModules;
  if (auto gm = dyn_cast<GraphModuleOp>(module))
    graphModules.push_back(gm);
  else
    for (auto gm : module->getRegion(0).getOps<GraphModuleOp>())
      graphModules.push_back(gm);
  if (graphModules.empty())
    return module->emitError("no fx.graph_module to translate");
  for (auto [i, gm] : llvm::enumerate(graphModules)) {
    GraphOp graph = gm.getForward();
    if (!graph)
      return gm.emitError("fx.graph_module @") << gm.getSymName() << " has no @forward graph";
    if (graphModules.size() > 1)
      os << (i ? "\n" : "") << "# " << gm.getSymName() << "\n";
    print(graph, os);
  }
  return success();
}

void mlir::fx::registerFxTranslations() {
  auto registerDialects = [](DialectRegistry &registry) { registry.insert<FXDialect>(); };
  TranslateFromMLIRRegistration graphText(
      "fx-to-graph-text", "print each forward graph as torch.fx's print(gm.graph) does",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        if (graphTextStyle != "1" && graphTextStyle != "2")
          return op->emitError("--fx-graph-text-style must be 1 or 2, got '")
                 << graphTextStyle << "'";
        GraphTextStyle style =
            graphTextStyle == "1" ? GraphTextStyle::Torch1 : GraphTextStyle::Torch2;
        return forEachGraph(op, os, [&](GraphOp g, raw_ostream &out) {
          printGraphText(g, out, style);
        });
      },
      registerDialects);
  TranslateFromMLIRRegistration python(
      "fx-to-python", "print each forward graph as Python source, like GraphModule.code",
      [](Operation *op, raw_ostream &os) { return forEachGraph(op, os, printPythonCode); },
      registerDialects);
  TranslateFromMLIRRegistration dot(
      "fx-to-dot", "draw each forward graph as a Graphviz digraph (like FxGraphDrawer)",
      [](Operation *op, raw_ostream &os) { return forEachGraph(op, os, printDot); },
      registerDialects);
}
