//===- GraphBuilderTest.cpp - Building graphs with the C++ API ------------===//
//
// Builds torch.fx's MyModule example through the op builders, checks that it verifies, and that
// it prints as torch.fx prints it.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Export/Export.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::fx;

namespace {
struct GraphBuilder : ::testing::Test {
  GraphBuilder() { ctx.loadDialect<FXDialect>(); }

  /// self.linear(x + self.param).clamp(min=0.0, max=1.0)
  OwningOpRef<ModuleOp> buildMyModule() {
    OpBuilder b(&ctx);
    Location loc = b.getUnknownLoc();
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    b.setInsertionPointToEnd(module->getBody());
    auto gm = GraphModuleOp::create(b, loc, "MyModule");
    b.setInsertionPointToEnd(&gm.getBodyBlock());
    auto t34 = RankedTensorType::get({3, 4}, b.getF32Type());
    auto t35 = RankedTensorType::get({3, 5}, b.getF32Type());
    ParameterOp::create(b, loc, "param", t34, ElementsAttr());
    auto linear = SubmoduleOp::create(b, loc, "linear", "torch.nn.Linear");
    auto graph = GraphOp::create(b, loc, "forward");

    b.setInsertionPointToEnd(&graph.getBodyBlock());
    Value x = PlaceholderOp::create(b, loc, t34, "x", "x", Attribute());
    Value param = GetAttrOp::create(b, loc, t34, "param", "param");
    Value add = CallFunctionOp::create(b, loc, t34, "add", "operator.add", {x, param});
    Value lin = CallModuleOp::create(b, loc, t35, "linear", "linear", {add});
    Value clamp = CallMethodOp::create(
        b, loc, t35, "clamp", "clamp", {lin},
        {{"min", Arg(b.getF64FloatAttr(0.0))}, {"max", Arg(b.getF64FloatAttr(1.0))}});
    OutputOp::create(b, loc, Arg(clamp));
    (void)linear;
    return module;
  }

  MLIRContext ctx;
};
} // namespace

TEST_F(GraphBuilder, MyModuleVerifiesAndPrintsLikeTorchFx) {
  OwningOpRef<ModuleOp> module = buildMyModule();
  ASSERT_TRUE(succeeded(verify(*module)));
  auto gm = *module->getBody()->getOps<GraphModuleOp>().begin();
  std::string text;
  llvm::raw_string_ostream os(text);
  printGraphText(gm.getForward(), os);
  EXPECT_EQ(text, "graph():\n"
                  "    %x : [num_users=1] = placeholder[target=x]\n"
                  "    %param : [num_users=1] = get_attr[target=param]\n"
                  "    %add : [num_users=1] = call_function[target=operator.add](args = (%x, "
                  "%param), kwargs = {})\n"
                  "    %linear : [num_users=1] = call_module[target=linear](args = (%add,), "
                  "kwargs = {})\n"
                  "    %clamp : [num_users=1] = call_method[target=clamp](args = (%linear,), "
                  "kwargs = {min: 0.0, max: 1.0})\n"
                  "    return clamp\n");
}

TEST_F(GraphBuilder, NestedOutputAndNodeInterface) {
  OwningOpRef<ModuleOp> module = buildMyModule();
  auto gm = *module->getBody()->getOps<GraphModuleOp>().begin();
  GraphOp graph = gm.getForward();
  ASSERT_EQ(getPlaceholders(graph).size(), 1u);
  OutputOp out = graph.getOutput();
  Value clamp = out.getInputs()[0];
  // Replace the output with a nested structure: (clamp, {"x": clamp}, None).
  OpBuilder b(out);
  Builder lits(&ctx);
  OutputOp::create(b, out.getLoc(),
                   Arg::tuple({Arg(clamp), Arg::dict({{lits.getStringAttr("x"), Arg(clamp)}}),
                               Arg(NoneAttr::get(&ctx))}));
  out.erase();
  ASSERT_TRUE(succeeded(verify(*module)));
  std::string text;
  llvm::raw_string_ostream os(text);
  printGraphText(graph, os);
  EXPECT_NE(text.find("%clamp : [num_users=1]"), std::string::npos) << text;
  EXPECT_NE(text.find("return (clamp, {'x': clamp}, None)"), std::string::npos) << text;

  auto node = cast<NodeOpInterface>(clamp.getDefiningOp());
  EXPECT_EQ(node.getOpcode(), "call_method");
  EXPECT_EQ(node.getNodeName(), "clamp");
  EXPECT_EQ(cast<DictAttr>(node.getNodeKwargs()).size(), 2u);
}

TEST_F(GraphBuilder, VerifierReportsDanglingTarget) {
  OwningOpRef<ModuleOp> module = buildMyModule();
  auto gm = *module->getBody()->getOps<GraphModuleOp>().begin();
  // Remove the declaration that get_attr "param" names.
  for (auto p : llvm::make_early_inc_range(gm.getBodyBlock().getOps<ParameterOp>()))
    p.erase();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diagnostics += d.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(diagnostics.find("references nonexistent attribute param of the root module"),
            std::string::npos)
      << diagnostics;
}
