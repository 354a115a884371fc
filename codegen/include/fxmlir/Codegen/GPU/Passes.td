//===- Passes.td - NVIDIA GPU codegen ----------------------*- tablegen -*-===//
#ifndef FXMLIR_CODEGEN_GPU_PASSES_TD
#define FXMLIR_CODEGEN_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def FxBuffersToGpu : Pass<"fx-buffers-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Put a compiled graph's buffers in GPU memory; add a host-buffer entry";
  let description = [{
    For the CUDA pipeline, on bufferized graphs (functions with `fx.signature`): intermediate
    `memref.alloc`/`memref.dealloc` become `gpu.alloc`/`gpu.dealloc`, and constants
    (`memref.get_global`, the weights) go through `@fx_device_constant_<n>`, declared here and
    defined by `fx-define-device-constants`: uploaded on first use, then resident. The
    graph `@g` becomes `@g_device`, taking device buffers, and a new `@g` takes host buffers:
    it allocates device buffers, copies the inputs in, calls `@g_device`, copies the outputs
    back and frees the device buffers, so that the same entry points and runner serve the CPU
    and the GPU.

    ```mlir
    func.func @M_forward(%x: memref<4xf32>, %out: memref<4xf32>) attributes {fx.signature = ...}
    // becomes
    func.func @M_forward_device(%x: memref<4xf32>, %out: memref<4xf32>) { ... }
    func.func @M_forward(%x: memref<4xf32>, %out: memref<4xf32>) attributes {fx.signature = ...} {
      %dx = gpu.alloc () : memref<4xf32>
      gpu.memcpy %dx, %x : memref<4xf32>, memref<4xf32>
      ...
      call @M_forward_device(%dx, %dout) : (memref<4xf32>, memref<4xf32>) -> ()
      gpu.memcpy %out, %dout : memref<4xf32>, memref<4xf32>
      ...
    }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect"];
}

def FxLinalgToGpu : Pass<"fx-linalg-to-gpu", "::mlir::func::FuncOp"> {
  let summary = "Run each linalg op on device buffers as one GPU kernel, a thread per output element";
  let description = [{
    For the CUDA pipeline, after `fx-buffers-to-gpu`: every linalg op of the function becomes a
    `gpu.launch` over its parallel iteration space, flattened to one dimension (consecutive
    threads take consecutive elements of the innermost parallel dimension, so elementwise
    kernels read and write coalesced memory). Each thread runs the op's reduction loops itself,
    wherever they are among the dimensions, with its outputs in registers (loaded once, stored
    once); an op without parallel dimensions runs on one thread. A reduction whose output was
    filled before it (directly, or by a copy of a filled buffer) starts from the fill's value,
    and the fill or copy right before it goes; an elementwise op after a reduction that reads
    its output point by point (bias, batch norm, activation after a matmul or convolution) runs
    in the reduction's threads on the value just computed; copies into disjoint windows of one
    buffer (padding: a fill then a copy into a window; concatenation: a copy per input) are one
    kernel. The buffers must be device memory.

    A reduction with fewer parallel points than half of `target-threads` but long
    reductions (at least 256 elements a point; a batch-1 linear layer: 4096 outputs, each a sum of 25088 products; a
    convolution on a 7x7 feature map) would leave most of the GPU idle, so it is split when its
    combiners allow (each output an `arith` op with a neutral element, such as `addf` or
    `maximumf`, of its accumulator and a value independent of all accumulators; on floats or
    integers, without `nnan` or `nsw`/`nuw`, which a reordering could break): a first kernel
    has `ways` threads per point (a power of two, up to 1024, each combining at least 16
    elements) combine every `ways`-th point of the flattened reduction space from the neutral
    element into a temporary `gpu.alloc`ed buffer of partial results; a second kernel, a thread
    per point, combines the partials into the output's start value and runs the epilogue. A
    point's threads are adjacent when the largest input is read along the reduction's innermost
    dimension (coalesced reads of a weight row), else the points are.

    A reduction with more than twice `target-threads` parallel points has each thread compute
    a tile of up to 16 points, along at most two parallel dimensions other than the innermost,
    each one that a large input does not vary with: the body is repeated for each point, so
    that input's loads are shared (a convolution tiled along output channels and rows loads
    8 values for 16 multiply-adds instead of 32).

    With `contract` (the default), the kernels' floating-point arithmetic carries
    `fastmath<contract>`, so that the NVPTX back end fuses multiplies and adds into FMAs (one
    rounding instead of two), as cuBLAS and cuDNN do.

    Afterwards nothing of the function may touch memory on the host: an op that would (one this
    pass does not map) is an error naming it, instead of a crash on the GPU machine.

    ```mlir
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%a : memref<64x16xf32>) outs(%b : memref<64x16xf32>) { ... }
    // becomes
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, ...) threads(%tx, %ty, %tz) in (%c256, ...) {
      // i = (bx * 256 + tx) / 16, j = (bx * 256 + tx) % 16
      ... the body at [i, j] ...
    }
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256", "threads per block">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", "true",
           "run elementwise consumers of reductions in the reductions' kernels">,
    Option<"targetThreads", "target-threads", "int64_t", "::mlir::fx::kGpuTargetThreads",
           "threads a reduction kernel aims for: fewer points than half this many split "
           "their reductions across threads, more than twice as many take several points "
           "a thread (0: neither)">,
    Option<"contract", "contract", "bool", "true",
           "let kernels fuse floating-point multiplies and adds (fastmath<contract>: FMA)">,
    Option<"report", "report", "bool", "false",
           "a remark on each function: its kernels, split reductions, tiled ops, fused "
           "epilogues, folded fills, window-copy kernels (LLVM's pass statistics are off in "
           "release builds)">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect", "::mlir::affine::AffineDialect",
                           "::mlir::memref::MemRefDialect"];
}

