//===- ReplacePattern.cpp - fx-replace-pattern ----------------------------===//
//
// torch.fx's subgraph rewriter: match the pattern graph by use-def structure from its output,
// placeholders matching any value, and splice in the replacement.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXREPLACEPATTERN
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct Match {
  llvm::DenseMap<Value, Value> placeholders; // pattern placeholder -> graph value
  llvm::DenseMap<Operation *, Operation *> nodes; // pattern node -> graph node
};

/// Does the graph value `v` match the pattern value `p`?
static bool matchValue(Value p, Value v, Match &m) {
  Operation *pDef = p.getDefiningOp();
  if (isa<PlaceholderOp>(pDef)) {
    auto [it, inserted] = m.placeholders.try_emplace(p, v);
    return inserted || it->second == v;
  }
  Operation *vDef = v.getDefiningOp();
  if (!vDef || vDef->getName() != pDef->getName())
    return false;
  if (auto it = m.nodes.find(pDef); it != m.nodes.end())
    return it->second == vDef;
  auto pn = cast<NodeOpInterface>(pDef), vn = cast<NodeOpInterface>(vDef);
  if (pn.getTargetName() != vn.getTargetName() || pn.getNodeArgs() != vn.getNodeArgs() ||
      pn.getNodeKwargs() != vn.getNodeKwargs() ||
      pDef->getNumOperands() != vDef->getNumOperands())
    return false;
  m.nodes[pDef] = vDef;
  for (auto [po, vo] : llvm::zip(pDef->getOperands(), vDef->getOperands()))
    if (!matchValue(po, vo, m))
      return false;
  return true;
}

struct ReplacePattern : mlir::fx::impl::FxReplacePatternBase<ReplacePattern> {
  using Base::Base;

  GraphOp findGraph(ModuleOp file, StringRef name) {
    for (auto gm : file.getBody()->getOps<GraphModuleOp>())
      if (gm.getSymName() == name)
        return gm.getForward();
    return {};
  }

  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    GraphOp graph = module.getForward();
    if (patternFile.empty()) {
      module.emitError("fx-replace-pattern needs pattern-file=<file with @pattern and @replacement>");
      return signalPassFailure();
    }
    ParserConfig config(&getContext());
    OwningOpRef<ModuleOp> file = parseSourceFile<ModuleOp>(patternFile, config);
    if (!file)
      return signalPassFailure();
    GraphOp pattern = findGraph(*file, "pattern"), replacement = findGraph(*file, "replacement");
    if (!pattern || !replacement) {
      module.emitError("'") << patternFile
                            << "' must hold fx.graph_module @pattern and @replacement, each "
                               "with a @forward graph";
      return signalPassFailure();
    }
    OutputOp patOut = pattern.getOutput(), repOut = replacement.getOutput();
    if (patOut.getInputs().size() != 1 || repOut.getInputs().size() != 1 ||
        !isa<OperandRefAttr>(patOut.getArgs()[0]) || !isa<OperandRefAttr>(repOut.getArgs()[0])) {
      module.emitError("pattern and replacement must each return a single value");
      return signalPassFailure();
    }
    auto patPlaceholders = getPlaceholders(pattern), repPlaceholders = getPlaceholders(replacement);
    if (patPlaceholders.size() != repPlaceholders.size()) {
      module.emitError("pattern takes ") << patPlaceholders.size()
                                         << " placeholders but the replacement takes "
                                         << repPlaceholders.size();
      return signalPassFailure();
    }
    Value anchorPattern = patOut.getInputs()[0];
    if (isa<PlaceholderOp>(anchorPattern.getDefiningOp())) {
      module.emitError("a pattern that returns a placeholder matches everything");
      return signalPassFailure();
    }

    // Matches never overlap: a matched node is erased before the next anchor is tried, and the
    // replacement goes before the anchor, where the forward walk has already been.
    unsigned count = 0;
    for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock())) {
      if (isa<OutputOp, PlaceholderOp>(op))
        continue;
      Match m;
      if (!matchValue(anchorPattern, op.getResult(0), m))
        continue;
      // Inner nodes may be used only inside the match.
      llvm::SmallPtrSet<Operation *, 8> matched;
      for (auto &kv : m.nodes)
        matched.insert(kv.second);
      bool ok = true;
      for (Operation *n : matched)
        if (n != &op)
          for (Operation *user : n->getResult(0).getUsers())
            ok &= matched.contains(user);
      if (!ok)
        continue;
      // Splice in the replacement before the anchor.
      OpBuilder b(&op);
      IRMapping mapping;
      for (auto [pp, rp] : llvm::zip(patPlaceholders, repPlaceholders)) {
        auto it = m.placeholders.find(pp.getResult());
        if (it == m.placeholders.end()) {
          module.emitError("pattern placeholder '") << pp.getTarget() << "' is never used";
          return signalPassFailure();
        }
        mapping.map(rp.getResult(), it->second);
      }
      for (Operation &rop : replacement.getBodyBlock()) {
        if (isa<PlaceholderOp, OutputOp>(rop))
          continue;
        auto name = StringAttr::get(&getContext(),
                                    uniqueNodeName(graph, cast<NodeOpInterface>(rop).getNodeName()));
        Operation *clone = b.clone(rop, mapping);
        clone->setAttr("name", name);
      }
      Value newValue = mapping.lookup(repOut.getInputs()[0]);
      // The replacement computes what the anchor did: it takes the anchor's type.
      if (isa<AnyType>(newValue.getType()) && newValue.getDefiningOp() &&
          !isa<PlaceholderOp>(newValue.getDefiningOp()))
        newValue.setType(op.getResult(0).getType());
      op.getResult(0).replaceAllUsesWith(newValue);
      // Erase the matched nodes, users first.
      SmallVector<Operation *> toErase(matched.begin(), matched.end());
      llvm::sort(toErase, [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
      for (Operation *n : toErase)
        n->erase();
      ++count;
    }
    graph.emitRemark("fx-replace-pattern: ") << count << (count == 1 ? " match" : " matches")
                                            << " replaced";
  }
};
} // namespace
