//===- SplitModule.cpp - fx-split-module ----------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include <map>

namespace mlir::fx {
#define GEN_PASS_DEF_FXSPLITMODULE
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct Partition {
  int64_t id;
  SmallVector<Operation *> nodes;
  llvm::SetVector<Value> inputs, outputs;
  llvm::SetVector<int64_t> dependsOn;
};
using Partitions = std::map<int64_t, Partition>;

/// The nodes of each partition (the `fx.partition` attribute of every node).
FailureOr<Partitions> collectPartitions(GraphOp graph,
                                        llvm::DenseMap<Operation *, int64_t> &partitionOf) {
  Partitions partitions;
  for (Operation &op : graph.getBodyBlock()) {
    if (isa<PlaceholderOp, OutputOp>(op))
      continue;
    auto id = op.getAttrOfType<IntegerAttr>("fx.partition");
    if (!id)
      return op.emitError("node %") << cast<NodeOpInterface>(op).getNodeName()
                                    << " has no integer fx.partition attribute";
    Partition &p = partitions[id.getInt()];
    p.id = id.getInt();
    p.nodes.push_back(&op);
    partitionOf[&op] = id.getInt();
  }
  return partitions;
}

/// Inputs, outputs and dependencies of each partition.
void connectPartitions(GraphOp graph, Partitions &partitions,
                       const llvm::DenseMap<Operation *, int64_t> &partitionOf) {
  for (auto &[id, p] : partitions)
    for (Operation *op : p.nodes)
      for (Value v : op->getOperands()) {
        auto it = partitionOf.find(v.getDefiningOp());
        if (it != partitionOf.end() && it->second == id)
          continue;
        p.inputs.insert(v);
        if (it != partitionOf.end()) {
          p.dependsOn.insert(it->second);
          partitions[it->second].outputs.insert(v);
        }
      }
  for (Value v : graph.getOutput().getInputs())
    if (auto it = partitionOf.find(v.getDefiningOp()); it != partitionOf.end())
      partitions[it->second].outputs.insert(v);
}

/// Partitions in dependency order; torch.fx's split_module rejects cycles too.
FailureOr<SmallVector<int64_t>> topologicalOrder(GraphOp graph, Partitions &partitions) {
  SmallVector<int64_t> order;
  enum class State { Unseen, Visiting, Done };
  std::map<int64_t, State> state;
  std::function<bool(int64_t)> visit = [&](int64_t id) {
    if (state[id] != State::Unseen)
      return state[id] == State::Done;
    state[id] = State::Visiting;
    for (int64_t dep : partitions[id].dependsOn)
      if (!visit(dep))
        return false;
    state[id] = State::Done;
    order.push_back(id);
    return true;
  };
  for (auto &entry : partitions)
    if (!visit(entry.first))
      return graph.emitError("fx-split-module: partitions have a cyclic dependency (through "
                             "partition ")
             << entry.first << ")";
  return order;
}

std::string submoduleName(int64_t id) { return "submod_" + std::to_string(id); }

struct SplitModule : mlir::fx::impl::FxSplitModuleBase<SplitModule> {
  /// Copies the declaration (or submodule) at `path` of `from` into `to`, creating plain
  /// torch.nn.Module containers on the way, as split_module does.
  void copyTarget(Operation *from, SubmoduleOp to, StringRef path) {
    Operation *decl = lookupQualifiedName(from, path);
    SmallVector<StringRef> atoms;
    path.split(atoms, '.');
    Operation *container = to;
    OpBuilder b(&getContext());
    // Declarations go before the container's graph, as the printer's readers expect.
    auto insertionPoint = [&](Operation *c) {
      Block &body = c->getRegion(0).front();
      auto graphs = body.getOps<GraphOp>();
      if (graphs.empty())
        b.setInsertionPointToEnd(&body);
      else
        b.setInsertionPoint(*graphs.begin());
    };
    for (StringRef atom : ArrayRef<StringRef>(atoms).drop_back()) {
      Operation *next = mlir::SymbolTable::lookupSymbolIn(container, atom);
      if (!next) {
        insertionPoint(container);
        next = SubmoduleOp::create(b, decl->getLoc(), atom, "torch.nn.Module");
      }
      container = next;
    }
    if (mlir::SymbolTable::lookupSymbolIn(container, atoms.back()))
      return;
    insertionPoint(container);
    b.clone(*decl);
  }