def FxEmulateGpuOnHost : Pass<"fx-emulate-gpu-on-host", "::mlir::ModuleOp"> {
  let summary = "Run GPU kernels as host loops, to check a GPU mapping without a GPU";
  let description = [{
    A testing aid for the CUDA pipeline, before kernel outlining: each `gpu.launch` becomes a
    loop nest over its blocks and threads with the body inside (block and thread ids are the
    loop variables), `gpu.alloc`/`gpu.dealloc`/`gpu.memcpy` become `memref.alloc`/
    `memref.dealloc`/`memref.copy`. The result goes through the CPU back end, so the kernels'
    index arithmetic and the device-buffer plumbing can be run and compared with the
    interpreter on any machine (`fx-run --backend=gpu-emulated`). Kernels that synchronise
    threads (`gpu.barrier`) or use shared memory cannot be emulated this way and are rejected.

    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
               threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) { ... }
    // becomes
    scf.for %bx = %c0 to %c4 step %c1 { ... scf.for %tx = %c0 to %c256 step %c1 { ... } }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect"];
}

def FxDefineDeviceConstants : Pass<"fx-define-device-constants", "::mlir::ModuleOp"> {
  let summary = "Define the device-constant functions of fx-buffers-to-gpu on the CUDA runtime";
  let description = [{
    After the LLVM lowering of the CUDA pipeline: each `fx_device_constant_<n>` declaration
    that `fx-buffers-to-gpu` made (a bare-pointer function with `fx.device_constant_bytes`)
    gets a body calling the runtime's `fx_cuda_resident(host, bytes)`, which uploads the
    constant on its first use and returns the same device copy afterwards, so weights embedded
    in a library are copied to the GPU once, not on every call.

    ```mlir
    llvm.func @fx_device_constant_0(!llvm.ptr) -> !llvm.ptr attributes {fx.device_constant_bytes = 128 : i64}
    // becomes
    llvm.func internal @fx_device_constant_0(%host: !llvm.ptr) -> !llvm.ptr {
      %bytes = llvm.mlir.constant(128 : i64) : i64
      %device = llvm.call @fx_cuda_resident(%host, %bytes) : (!llvm.ptr, i64) -> !llvm.ptr
      llvm.return %device : !llvm.ptr
    }
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // FXMLIR_CODEGEN_GPU_PASSES_TD
