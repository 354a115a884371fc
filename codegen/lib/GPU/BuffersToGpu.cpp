//===- BuffersToGpu.cpp - fx-buffers-to-gpu -------------------------------===//
#include "fxmlir/Codegen/GPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXBUFFERSTOGPU
#include "fxmlir/Codegen/GPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {

Value deviceAlloc(OpBuilder &b, Location loc, MemRefType type) {
  return gpu::AllocOp::create(b, loc, type, Type(), ValueRange{}, ValueRange{}, ValueRange{},
                              /*hostShared=*/false)
      .getMemref();
}

void copy(OpBuilder &b, Location loc, Value dst, Value src) {
  gpu::MemcpyOp::create(b, loc, Type(), ValueRange{}, dst, src);
}

/// `@fx_device_constant_<n>(memref<T>) -> memref<T>` for constants of type `type`: the device
/// copy of a constant, uploaded on first use and kept (fx-define-device-constants defines it).
func::FuncOp deviceConstantFunction(ModuleOp module, MemRefType type,
                                    DenseMap<Type, func::FuncOp> &functions) {
  func::FuncOp &function = functions[type];
  if (function)
    return function;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  std::string name = "fx_device_constant_" + std::to_string(functions.size() - 1);
  function = func::FuncOp::create(b, module.getLoc(), name,
                                  b.getFunctionType({type}, {type}));
  function.setPrivate();
  int64_t bytes = type.getNumElements() * llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  function->setAttr("fx.device_constant_bytes", b.getI64IntegerAttr(bytes));
  return function;
}

/// Device memory for everything the graph touches.
void moveToDevice(func::FuncOp func, DenseMap<Type, func::FuncOp> &constantFunctions) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) {
    if (isa<memref::AllocOp, memref::DeallocOp, memref::GetGlobalOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    OpBuilder b(op);
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      alloc.replaceAllUsesWith(deviceAlloc(b, op->getLoc(), alloc.getType()));
    } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      gpu::DeallocOp::create(b, op->getLoc(), Type(), ValueRange{}, dealloc.getMemref());
    } else {
      // A constant (weights): resident on the device from its first use on.
      auto global = cast<memref::GetGlobalOp>(op);
      b.setInsertionPointAfter(op);
      func::FuncOp upload = deviceConstantFunction(func->getParentOfType<ModuleOp>(),
                                                   global.getType(), constantFunctions);
      auto device = func::CallOp::create(b, op->getLoc(), upload, ValueRange{global.getResult()});
      global.getResult().replaceAllUsesExcept(device.getResult(0), device);
      continue;
    }
    op->erase();
  }
}

struct BuffersToGpu : mlir::fx::impl::FxBuffersToGpuBase<BuffersToGpu> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    DenseMap<Type, func::FuncOp> constantFunctions;
    SmallVector<func::FuncOp> graphs;
    for (func::FuncOp f : module.getOps<func::FuncOp>())
      if (f->hasAttr("fx.signature"))
        graphs.push_back(f);
    for (func::FuncOp graph : graphs) {
      for (Type t : graph.getArgumentTypes())
        if (!isa<MemRefType>(t) || !cast<MemRefType>(t).hasStaticShape()) {
          graph.emitError("fx-buffers-to-gpu: graph arguments must be static buffers, got ") << t;
          return signalPassFailure();
        }
      moveToDevice(graph, constantFunctions);
      std::string name = graph.getName().str();
      Attribute signature = graph->getAttr("fx.signature");
      graph->removeAttr("fx.signature");
      // Public: callers with data on the GPU use it directly (no copies).
      graph.setName(name + "_device");
      graph->setAttr("fx.device_entry", UnitAttr::get(module.getContext()));
      // The host-buffer entry under the graph's name.
      OpBuilder b(module.getContext());
      b.setInsertionPointAfter(graph);
      Location loc = graph.getLoc();
      auto host = func::FuncOp::create(b, loc, name, graph.getFunctionType());
      host->setAttr("fx.signature", signature);
      Block *entry = host.addEntryBlock();
      b.setInsertionPointToStart(entry);
      unsigned numInputs = (unsigned)llvm::count(cast<StringAttr>(signature).getValue().split("->").first, ':');
      SmallVector<Value> device;
      for (auto [i, arg] : llvm::enumerate(entry->getArguments())) {
        device.push_back(deviceAlloc(b, loc, cast<MemRefType>(arg.getType())));
        if (i < numInputs)
          copy(b, loc, device.back(), arg);
      }
      func::CallOp::create(b, loc, graph, device);
      for (auto [i, arg] : llvm::enumerate(entry->getArguments()))
        if (i >= numInputs)
          copy(b, loc, arg, device[i]);
      for (Value d : device)
        gpu::DeallocOp::create(b, loc, Type(), ValueRange{}, d);
      func::ReturnOp::create(b, loc);
    }
  }
};

} // namespace
