//===- CopiesToLinalg.cpp - fx-copies-to-linalg ---------------------------===//
#include "fxmlir/Codegen/Common/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXCOPIESTOLINALG
#include "fxmlir/Codegen/Common/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {
struct CopiesToLinalg : mlir::fx::impl::FxCopiesToLinalgBase<CopiesToLinalg> {
  using Base::Base;
  void runOnOperation() override {
    getOperation().walk([&](memref::CopyOp copy) {
      auto contiguous = [](Value v) {
        auto type = dyn_cast<MemRefType>(v.getType());
        return type && type.getLayout().isIdentity();
      };
      if (!all && contiguous(copy.getSource()) && contiguous(copy.getTarget()))
        return;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
  }
};
} // namespace
