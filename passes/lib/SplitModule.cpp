//===- SplitModule.cpp - fx-split-module ----------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Passes/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

#include <map>

namespace mlir::fx {
#define GEN_PASS_DEF_FXSPLITMODULE
#include "fxmlir/Passes/Passes.h.inc"
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

  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    GraphOp graph = module.getForward();
    if (!graph)
      return;
    std::map<int64_t, Partition> partitions;
    llvm::DenseMap<Operation *, int64_t> partitionOf;
    for (Operation &op : graph.getBodyBlock()) {
      if (isa<PlaceholderOp, OutputOp>(op))
        continue;
      auto id = op.getAttrOfType<IntegerAttr>("fx.partition");
      if (!id) {
        op.emitError("node %") << cast<NodeOpInterface>(op).getNodeName()
                               << " has no integer fx.partition attribute";
        return signalPassFailure();
      }
      Partition &p = partitions[id.getInt()];
      p.id = id.getInt();
      p.nodes.push_back(&op);
      partitionOf[&op] = id.getInt();
    }
    // Inputs, outputs and dependencies of each partition.
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
    // Topological order of partitions (torch.fx's split_module rejects cycles too).
    SmallVector<int64_t> order;
    std::map<int64_t, int> state;
    std::function<bool(int64_t)> visit = [&](int64_t id) {
      if (state[id] == 2)
        return true;
      if (state[id] == 1)
        return false;
      state[id] = 1;
      for (int64_t dep : partitions[id].dependsOn)
        if (!visit(dep))
          return false;
      state[id] = 2;
      order.push_back(id);
      return true;
    };
    for (auto &[id, p] : partitions)
      if (!visit(id)) {
        graph.emitError("fx-split-module: partitions have a cyclic dependency (through "
                        "partition ")
            << id << ")";
        return signalPassFailure();
      }

    MLIRContext *ctx = &getContext();
    OpBuilder moduleBuilder(ctx);
    moduleBuilder.setInsertionPoint(graph);
    auto placeholders = getPlaceholders(graph);
    OpBuilder parent(ctx);
    parent.setInsertionPointAfter(placeholders.empty() ? &graph.getBodyBlock().front()
                                                       : placeholders.back().getOperation());
    if (placeholders.empty())
      parent.setInsertionPointToStart(&graph.getBodyBlock());
    // Each partition becomes a submodule with its own graph (built from the original nodes,
    // before anything is rewired).
    for (int64_t id : order) {
      Partition &p = partitions[id];
      auto sub = SubmoduleOp::create(moduleBuilder, graph.getLoc(), "submod_" + std::to_string(id),
                                     "torch.fx.graph_module.GraphModule");
      OpBuilder sb = OpBuilder::atBlockEnd(&sub.getBodyBlock());
      auto subGraph = GraphOp::create(sb, graph.getLoc(), "forward");
      OpBuilder gb = OpBuilder::atBlockEnd(&subGraph.getBodyBlock());
      IRMapping mapping;
      for (Value in : p.inputs) {
        StringRef inName = cast<NodeOpInterface>(in.getDefiningOp()).getNodeName();
        mapping.map(in, PlaceholderOp::create(gb, graph.getLoc(), in.getType(), inName, inName,
                                              Attribute())
                            .getResult());
      }
      for (Operation *op : p.nodes) {
        Operation *clone = gb.clone(*op, mapping);
        clone->removeAttr("fx.partition");
        if (auto g = dyn_cast<GetAttrOp>(op))
          copyTarget(module, sub, g.getTarget());
        if (auto c = dyn_cast<CallModuleOp>(op))
          copyTarget(module, sub, c.getTarget());
      }
      std::vector<Arg> outs;
      for (Value out : p.outputs)
        outs.push_back(Arg(mapping.lookup(out)));
      OutputOp::create(gb, graph.getLoc(), outs.size() == 1 ? outs[0] : Arg::tuple(outs));
    }

    // The parent calls the submodules in order and takes their results apart.
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
      Type callType = outTypes.size() == 1 ? outTypes[0] : fx::TupleType::get(ctx, outTypes);
      Value result = createCallModule(parent, graph, callType, "submod_" + std::to_string(id),
                                      callArgs);
      for (auto [i, out] : llvm::enumerate(p.outputs))
        replaced[out] = p.outputs.size() == 1
                            ? result
                            : createCallFunction(parent, graph, out.getType(), "operator.getitem",
                                                 {Arg(result), Arg(parent.getI64IntegerAttr(i))});
    }
    OutputOp output = graph.getOutput();
    for (OpOperand &use : output->getOpOperands())
      use.set(current(use.get()));
    for (auto &[id, p] : partitions)
      for (Operation *op : llvm::reverse(p.nodes))
        op->erase();
  }
};
} // namespace
