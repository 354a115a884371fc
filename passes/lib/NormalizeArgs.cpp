//===- NormalizeArgs.cpp - fx-normalize-args ------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Passes/Passes.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXNORMALIZEARGS
#include "fxmlir/Passes/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct NormalizeArgs : mlir::fx::impl::FxNormalizeArgsBase<NormalizeArgs> {
  LogicalResult normalize(Operation *op, GraphOp graph) {
    auto node = cast<NodeOpInterface>(op);
    const fxmlir::OpInfo *info =
        fxmlir::Registry::get().lookupOp(node.getOpcode().str(), node.getTargetName().str());
    if (!info)
      return success(); // unknown targets stay as they are
    std::vector<Arg> args = getArgs(op);
    auto kwargList = getKwargs(op);
    std::vector<std::string> names;
    for (auto &kv : kwargList)
      names.push_back(kv.first);
    std::vector<fxmlir::Slot> slots;
    try {
      slots = fxmlir::bindSlots(info->schema, args.size(), names, [&](size_t i) {
        return args[i].getKind() == Arg::Kind::Tuple || args[i].getKind() == Arg::Kind::List;
      });
    } catch (const fxmlir::OpError &e) {
      return op->emitError("cannot normalize %")
             << node.getNodeName() << " = " << node.getOpcode() << "[target="
             << node.getTargetName() << "]: " << e.what();
    }
    std::vector<Arg> positional;
    std::vector<std::pair<std::string, Arg>> keywords;
    for (auto [param, slot] : llvm::zip(info->schema.params, slots)) {
      std::vector<Arg> values;
      switch (slot.kind) {
      case fxmlir::Slot::Kind::Positional: values.push_back(args[slot.index]); break;
      case fxmlir::Slot::Kind::Keyword: values.push_back(kwargList[slot.index].second); break;
      case fxmlir::Slot::Kind::Variadic:
        for (size_t i = slot.begin; i < slot.end; ++i)
          values.push_back(args[i]);
        break;
      case fxmlir::Slot::Kind::Default: {
        Attribute literal = pyValueToLiteral(&getContext(), param.defaultValue);
        if (!literal)
          return op->emitError("default of '") << param.name << "' has no literal form";
        values.push_back(Arg(literal));
        break;
      }
      }
      for (Arg &v : values) {
        if (param.kwargOnly)
          keywords.emplace_back(param.name, v);
        else
          positional.push_back(v);
      }
    }
    // The canonical target: a registered method keeps its method form.
    StringRef canonical = info->schema.name;
    OpBuilder b(op);
    Type type = op->getResult(0).getType();
    StringRef name = node.getNodeName();
    Operation *replacement;
    if (canonical.consume_front("method:"))
      replacement = CallMethodOp::create(b, op->getLoc(), type, name, canonical, positional, keywords);
    else
      replacement =
          CallFunctionOp::create(b, op->getLoc(), type, name, canonical, positional, keywords);
    replacement->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    op->getResult(0).replaceAllUsesWith(replacement->getResult(0));
    op->erase();
    return success();
  }

  void runOnOperation() override {
    GraphOp graph = getOperation();
    for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock()))
      if (isa<CallFunctionOp, CallMethodOp>(op) && failed(normalize(&op, graph)))
        return signalPassFailure();
  }
};
} // namespace
