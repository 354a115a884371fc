//===- Passes.td - CPU codegen -----------------------------*- tablegen -*-===//
#ifndef FXMLIR_CODEGEN_CPU_PASSES_TD
#define FXMLIR_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // FXMLIR_CODEGEN_CPU_PASSES_TD
