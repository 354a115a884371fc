//===- DistinctResults.cpp - fx-distinct-results --------------------------===//
#include "fxmlir/Codegen/Common/Passes.h"

#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXDISTINCTRESULTS
#include "fxmlir/Codegen/Common/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {
struct DistinctResults : mlir::fx::impl::FxDistinctResultsBase<DistinctResults> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (type && !seen.insert(operand.get()).second)
          operand.set(bufferization::AllocTensorOp::create(b, ret.getLoc(), type, ValueRange(),
                                                           operand.get()));
      }
    });
  }
};
} // namespace
