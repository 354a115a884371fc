//===- EmulateGpuOnHost.cpp - fx-emulate-gpu-on-host ----------------------===//
//
// Kernels as host loop nests and device buffers as host buffers: the CUDA pipeline's mapping
// runs through the CPU back end, so it can be checked on machines without a GPU.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Codegen/GPU/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXEMULATEGPUONHOST
#include "fxmlir/Codegen/GPU/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {

LogicalResult emulateLaunch(IRRewriter &rewriter, gpu::LaunchOp launch) {
  if (!launch.getBody().hasOneBlock() || launch.getAsyncToken() ||
      !launch.getAsyncDependencies().empty() || launch.hasClusterSize() ||
      launch.getDynamicSharedMemorySize() || !launch.getWorkgroupAttributions().empty() ||
      !launch.getPrivateAttributions().empty())
    return launch.emitError("fx-emulate-gpu-on-host: only synchronous single-block launches "
                            "without cluster or memory attributions can be emulated");
  WalkResult barrier = launch.walk([](gpu::BarrierOp) { return WalkResult::interrupt(); });
  if (barrier.wasInterrupted())
    return launch.emitError("fx-emulate-gpu-on-host: kernels with barriers cannot be emulated");

  Location loc = launch.getLoc();
  rewriter.setInsertionPoint(launch);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  SmallVector<Value> upper = {grid.x, grid.y, grid.z, block.x, block.y, block.z};
  scf::LoopNest nest = scf::buildLoopNest(rewriter, loc, SmallVector<Value>(6, zero), upper,
                                          SmallVector<Value>(6, one));
  // The body's arguments in their order: block ids, thread ids, grid size, block size.
  DenseMap<Value, Value> replacement;
  auto substitute = [&](gpu::KernelDim3 args, ArrayRef<Value> values) {
    replacement[args.x] = values[0];
    replacement[args.y] = values[1];
    replacement[args.z] = values[2];
  };
  SmallVector<Value> ivs = llvm::map_to_vector(
      nest.loops, [](scf::ForOp loop) -> Value { return loop.getInductionVar(); });
  substitute(launch.getBlockIds(), ArrayRef(ivs).take_front(3));
  substitute(launch.getThreadIds(), ArrayRef(ivs).drop_front(3));
  substitute(launch.getGridSize(), ArrayRef(upper).take_front(3));
  substitute(launch.getBlockSize(), ArrayRef(upper).drop_front(3));
  Block &body = launch.getBody().front();
  SmallVector<Value> arguments;
  for (BlockArgument arg : body.getArguments())
    arguments.push_back(replacement.lookup(arg));
  rewriter.eraseOp(body.getTerminator());
  Block *inner = nest.loops.back().getBody();
  rewriter.inlineBlockBefore(&body, inner->getTerminator(), arguments);
  rewriter.eraseOp(launch);
  return success();
}

/// Device memory operations on host memory; anything else of the GPU dialect is an error.
LogicalResult emulateMemory(IRRewriter &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  if (auto alloc = dyn_cast<gpu::AllocOp>(op)) {
    if (alloc.getAsyncToken() || !alloc.getDynamicSizes().empty() ||
        !alloc.getSymbolOperands().empty())
      return op->emitError("fx-emulate-gpu-on-host: only static synchronous allocations");
    rewriter.replaceOpWithNewOp<memref::AllocOp>(op, alloc.getType());
  } else if (auto dealloc = dyn_cast<gpu::DeallocOp>(op)) {
    if (dealloc.getAsyncToken())
      return op->emitError("fx-emulate-gpu-on-host: only synchronous deallocations");
    rewriter.replaceOpWithNewOp<memref::DeallocOp>(op, dealloc.getMemref());
  } else if (auto copy = dyn_cast<gpu::MemcpyOp>(op)) {
    if (copy.getAsyncToken())
      return op->emitError("fx-emulate-gpu-on-host: only synchronous copies");
    rewriter.replaceOpWithNewOp<memref::CopyOp>(op, copy.getSrc(), copy.getDst());
  } else {
    return op->emitError("fx-emulate-gpu-on-host: cannot emulate '") << op->getName() << "'";
  }
  return success();
}

/// Device constants (fx-buffers-to-gpu's resident weights) are the host constants themselves.
void emulateDeviceConstants(ModuleOp module) {
  SmallVector<func::FuncOp> functions;
  for (func::FuncOp function : module.getOps<func::FuncOp>())
    if (function->hasAttr("fx.device_constant_bytes"))
      functions.push_back(function);
  for (func::FuncOp function : functions) {
    if (std::optional<SymbolTable::UseRange> uses = function.getSymbolUses(module))
      for (const SymbolTable::SymbolUse &use : *uses)
        if (auto call = dyn_cast<func::CallOp>(use.getUser())) {
          call.getResult(0).replaceAllUsesWith(call.getOperand(0));
          call.erase();
        }
    if (function.symbolKnownUseEmpty(module))
      function.erase();
  }
}

struct EmulateGpuOnHost : mlir::fx::impl::FxEmulateGpuOnHostBase<EmulateGpuOnHost> {
  void runOnOperation() override {
    emulateDeviceConstants(getOperation());
    IRRewriter rewriter(&getContext());
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp launch) { launches.push_back(launch); });
    for (gpu::LaunchOp launch : launches)
      if (failed(emulateLaunch(rewriter, launch)))
        return signalPassFailure();
    SmallVector<Operation *> memoryOps;
    getOperation().walk([&](Operation *op) {
      if (isa<gpu::GPUDialect>(op->getDialect()))
        memoryOps.push_back(op);
    });
    for (Operation *op : memoryOps)
      if (failed(emulateMemory(rewriter, op)))
        return signalPassFailure();
  }
};

} // namespace