  /// A partition as a submodule with its own graph, built from the original nodes (before
  /// anything is rewired) with the declarations they use.
  void buildSubmodule(OpBuilder &moduleBuilder, GraphOp graph, const Partition &p) {
    Location loc = graph.getLoc();
    auto sub = SubmoduleOp::create(moduleBuilder, loc, submoduleName(p.id),
                                   "torch.fx.graph_module.GraphModule");
    OpBuilder sb = OpBuilder::atBlockEnd(&sub.getBodyBlock());
    auto subGraph = GraphOp::create(sb, loc, "forward");
    OpBuilder gb = OpBuilder::atBlockEnd(&subGraph.getBodyBlock());
    IRMapping mapping;
    for (Value in : p.inputs) {
      StringRef inName = cast<NodeOpInterface>(in.getDefiningOp()).getNodeName();
      mapping.map(in, PlaceholderOp::create(gb, loc, in.getType(), inName, inName, Attribute())
                          .getResult());
    }
    for (Operation *op : p.nodes) {
      Operation *clone = gb.clone(*op, mapping);
      clone->removeAttr("fx.partition");
      if (auto g = dyn_cast<GetAttrOp>(op))
        copyTarget(getOperation(), sub, g.getTarget());
      if (auto c = dyn_cast<CallModuleOp>(op))
        copyTarget(getOperation(), sub, c.getTarget());
    }
    std::vector<Arg> outs;
    for (Value out : p.outputs)
      outs.push_back(Arg(mapping.lookup(out)));
    OutputOp::create(gb, loc, outs.size() == 1 ? outs[0] : Arg::tuple(outs));
  }

  /// The parent graph calls the submodules in order (after its placeholders) and takes their
  /// results apart; the original nodes go.
  void callSubmodules(GraphOp graph, Partitions &partitions, ArrayRef<int64_t> order) {
    auto placeholders = getPlaceholders(graph);
    OpBuilder parent(&getContext());
    if (placeholders.empty())
      parent.setInsertionPointToStart(&graph.getBodyBlock());
    else
      parent.setInsertionPointAfter(placeholders.back().getOperation());
    llvm::DenseMap<Value, Value> replaced;
    auto current = [&](Value v) { return replaced.count(v) ? replaced[v] : v; };
    for (int64_t id : order) {
      Partition &p = partitions[id];
      std::vector<Arg> callArgs;
      for (Value in : p.inputs)
        callArgs.push_back(Arg(current(in)));
      SmallVector<Type> outTypes;
      for (Value out : p.outputs)
        outTypes.push_back(out.getType());
      Type callType =
          outTypes.size() == 1 ? outTypes[0] : fx::TupleType::get(&getContext(), outTypes);
      Value result = createCallModule(parent, graph, callType, submoduleName(id), callArgs);
      for (auto [i, out] : llvm::enumerate(p.outputs))
        replaced[out] = p.outputs.size() == 1
                            ? result
                            : createCallFunction(parent, graph, out.getType(), "operator.getitem",
                                                 {Arg(result), Arg(parent.getI64IntegerAttr(i))});
    }
    for (OpOperand &use : graph.getOutput()->getOpOperands())
      use.set(current(use.get()));
    for (auto &entry : partitions)
      for (Operation *op : llvm::reverse(entry.second.nodes))
        op->erase();
  }

  void runOnOperation() override {
    GraphOp graph = getOperation().getForward();
    if (!graph)
      return;
    llvm::DenseMap<Operation *, int64_t> partitionOf;
    FailureOr<Partitions> partitions = collectPartitions(graph, partitionOf);
    if (failed(partitions))
      return signalPassFailure();
    connectPartitions(graph, *partitions, partitionOf);
    FailureOr<SmallVector<int64_t>> order = topologicalOrder(graph, *partitions);
    if (failed(order))
      return signalPassFailure();
    OpBuilder moduleBuilder(graph);
    for (int64_t id : *order)
      buildSubmodule(moduleBuilder, graph, (*partitions)[id]);
    callSubmodules(graph, *partitions, *order);
  }
};
} // namespace
