//===- PurityTest.cpp - torch.fx's side-effectful targets -----------------===//
#include "fxmlir/Dialect/FX/Purity.h"

#include <gtest/gtest.h>

// Side effects are torch.fx's notion, defined on targets (the dialect's), not on registry
// entries: targets without kernels (print, setitem) have them too.
TEST(Purity, TorchFxSideEffectfulTargets) {
  EXPECT_TRUE(mlir::fx::isImpureCall("call_function", "torch._assert"));
  EXPECT_TRUE(mlir::fx::isImpureCall("call_function", "operator.setitem"));
  EXPECT_TRUE(mlir::fx::isImpureCall("call_method", "add_"));
  EXPECT_FALSE(mlir::fx::isImpureCall("call_method", "__add__"));
  EXPECT_FALSE(mlir::fx::isImpureCall("call_function", "torch.relu"));
}
