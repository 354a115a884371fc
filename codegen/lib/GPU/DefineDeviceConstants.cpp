//===- DefineDeviceConstants.cpp - fx-define-device-constants -------------===//
//
// The bodies of fx-buffers-to-gpu's device-constant functions, once they are LLVM functions on
// bare pointers: a call to the CUDA runtime's cache of resident constants.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Codegen/GPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXDEFINEDEVICECONSTANTS
#include "fxmlir/Codegen/GPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kBytesAttr = "fx.device_constant_bytes";

struct DefineDeviceConstants
    : mlir::fx::impl::FxDefineDeviceConstantsBase<DefineDeviceConstants> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    LLVM::LLVMFuncOp resident;
    for (auto function : llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>())) {
      auto bytes = function->getAttrOfType<IntegerAttr>(kBytesAttr);
      if (!bytes)
        continue;
      if (!function.isExternal() ||
          function.getFunctionType() != LLVM::LLVMFunctionType::get(ptr, {ptr})) {
        function.emitError("fx-define-device-constants: expected a declaration taking and "
                           "returning a bare pointer");
        return signalPassFailure();
      }
      OpBuilder b(context);
      if (!resident) {
        resident = module.lookupSymbol<LLVM::LLVMFuncOp>("fx_cuda_resident");
        if (!resident) {
          b.setInsertionPointToStart(module.getBody());
          resident = LLVM::LLVMFuncOp::create(b, module.getLoc(), "fx_cuda_resident",
                                              LLVM::LLVMFunctionType::get(ptr, {ptr, i64}));
        }
      }
      function->removeAttr(kBytesAttr);
      function->removeAttr("sym_visibility");
      function.setLinkage(LLVM::Linkage::Internal);
      Block *body = function.addEntryBlock(b);
      b.setInsertionPointToStart(body);
      Location loc = function.getLoc();
      Value size = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(bytes.getInt()));
      auto call = LLVM::CallOp::create(b, loc, resident, ValueRange{body->getArgument(0), size});
      LLVM::ReturnOp::create(b, loc, call.getResult());
    }
  }
};

} // namespace
