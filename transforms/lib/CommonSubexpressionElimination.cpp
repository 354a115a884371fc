//===- CommonSubexpressionElimination.cpp - fx-cse ------------------------===//
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <map>

namespace mlir::fx {
#define GEN_PASS_DEF_FXCOMMONSUBEXPRESSIONELIMINATION
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct CommonSubexpressionElimination
    : mlir::fx::impl::FxCommonSubexpressionEliminationBase<CommonSubexpressionElimination> {
  void runOnOperation() override {
    // A node's identity without its name: opcode, target, literal arguments (uniqued
    // attributes, so pointers compare), operands and result type.
    std::map<std::vector<const void *>, Operation *> seen;
    for (Operation &op : llvm::make_early_inc_range(getOperation().getBodyBlock())) {
      auto node = dyn_cast<NodeOpInterface>(op);
      if (!node || isa<PlaceholderOp, OutputOp>(op) || !isMemoryEffectFree(&op))
        continue;
      std::vector<const void *> key = {op.getName().getAsOpaquePointer(),
                                       StringAttr::get(&getContext(), node.getTargetName())
                                           .getAsOpaquePointer(),
                                       node.getNodeArgs().getAsOpaquePointer(),
                                       node.getNodeKwargs().getAsOpaquePointer(),
                                       op.getResult(0).getType().getAsOpaquePointer()};
      for (Value v : op.getOperands())
        key.push_back(v.getAsOpaquePointer());
      auto [it, inserted] = seen.try_emplace(key, &op);
      if (inserted)
        continue;
      op.getResult(0).replaceAllUsesWith(it->second->getResult(0));
      op.erase();
    }
  }
};
} // namespace
