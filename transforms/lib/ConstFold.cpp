//===- ConstFold.cpp - fx-const-fold --------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXCONSTFOLD
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct ConstFold : mlir::fx::impl::FxConstFoldBase<ConstFold> {
  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    GraphOp graph = module.getForward();
    if (!graph)
      return;
    llvm::DenseMap<Value, fxmlir::PyValue> constants;
    SmallVector<Operation *> folded;
    if (failed(fold(module, graph, constants, folded)))
      return signalPassFailure();
    mlir::SymbolTable symbols(module);
    unsigned counter = 0;
    for (Operation *op : folded)
      materialize(module, graph, symbols, op->getResult(0), constants, folded, counter);
    // Folded nodes and the get_attrs they read are dead now.
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(graph.getBodyBlock())))
      if (isOpTriviallyDead(&op))
        op.erase();
  }

  /// Runs every pure node whose operands are all known (weights with values, folded nodes)
  /// with its reference kernel; `folded` lists the call nodes, in order.
  LogicalResult fold(GraphModuleOp module, GraphOp graph,
                     llvm::DenseMap<Value, fxmlir::PyValue> &constants,
                     SmallVectorImpl<Operation *> &folded) {
    for (Operation &op : graph.getBodyBlock()) {
      auto node = dyn_cast<NodeOpInterface>(op);
      if (!node || isa<PlaceholderOp, OutputOp, CallModuleOp>(op) || !isMemoryEffectFree(&op))
        continue;
      if (!llvm::all_of(op.getOperands(), [&](Value v) { return constants.count(v); }))
        continue;
      try {
        if (auto getAttr = dyn_cast<GetAttrOp>(op)) {
          FailureOr<fxmlir::Tensor> t =
              tensorFromDeclaration(lookupQualifiedName(module, getAttr.getTarget()));
          if (succeeded(t)) // declared without a value: not a constant we know
            constants[op.getResult(0)] = *t;
          continue;
        }
        std::vector<fxmlir::PyValue> operands;
        for (Value v : op.getOperands())
          operands.push_back(constants[v]);
        CallArguments call = callArguments(node, operands);
        constants[op.getResult(0)] = fxmlir::callTarget(
            node.getOpcode().str(), node.getTargetName().str(), call.args, call.kwargs);
        folded.push_back(&op);
      } catch (const fxmlir::OpError &e) {
        return op.emitError("while folding %") << node.getNodeName() << ": " << e.what();
      }
    }
    return success();
  }

  /// A folded value that the rest of the graph still needs becomes a literal or, for a
  /// tensor, a `_folded_<n>` tensor constant read by a get_attr.
  void materialize(GraphModuleOp module, GraphOp graph, mlir::SymbolTable &symbols,
                   Value result, llvm::DenseMap<Value, fxmlir::PyValue> &constants,
                   ArrayRef<Operation *> folded, unsigned &counter) {
    auto outsideFolded = [&](OpOperand &use) {
      return !llvm::is_contained(folded, use.getOwner());
    };
    if (llvm::none_of(result.getUses(), outsideFolded))
      return;
    const fxmlir::PyValue &value = constants[result];
    if (!value.isTensor()) {
      if (Attribute literal = pyValueToLiteral(&getContext(), value))
        replaceAllUsesWithLiteral(result, literal);
      return;
    }
    std::string name;
    do
      name = "_folded_" + std::to_string(counter++);
    while (symbols.lookup(name));
    OpBuilder b = OpBuilder::atBlockBegin(&module.getBodyBlock());
    ElementsAttr data = tensorToElementsAttr(&getContext(), value.tensor(), name);
    auto decl = TensorConstantOp::create(b, module.getLoc(), name,
                                         cast<TensorType>(data.getType()), data);
    symbols.insert(decl);
    OpBuilder nb(result.getDefiningOp());
    Value replacement = createGetAttr(nb, graph, data.getType(), name);
    // Uses inside the folded region keep the original (it is erased with them).
    result.replaceUsesWithIf(replacement, outsideFolded);
  }
};
} // namespace
