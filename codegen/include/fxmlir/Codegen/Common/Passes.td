//===- Passes.td - Codegen every target runs ---------------*- tablegen -*-===//
#ifndef FXMLIR_CODEGEN_COMMON_PASSES_TD
#define FXMLIR_CODEGEN_COMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

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

def FxDistinctResults : Pass<"fx-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give every returned tensor a buffer of its own";
  let description = [{
    Before bufferization: a function that returns one tensor twice (`return x, x`, or two
    constants CSE merged) returns the second occurrence as a copy, `bufferization.alloc_tensor`
    of it. Results become out-parameters the caller provides, one buffer each;
    buffer-results-to-out-params cannot split one buffer into two and crashes. CSE does not
    merge allocations, so the copies survive the cleanups that follow.

    ```mlir
    return %0, %0 : tensor<2xf32>, tensor<2xf32>
    // becomes
    %1 = bufferization.alloc_tensor() copy(%0) : tensor<2xf32>
    return %0, %1 : tensor<2xf32>, tensor<2xf32>
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

#endif // FXMLIR_CODEGEN_COMMON_PASSES_TD
