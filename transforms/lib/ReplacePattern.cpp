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

/// Inner nodes of a match may be used only inside it (the anchor's users are rewired).
static bool isSelfContained(const Match &m, Operation *anchor) {
  llvm::SmallPtrSet<Operation *, 8> matched;
  for (auto &kv : m.nodes)
    matched.insert(kv.second);
  for (Operation *n : matched)
    if (n != anchor)
      for (Operation *user : n->getResult(0).getUsers())
        if (!matched.contains(user))
          return false;
  return true;
}

/// The matched nodes, erased users first.
static void eraseMatch(const Match &m) {
  SmallVector<Operation *> toErase;
  for (auto &kv : m.nodes)
    toErase.push_back(kv.second);
  llvm::sort(toErase, [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
  for (Operation *n : toErase)
    n->erase();
}

struct ReplacePattern : mlir::fx::impl::FxReplacePatternBase<ReplacePattern> {
  using Base::Base;

  /// The pattern file's @pattern and @replacement graphs, checked.
  struct Rule {
    OwningOpRef<ModuleOp> file;
    GraphOp pattern, replacement;
    Value anchor; // what the pattern returns
  };

  GraphOp findGraph(ModuleOp file, StringRef name) {
    for (auto gm : file.getBody()->getOps<GraphModuleOp>())
      if (gm.getSymName() == name)
        return gm.getForward();
    return {};
  }

  FailureOr<Rule> loadRule(GraphModuleOp module) {
    if (patternFile.empty())
      return module.emitError(
          "fx-replace-pattern needs pattern-file=<file with @pattern and @replacement>");
    Rule rule;
    ParserConfig config(&getContext());
    rule.file = parseSourceFile<ModuleOp>(patternFile, config);
    if (!rule.file)
      return failure();
    rule.pattern = findGraph(*rule.file, "pattern");
    rule.replacement = findGraph(*rule.file, "replacement");
    if (!rule.pattern || !rule.replacement)
      return module.emitError("'") << patternFile
                                   << "' must hold fx.graph_module @pattern and @replacement, "
                                      "each with a @forward graph";
    OutputOp patOut = rule.pattern.getOutput(), repOut = rule.replacement.getOutput();
    if (patOut.getInputs().size() != 1 || repOut.getInputs().size() != 1 ||
        !isa<OperandRefAttr>(patOut.getArgs()[0]) || !isa<OperandRefAttr>(repOut.getArgs()[0]))
      return module.emitError("pattern and replacement must each return a single value");
    size_t patArity = getPlaceholders(rule.pattern).size();
    size_t repArity = getPlaceholders(rule.replacement).size();
    if (patArity != repArity)
      return module.emitError("pattern takes ")
             << patArity << " placeholders but the replacement takes " << repArity;
    rule.anchor = patOut.getInputs()[0];
    if (isa<PlaceholderOp>(rule.anchor.getDefiningOp()))
      return module.emitError("a pattern that returns a placeholder matches everything");
    return rule;
  }

  /// The replacement cloned before `anchor`, its placeholders bound to what the pattern's
  /// matched; the value that replaces the anchor.
  FailureOr<Value> splice(GraphModuleOp module, GraphOp graph, Rule &rule, const Match &m,
                          Operation *anchor) {
    OpBuilder b(anchor);
    IRMapping mapping;
    for (auto [pp, rp] : llvm::zip(getPlaceholders(rule.pattern),
                                   getPlaceholders(rule.replacement))) {
      auto it = m.placeholders.find(pp.getResult());
      if (it == m.placeholders.end())
        return module.emitError("pattern placeholder '") << pp.getTarget() << "' is never used";
      mapping.map(rp.getResult(), it->second);
    }
    for (Operation &rop : rule.replacement.getBodyBlock()) {
      if (isa<PlaceholderOp, OutputOp>(rop))
        continue;
      auto name = StringAttr::get(&getContext(),
                                  uniqueNodeName(graph, cast<NodeOpInterface>(rop).getNodeName()));
      Operation *clone = b.clone(rop, mapping);
      clone->setAttr("name", name);
    }
    Value newValue = mapping.lookup(rule.replacement.getOutput().getInputs()[0]);
    // The replacement computes what the anchor did: it takes the anchor's type.
    if (isa<AnyType>(newValue.getType()) && newValue.getDefiningOp() &&
        !isa<PlaceholderOp>(newValue.getDefiningOp()))
      newValue.setType(anchor->getResult(0).getType());
    return newValue;
  }

  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    GraphOp graph = module.getForward();
    FailureOr<Rule> rule = loadRule(module);
    if (failed(rule))
      return signalPassFailure();
    // Matches never overlap: a matched node is erased before the next anchor is tried, and the
    // replacement goes before the anchor, where the forward walk has already been.
    unsigned count = 0;
    for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock())) {
      if (isa<OutputOp, PlaceholderOp>(op))
        continue;
      Match m;
      if (!matchValue(rule->anchor, op.getResult(0), m) || !isSelfContained(m, &op))
        continue;
      FailureOr<Value> newValue = splice(module, graph, *rule, m, &op);
      if (failed(newValue))
        return signalPassFailure();
      op.getResult(0).replaceAllUsesWith(*newValue);
      eraseMatch(m);
      ++count;
    }
    graph.emitRemark("fx-replace-pattern: ") << count << (count == 1 ? " match" : " matches")
                                            << " replaced";
  }
};
} // namespace
