//===- NormalizeArgs.cpp - fx-normalize-args ------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Transforms/Passes.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXNORMALIZEARGS
#include "fxmlir/Transforms/Passes.h.inc"
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
    std::vector<fxmlir::BoundParam<Arg>> bound;
    try {
      bound = fxmlir::bindParams<Arg>(info->schema, args, getKwargs(op), [&](size_t i) {
        return args[i].getKind() == Arg::Kind::Tuple || args[i].getKind() == Arg::Kind::List;
      });
    } catch (const fxmlir::OpError &e) {
      return op->emitError("cannot normalize %")
             << node.getNodeName() << " = " << node.getOpcode() << "[target="
             << node.getTargetName() << "]: " << e.what();
    }
    // Variadics stay spread (`x.view(2, 3)`), as torch.fx's normalize_args leaves them.
    std::vector<Arg> positional;
    std::vector<std::pair<std::string, Arg>> keywords;
    for (fxmlir::BoundParam<Arg> &p : bound) {
      if (p.usesDefault()) {
        Attribute literal = pyValueToLiteral(&getContext(), p.param->defaultValue);
        if (!literal)
          return op->emitError("default of '") << p.param->name << "' has no literal form";
        p.values.push_back(Arg(literal));
      }
      for (Arg &v : p.values) {
        if (p.param->kwargOnly)
          keywords.emplace_back(p.param->name, v);
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
