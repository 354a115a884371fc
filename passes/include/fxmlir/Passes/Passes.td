#ifndef FXMLIR_PASSES_PASSES_TD
#define FXMLIR_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

def FxShapeProp : Pass<"fx-shape-prop", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's ShapeProp: type every node, fold shape arithmetic";
  let description = [{
    Runs the forward graph, as torch.fx's ShapeProp does, on zero-filled inputs of the
    placeholders' types (from the IR or `input-types`) with the reference kernels, and sets each
    node's result type from the value it produced: `tensor<1x64x56x56xf32>`, `!fx.int`,
    `!fx.tuple<...>`. With static shapes, Python-level values (`x.size(1)`, getitem of sizes,
    floordiv, `math.sqrt` of ints) are constants: `fold-shapes` writes them into their users as
    literals and removes the nodes. A target without a reference kernel is named in the error.

    ```mlir
    %x = fx.placeholder "x" : tensor<2x8xf32>
    %size = fx.call_method "size"(%x, 1) : (tensor<2x8xf32>) -> !fx.any
    %view = fx.call_method "view"(%x, %size, -1) : (tensor<2x8xf32>, !fx.any) -> !fx.any
    // becomes
    %x = fx.placeholder "x" : tensor<2x8xf32>
    %view = fx.call_method "view"(%x, 8, -1) : (tensor<2x8xf32>) -> tensor<8x2xf32>
    ```
  }];
  let options = [
    ListOption<"inputTypes", "input-types", "std::string",
               "types of the placeholders, e.g. 1x3x224x224xf32 (overrides the IR)">,
    Option<"foldShapes", "fold-shapes", "bool", "true",
           "replace Python-level values computed from static shapes by literals">,
  ];
}

def FxDeadCodeElimination : Pass<"fx-dce", "::mlir::fx::GraphOp"> {
  let summary = "torch.fx's eliminate_dead_code: remove unused pure nodes";
  let description = [{
    Removes nodes whose results are unused and that have no side effects, last node first.
    Placeholders and impure calls (`torch._assert`, `print`, in-place methods such as `add_`)
    stay, as `Node.is_impure()` says. Upstream `-canonicalize` removes the same nodes, through
    the ops' side-effect interface.
  }];
}

def FxCommonSubexpressionElimination : Pass<"fx-cse", "::mlir::fx::GraphOp"> {
  let summary = "merge pure nodes that compute the same thing";
  let description = [{
    Two pure nodes with the same opcode, target, arguments and operands compute the same value;
    uses of the later one go to the earlier one and the later is erased. Unlike upstream `-cse`,
    node names do not take part in the comparison.
  }];
}

def FxNormalizeArgs : Pass<"fx-normalize-args", "::mlir::fx::GraphOp"> {
  let summary = "one canonical call form per target: defaults filled in, aliases merged";
  let description = [{
    Binds each call_function and call_method with a registered signature, as Python would, and
    rewrites it in the canonical form: the canonical target (`torch.nn.functional.relu`,
    `x.relu()` and `torch.relu` all become `torch.relu`), positional parameters positionally,
    keyword-only ones by keyword, every default filled in. Targets the registry does not know
    are left as they are.
  }];
}

def FxDecomposeModules : Pass<"fx-decompose-modules", "::mlir::fx::GraphModuleOp"> {
  let summary = "call_module of library modules becomes call_functions on their parameters";
  let description = [{
    Each `fx.call_module` of a registered torch.nn module type (Linear, Conv2d, BatchNorm2d in
    eval, LayerNorm, activations, pooling, Dropout as identity, ...) is replaced by its
    decomposition from the op registry, with `fx.get_attr` nodes for its parameters. Modules of
    other types stay.

    ```mlir
    %fc = fx.call_module "fc"(%x) : (tensor<1x4xf32>) -> tensor<1x2xf32>
    // becomes
    %fc_weight = fx.get_attr "fc.weight" : tensor<2x4xf32>
    %fc_bias = fx.get_attr "fc.bias" : tensor<2xf32>
    %linear = fx.call_function "torch.nn.functional.linear"(%x, %fc_weight, %fc_bias) : ...
    ```
  }];
}

def FxConstFold : Pass<"fx-const-fold", "::mlir::fx::GraphModuleOp"> {
  let summary = "evaluate subgraphs that depend only on parameters and constants";
  let description = [{
    Nodes whose inputs are all `get_attr`s and literals (transitively) are evaluated with the
    reference kernels; each value still used by the rest of the graph becomes a new
    `fx.tensor_constant @_folded_N` read by a `get_attr`. Impure nodes are never folded.
  }];
}

def FxReplacePattern : Pass<"fx-replace-pattern", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's subgraph rewriter (replace_pattern)";
  let description = [{
    Reads `pattern-file`, which holds two graph modules, `@pattern` and `@replacement`, whose
    forward graphs take the same placeholders. Every non-overlapping match of the pattern in the
    forward graph (by use-def structure from the pattern's output; placeholders match any
    value; targets and literal arguments must be equal; inner nodes may not be used outside the
    match) is replaced by a copy of the replacement. The number of matches is reported as a
    remark.
  }];
  let options = [
    Option<"patternFile", "pattern-file", "std::string", "\"\"",
           "file with fx.graph_module @pattern and @replacement">,
  ];
}

def FxSplitModule : Pass<"fx-split-module", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's split_module, by the partition number on each node";
  let description = [{
    Every node but placeholders and the output carries an integer `fx.partition` attribute.
    Each partition becomes a submodule `submod_N` with its own `fx.graph @forward` (and copies of
    the parameters and submodules it uses); the forward graph then calls the submodules in
    topological order, passing values between partitions.
  }];
}

