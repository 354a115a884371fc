//===- NamingTest.cpp - torch.fx's node naming ----------------------------===//
#include "fxmlir/Dialect/FX/Naming.h"

#include <gtest/gtest.h>

using namespace mlir::fx;

TEST(Naming, SnakeCase) {
  EXPECT_EQ(snakeCase("MyModule"), "my_module");
  EXPECT_EQ(snakeCase("relu"), "relu");
  EXPECT_EQ(snakeCase("HTTPServer"), "httpserver");
  EXPECT_EQ(snakeCase("fooBarBaz"), "foo_bar_baz");
}

TEST(Naming, NameForTarget) {
  EXPECT_EQ(nameForTarget("call_function", "operator.add"), "add");
  EXPECT_EQ(nameForTarget("call_function", "torch._C._nn.gelu"), "gelu");
  EXPECT_EQ(nameForTarget("call_function", "getattr"), "getattr");
  EXPECT_EQ(nameForTarget("call_method", "__add__"), "add");
  EXPECT_EQ(nameForTarget("call_module", "layer1.0.conv1"), "layer1.0.conv1");
}

TEST(Naming, NamespaceMatchesTorchFx) {
  NodeNamespace ns;
  EXPECT_EQ(ns.createName("add"), "add");
  EXPECT_EQ(ns.createName("add"), "add_1");
  EXPECT_EQ(ns.createName("add"), "add_2");
  EXPECT_EQ(ns.createName("layer1.0.conv1"), "layer1_0_conv1");
  EXPECT_EQ(ns.createName("layer1.0.conv1"), "layer1_0_conv1_1");
  // Builtins and keywords are never node names.
  EXPECT_EQ(ns.createName("sum"), "sum_1");
  EXPECT_EQ(ns.createName("sum"), "sum_2");
  EXPECT_EQ(ns.createName("getattr"), "getattr_1");
  EXPECT_EQ(ns.createName("if"), "if_1");
  EXPECT_EQ(ns.createName("0"), "_0");
  EXPECT_EQ(ns.createName(""), "_unnamed");
  // An explicit suffix is kept; PyTorch 2.x then counts on from it (1.13 restarts at _1).
  EXPECT_EQ(ns.createName("mul_5"), "mul_5");
  EXPECT_EQ(ns.createName("mul"), "mul");
  EXPECT_EQ(ns.createName("mul"), "mul_6");
  EXPECT_EQ(ns.createName("Ab-c..d"), "Ab_c_d");
}

TEST(Naming, Validity) {
  EXPECT_TRUE(isValidNodeName("layer1_0_conv1"));
  EXPECT_TRUE(isValidNodeName("sum_1"));
  EXPECT_FALSE(isValidNodeName("1x"));
  EXPECT_FALSE(isValidNodeName("a.b"));
  EXPECT_FALSE(isValidNodeName("lambda"));
  EXPECT_FALSE(isValidNodeName(""));
  EXPECT_TRUE(isReservedName("print"));
  EXPECT_TRUE(isReservedName("inf"));
  EXPECT_FALSE(isReservedName("relu"));
}
