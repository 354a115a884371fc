//===- GraphEditingTest.cpp - torch.fx's graph surgery on the fx dialect --===//
//
// test_fx.py's graph-editing categories: insertion points, replacing uses, updating args and
// kwargs, erasing (and its error), and names made unique.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Export/Export.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::fx;

namespace {
struct GraphEditing : ::testing::Test {
  GraphEditing() {
    ctx.loadDialect<FXDialect>();
    module = parseSourceString<ModuleOp>(R"mlir(
      fx.graph_module @M {
        fx.graph @forward {
          %x = fx.placeholder "x" : tensor<4xf32>
          %relu = fx.call_function "torch.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
          %add = fx.call_function "operator.add"(%relu, 1, alpha = 2) : (tensor<4xf32>) -> tensor<4xf32>
          fx.output %add : tensor<4xf32>
        }
      })mlir", &ctx);
    graph = (*module->getBody()->getOps<GraphModuleOp>().begin()).getForward();
  }
  Operation *node(StringRef name) {
    for (Operation &op : graph.getBodyBlock())
      if (cast<NodeOpInterface>(op).getNodeName() == name)
        return &op;
    return nullptr;
  }
  std::string text() {
    EXPECT_TRUE(succeeded(verify(*module)));
    std::string s;
    llvm::raw_string_ostream os(s);
    printGraphText(graph, os);
    return s;
  }
  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  GraphOp graph;
};
#define EXPECT_HAS(text, piece) EXPECT_NE((text).find(piece), std::string::npos) << (text)
} // namespace

TEST_F(GraphEditing, InsertAfterAndReplaceAllUses) {
  Operation *relu = node("relu");
  OpBuilder b(&ctx);
  b.setInsertionPointAfter(relu); // graph.inserting_after(relu)
  Value neg = createCallFunction(b, graph, relu->getResult(0).getType(), "operator.neg",
                                 {Arg(relu->getResult(0))});
  relu->getResult(0).replaceUsesWithIf(neg, [&](OpOperand &use) {
    return use.getOwner() != neg.getDefiningOp();
  });
  std::string g = text();
  EXPECT_HAS(g, "%neg : [num_users=1] = call_function[target=operator.neg](args = (%relu,), kwargs = {})");
  EXPECT_HAS(g, "call_function[target=operator.add](args = (%neg, 1), kwargs = {alpha: 2})");
}

TEST_F(GraphEditing, UpdateArgsAndKwargs) {
  Operation *add = node("add");
  Builder b(&ctx);
  ASSERT_TRUE(succeeded(updateArg(add, 1, Arg(b.getF64FloatAttr(0.5)))));
  updateKwarg(add, "alpha", Arg(node("x")->getResult(0)));
  updateKwarg(add, "out", Arg(NoneAttr::get(&ctx)));
  EXPECT_HAS(text(), "call_function[target=operator.add](args = (%relu, 0.5), kwargs = {alpha: %x, out: None})");
  EXPECT_TRUE(failed(updateArg(add, 5, Arg(b.getI64IntegerAttr(1)))));
  std::vector<Arg> args = getArgs(add);
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].getValue(), node("relu")->getResult(0));
  EXPECT_EQ(getKwargs(add)[0].first, "alpha");
}

TEST_F(GraphEditing, EraseNodeKeepsUsersSafe) {
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diagnostics += d.str();
    return success();
  });
  EXPECT_TRUE(failed(eraseNode(node("relu"))));
  EXPECT_EQ(diagnostics, "Tried to erase Node relu but it still had 1 users in the graph: {add}!");
  // Bypass relu, then it can go.
  node("relu")->getResult(0).replaceAllUsesWith(node("x")->getResult(0));
  EXPECT_TRUE(succeeded(eraseNode(node("relu"))));
  EXPECT_HAS(text(), "call_function[target=operator.add](args = (%x, 1), kwargs = {alpha: 2})");
}

TEST_F(GraphEditing, NewNodesGetTorchFxNames) {
  OpBuilder b(graph.getOutput());
  Type t = node("x")->getResult(0).getType();
  Value r1 = createCallFunction(b, graph, t, "torch.relu", {Arg(node("add")->getResult(0))});
  Value r2 = createCallMethod(b, graph, t, "relu", {Arg(r1)});
  Value s = createCallFunction(b, graph, t, "torch.sum", {Arg(r2)});
  EXPECT_EQ(cast<NodeOpInterface>(r1.getDefiningOp()).getNodeName(), "relu_1");
  EXPECT_EQ(cast<NodeOpInterface>(r2.getDefiningOp()).getNodeName(), "relu_2");
  EXPECT_EQ(cast<NodeOpInterface>(s.getDefiningOp()).getNodeName(), "sum_1");
}