def FxToLinalg : Pass<"fx-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower fx graphs to linalg/tensor/arith/math on tensors in func.func";
  let description = [{
    Each `fx.graph` of a top-level `fx.graph_module` becomes `func.func @<module>_<graph>`
    taking the placeholders and returning the output's tensors, flattened in order; the
    graph module is erased. Parameters, buffers and constants become `arith.constant`s of
    their (dense or dense_resource) values. Each `call_function`/`call_method` is lowered by
    its registry entry (ops/lib/*.cpp, `.lowerWith(...)`), with its arguments bound to the
    entry's schema; a call whose arguments are all known at compile time runs the reference
    kernel instead. Needs static types (fx-shape-prop) and no `call_module` nodes
    (fx-decompose-modules). A target without a lowering, or a configuration its lowering does
    not handle, fails the pass with the node and the target named; the lowered type is checked
    against the type shape propagation gave the node.

    The func carries `fx.signature`, e.g. `"x:f32[1,4]->output0:f32[1,5]"`, which the
    runners use to check inputs and allocate outputs. With `weights-as-inputs`, parameters
    and buffers are not embedded: they become arguments after the placeholders, named by
    their qualified names in the signature (`"x:f32[1,4];linear.weight:f32[5,4]->..."`), and
    may be declared without values.

    ```mlir
    fx.graph_module @M {
      fx.graph @forward {
        %x = fx.placeholder "x" : tensor<2x3xf32>
        %relu = fx.call_function "torch.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
        fx.output %relu : tensor<2x3xf32>
      }
    }
    // becomes
    func.func @M_forward(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32>
        attributes {fx.signature = "x:f32[2,3]->output0:f32[2,3]"} {
      %0 = tensor.empty() : tensor<2x3xf32>
      %1 = linalg.generic ... ins(%arg0 : tensor<2x3xf32>) outs(%0 : tensor<2x3xf32>) {
        ^bb0(%in: f32, %out: f32):
          %2 = arith.maximumf %in, %cst : f32
          linalg.yield %2 : f32
      } -> tensor<2x3xf32>
      return %1 : tensor<2x3xf32>
    }
    ```
  }];
  let options = [
    Option<"weightsAsInputs", "weights-as-inputs", "bool", "false",
           "parameters and buffers become inputs after the placeholders, not constants">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

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

def FxCopiesToLinalg : Pass<"fx-copies-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    Bufferization writes padded and sliced tensors with `memref.copy` between strided views.
    The LLVM lowering turns such copies into calls to `memrefCopy` from MLIR's C runner
    utilities, which compiled models must not depend on (they need only libc and libm). This
    pass rewrites every copy whose operands are not both contiguous into `linalg.copy`, which
    becomes plain loops; contiguous copies stay and become `memcpy`. With `all` (the CUDA
    pipeline, where copies between device buffers must run as kernels) every copy is rewritten.

    ```mlir
    memref.copy %a, %b : memref<4x4xf32, strided<[6, 1], offset: 7>> to memref<4x4xf32>
    // becomes
    linalg.copy ins(%a : memref<4x4xf32, strided<[6, 1], offset: 7>>) outs(%b : memref<4x4xf32>)
    ```
  }];
  let options = [
    Option<"all", "all", "bool", "false", "rewrite contiguous copies too">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def FxTileAndVectorize : Pass<"fx-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile matmuls for cache and registers and vectorize them (on tensors)";
  let description = [{
    The first stage of the fast path for contractions: each statically shaped f32
    `linalg.matmul` and `linalg.batch_matmul` is tiled twice (a cache tile, then a register
    tile of `register-tile` rows x columns, its `linalg.fill` fused in), remainder tiles are
    peeled off, the reduction is tiled by one, and the tiles are vectorized (masked where a
    peeled remainder is smaller than the register tile) with the accumulator hoisted out of
    the reduction loop. fx-lower-vectors finishes the job after bufferization. The default
    register tile fits the host: 8x32 with AVX-512 (16 zmm accumulators), 6x16 with AVX2.

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<512x512xf32>, tensor<512x512xf32>) outs(%f : ...)
    // becomes scf.for loops over 64x128 and 8x32 tiles around
    %acc = scf.for %k ... iter_args(%c = %init) -> (vector<8x32xf32>) {
      %x = vector.transfer_read %a[...] : tensor<512x512xf32>, vector<8x1xf32>
      %y = vector.transfer_read %b[...] : tensor<512x512xf32>, vector<1x32xf32>
      %c2 = vector.contract {...} %x, %y, %c : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
      scf.yield %c2 : vector<8x32xf32>
    }
    ```
  }];
  let options = [
    ListOption<"registerTile", "register-tile", "int64_t",
               "rows,columns of the register tile (default: from the host's vector width)">,
    ListOption<"cacheTile", "cache-tile", "int64_t", "rows,columns of the cache tile (default 64,128)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect"];
}

def FxLowerVectors : Pass<"fx-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Lower vectorized tiles to 1-D loads, stores and FMAs (after bufferization)";
  let description = [{
    The second stage of fx-tile-and-vectorize, on buffers: hoists the accumulator's
    transfer_read/transfer_write pair out of reduction loops, then lowers vector.contract to
    outer products (one FMA per row), masks to masked loads and stores, and multi-dimensional
    transfers to 1-D ones, which convert-vector-to-llvm maps to the target's vector
    instructions.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // FXMLIR_PASSES_PASSES_TD
