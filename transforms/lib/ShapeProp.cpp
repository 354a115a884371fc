//===- ShapeProp.cpp - fx-shape-prop --------------------------------------===//
//
// torch.fx's ShapeProp executes the graph on example inputs and records what each node
// produced. This pass does the same with the reference kernels on zero-filled inputs, so every
// registered target and module type has a shape rule by construction.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXSHAPEPROP
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct ShapeProp : mlir::fx::impl::FxShapePropBase<ShapeProp> {
  using Base::Base;

  /// `1x3x224x224xf32`, `tensor<2x3xf32>` or `!fx.int`.
  Type parseInputType(StringRef spec) {
    std::string text = spec.str();
    if (!spec.starts_with("tensor<") && !spec.starts_with("!"))
      text = "tensor<" + text + ">";
    return parseType(text, &getContext());
  }

  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    GraphOp graph = module.getForward();
    if (!graph) {
      module.emitError("fx.graph_module @") << module.getSymName() << " has no @forward graph";
      return signalPassFailure();
    }
    SmallVector<PlaceholderOp> placeholders = getPlaceholders(graph);
    if (inputTypes.size() > placeholders.size()) {
      graph.emitError("input-types gives ")
          << inputTypes.size() << " types for " << placeholders.size() << " placeholders";
      return signalPassFailure();
    }
    std::vector<fxmlir::PyValue> inputs;
    for (auto [i, ph] : llvm::enumerate(placeholders)) {
      Type type = i < inputTypes.size() ? parseInputType(inputTypes[i]) : ph.getType();
      if (!type) {
        ph.emitError("input-types: cannot parse '") << inputTypes[i] << "'";
        return signalPassFailure();
      }
      auto tensor = dyn_cast<RankedTensorType>(type);
      fxmlir::DType dtype;
      if (tensor && tensor.hasStaticShape() && dtypeFromElementType(tensor.getElementType(), dtype)) {
        try {
          inputs.emplace_back(fxmlir::Tensor(
              fxmlir::Shape(tensor.getShape().begin(), tensor.getShape().end()), dtype));
        } catch (const fxmlir::OpError &e) {
          ph.emitError("placeholder '") << ph.getTarget() << "': " << e.what();
          return signalPassFailure();
        }
        continue;
      }
      if (ph.getDefaultValueAttr() && i >= inputTypes.size())
        break; // it and the placeholders after it take their defaults
      ph.emitError("fx-shape-prop needs a static tensor type for placeholder '")
          << ph.getTarget() << "', got " << type
          << " (give it in the IR or with input-types=...)";
      return signalPassFailure();
    }

    llvm::DenseMap<Operation *, fxmlir::PyValue> values;
    FailureOr<fxmlir::PyValue> result = interpretGraphModule(
        module, inputs, [&](Operation *op, const fxmlir::PyValue &v) { values[op] = v; },
        /*zeroFillDeclarations=*/true);
    if (failed(result))
      return signalPassFailure();

    for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock())) {
      auto it = values.find(&op);
      if (it == values.end())
        continue;
      op.getResult(0).setType(typeOfPyValue(&getContext(), it->second));
      // A Python value computed from static shapes is a constant of the graph.
      if (!foldShapes || isa<PlaceholderOp, GetAttrOp>(op) || !isMemoryEffectFree(&op) ||
          it->second.isNone())
        continue;
      if (Attribute literal = pyValueToLiteral(&getContext(), it->second)) {
        replaceAllUsesWithLiteral(op.getResult(0), literal);
        op.erase();
      }
    }
  }
};
} // namespace
