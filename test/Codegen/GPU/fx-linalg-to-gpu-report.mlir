// RUN: fx-opt %s -verify-diagnostics --pass-pipeline="builtin.module(func.func(fx-linalg-to-gpu{report=true}))" -o /dev/null

// fx-linalg-to-gpu{report} sums up what it did to each function with linalg ops (as
// bench/gpu-kernel-stats.sh prints for the GPU check's models): a batch-1 linear layer split
// (two kernels), its fill folded and its bias fused; a padding (fill + copy) as one kernel.
// expected-remark @below {{fx-linalg-to-gpu: @report: 3 kernels; 1 split reductions, 0 tiled ops, 1 fused epilogues, 1 folded fills, 1 window-copy kernels}}
func.func @report(%x: memref<1x256xf32>, %w: memref<64x256xf32>, %bias: memref<64xf32>,
                  %y: memref<1x64xf32>, %out: memref<1x64xf32>, %padded: memref<1x68xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (j, k)>,
                                   affine_map<(i, j, k) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<1x256xf32>, memref<64x256xf32>) outs(%y : memref<1x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                                   affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%y, %bias : memref<1x64xf32>, memref<64xf32>) outs(%out : memref<1x64xf32>) {
  ^bb0(%v: f32, %c: f32, %o: f32):
    %r = arith.addf %v, %c : f32
    linalg.yield %r : f32
  }
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x68xf32>)
  %window = memref.subview %padded[0, 2] [1, 64] [1, 1] : memref<1x68xf32> to memref<1x64xf32, strided<[68, 1], offset: 2>>
  linalg.copy ins(%out : memref<1x64xf32>) outs(%window : memref<1x64xf32, strided<[68, 1], offset: 2>>)
  return
}

// A function without linalg ops gets no remark.
func.func @nothing() {
  return
}
