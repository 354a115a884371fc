//===- DeadCodeElimination.cpp - fx-dce -----------------------------------===//
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Transforms/RegionUtils.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXDEADCODEELIMINATION
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
struct DeadCodeElimination
    : mlir::fx::impl::FxDeadCodeEliminationBase<DeadCodeElimination> {
  void runOnOperation() override {
    // Last node first, so that a chain of dead nodes goes in one sweep.
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(getOperation().getBodyBlock())))
      if (isOpTriviallyDead(&op))
        op.erase();
  }
};
} // namespace
