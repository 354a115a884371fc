// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(func.func(fx-linalg-to-gpu{block-size=256}, canonicalize))" | FileCheck %s
// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline="builtin.module(func.func(fx-linalg-to-gpu{target-threads=64}, canonicalize, cse))" | FileCheck %s --check-prefix=TILE

// An elementwise op: 1024 points, 4 blocks of 256 threads, no bounds guard; the innermost
// dimension (16) is the fastest.
// CHECK-LABEL: func.func @elementwise
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C4]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C256]],
// CHECK: %[[BASE:.*]] = arith.muli %[[BX]], %{{.*}} : index
// CHECK: %[[LINEAR:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK-NOT: scf.if
// CHECK: %[[J:.*]] = arith.remui %[[LINEAR]], %{{.*}} : index
// CHECK: %[[I:.*]] = arith.divui %[[LINEAR]], %{{.*}} : index
// CHECK-NOT: scf.for
// CHECK: %[[A:.*]] = memref.load %{{.*}}[%[[I]], %[[J]]] : memref<64x16xf32>
// CHECK: arith.maximumf %[[A]]
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]] : memref<64x16xf32>
// CHECK: gpu.terminator
#id = affine_map<(i, j) -> (i, j)>
func.func @elementwise(%a: memref<64x16xf32>, %b: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x16xf32>) outs(%b : memref<64x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A matmul: a thread per output element, the reduction loop inside it with the accumulator in
// a register; 5 x 3 = 15 points fit one block of 15 threads. Multiplies and adds may contract
// into FMAs.
// CHECK-LABEL: func.func @matmul
// CHECK: gpu.launch
// CHECK-SAME: threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c15,
// CHECK: %[[J:.*]] = arith.remui
// CHECK: %[[I:.*]] = arith.divui
// CHECK: %[[INIT:.*]] = memref.load %[[C:.*]][%[[I]], %[[J]]] : memref<5x3xf32>
// CHECK: %[[SUM:.*]] = scf.for %[[K:.*]] = %{{.*}} to %c7 step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32)
// CHECK: memref.load %{{.*}}[%[[I]], %[[K]]] : memref<5x7xf32>
// CHECK: memref.load %{{.*}}[%[[K]], %[[J]]] : memref<7x3xf32>
// CHECK-NOT: memref.store
// CHECK: arith.addf %[[ACC]], %{{.*}} fastmath<contract> : f32
// CHECK: scf.yield
// CHECK: memref.store %[[SUM]], %[[C]][%[[I]], %[[J]]] : memref<5x3xf32>
func.func @matmul(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %c: memref<5x3xf32>) {
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%c : memref<5x3xf32>)
  return
}

// -----

// A reduction over the leading dimension: the thread's coordinate is the second one; 100
// points in blocks of 256 threads: one block of 100.
// CHECK-LABEL: func.func @column_sum
// CHECK: gpu.launch
// CHECK-SAME: threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c100,
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %c8
// CHECK: memref.load %{{.*}}[%[[I]], %[[TX]]] : memref<8x100xf32>
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[TX]]] : memref<100xf32>
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (j)>
func.func @column_sum(%a: memref<8x100xf32>, %s: memref<100xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "parallel"]}
      ins(%a : memref<8x100xf32>) outs(%s : memref<100xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// More points than a whole number of blocks: threads past the end do nothing.
// CHECK-LABEL: func.func @guarded
// CHECK: gpu.launch blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c4,
// CHECK: %[[LINEAR:.*]] = arith.addi
// CHECK: %[[INSIDE:.*]] = arith.cmpi ult, %[[LINEAR]], %c1000 : index
// CHECK: scf.if %[[INSIDE]]
// CHECK-NOT: linalg.index
// CHECK: arith.index_cast %[[LINEAR]] : index to i32
func.func @guarded(%out: memref<1000xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      outs(%out : memref<1000xf32>) {
  ^bb0(%y: f32):
    %i = linalg.index 0 : index
    %n = arith.index_cast %i : index to i32
    %f = arith.sitofp %n : i32 to f32
    linalg.yield %f : f32
  }
  return
}

// -----

// A full reduction has no parallel dimension: one thread runs it (15 elements are too few to
// split: each thread of a split combines at least 16).
// CHECK-LABEL: func.func @total
// CHECK-NOT: gpu.alloc
// CHECK: gpu.launch blocks(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c1, {{.*}} threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c1,
// CHECK: %[[INIT:.*]] = memref.load %{{.*}}[] : memref<f32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]])
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<15xf32>
// CHECK-NOT: gpu.launch
func.func @total(%a: memref<15xf32>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>],
                  iterator_types = ["reduction"]}
      ins(%a : memref<15xf32>) outs(%s : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A batch-1 linear layer: 64 dot products of 256 elements would be 64 threads. Split 16 ways
// (each thread then combines 256 / 16 = 16 elements): 1024 threads combine every 16th product
// into partial sums, starting from addf's neutral element (0, as the fill's); a point's 16 threads are adjacent,
// since the weight is read along the reduction (thread (p, s) reads w[p][s], w[p][s + 16], ...).
// Then a thread per output adds its 16 partials to the fill's value and runs the bias epilogue.
// CHECK-LABEL: func.func @split_linear
// CHECK-SAME: (%[[X:[^:]*]]: memref<1x256xf32>, %[[W:[^:]*]]: memref<64x256xf32>, %[[BIAS:[^:]*]]: memref<64xf32>, %[[Y:[^:]*]]: memref<1x64xf32>, %[[OUT:[^:]*]]: memref<1x64xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PARTIALS:.*]] = gpu.alloc () : memref<64x16xf32>
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c4, {{.*}} threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c256,
// CHECK: %[[LINEAR:.*]] = arith.addi
// CHECK: %[[SLICE:.*]] = arith.remui %[[LINEAR]], %c16
// CHECK: %[[POINT:.*]] = arith.divui %[[LINEAR]], %c16
// CHECK: %[[J:.*]] = arith.remui %[[POINT]], %c64
// CHECK: %[[PARTIAL:.*]] = scf.for %[[K:.*]] = %[[SLICE]] to %c256 step %c16 iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK: memref.load %[[W]][%[[J]], %[[K]]] : memref<64x256xf32>
// CHECK: memref.store %[[PARTIAL]], %[[PARTIALS]][%[[POINT]], %[[SLICE]]] : memref<64x16xf32>
// CHECK: gpu.terminator
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, {{.*}} threads(%[[TX2:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c64,
// CHECK: %[[SUM:.*]] = scf.for %[[S:.*]] = %c0 to %c16 step %c1 iter_args(%[[TOTAL:.*]] = %[[ZERO]]) -> (f32)
// CHECK: %[[P:.*]] = memref.load %[[PARTIALS]][%[[TX2]], %[[S]]] : memref<64x16xf32>
// CHECK: arith.addf %[[TOTAL]], %[[P]] fastmath<contract> : f32
// CHECK: memref.store %[[SUM]], %[[Y]]
// CHECK: memref.load %[[BIAS]]
// CHECK: memref.store %{{.*}}, %[[OUT]]
// CHECK: gpu.terminator
// CHECK: gpu.dealloc %[[PARTIALS]] : memref<64x16xf32>
// CHECK-NOT: gpu.launch
func.func @split_linear(%x: memref<1x256xf32>, %w: memref<64x256xf32>, %bias: memref<64xf32>,
                        %y: memref<1x64xf32>, %out: memref<1x64xf32>) {
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
  return
}

// -----

// A column maximum read across rows: the 8 columns' threads are adjacent (coalesced reads of a
// row), partials are [slice][column]. maximumf's neutral element is -inf.
// CHECK-LABEL: func.func @split_column_max
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PARTIALS:.*]] = gpu.alloc () : memref<32x8xf32>
// CHECK: gpu.launch
// CHECK: %[[COLUMN:.*]] = arith.remui %{{.*}}, %c8
// CHECK: %[[SLICE:.*]] = arith.divui %{{.*}}, %c8
// CHECK: scf.for %[[ROW:.*]] = %[[SLICE]] to %c512 step %c32 iter_args(%{{.*}} = %[[NEGINF]])
// CHECK: memref.load %{{.*}}[%[[ROW]], %[[COLUMN]]] : memref<512x8xf32>
// CHECK: arith.maximumf
// CHECK: memref.store %{{.*}}, %[[PARTIALS]][%[[SLICE]], %[[COLUMN]]] : memref<32x8xf32>
// CHECK: gpu.launch
// CHECK: memref.load %[[PARTIALS]][%{{.*}}, %{{.*}}] : memref<32x8xf32>
// CHECK: arith.maximumf
// CHECK: gpu.dealloc %[[PARTIALS]]
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (j)>
func.func @split_column_max(%a: memref<512x8xf32>, %m: memref<8xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "parallel"]}
      ins(%a : memref<512x8xf32>) outs(%m : memref<8xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.maximumf %acc, %x : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A reduction whose accumulator goes through more than one op (acc * 0.5 + x) has no combiner
// to split it with: one kernel, a thread per point.
// CHECK-LABEL: func.func @unsplittable
// CHECK-NOT: gpu.alloc
// CHECK: gpu.launch
// CHECK: scf.for %{{.*}} = %c0 to %c4096 step %c1
// CHECK-NOT: gpu.launch
func.func @unsplittable(%a: memref<4x4096xf32>, %s: memref<4xf32>) {
  %half = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [affine_map<(i, k) -> (i, k)>, affine_map<(i, k) -> (i)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x4096xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %h = arith.mulf %acc, %half : f32
    %r = arith.addf %h, %x : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// With many more points than the target (512 for 64 threads: up to 8 points a thread), each
// thread computes a tile: 4 output channels (the input does not vary with them) times 2 rows
// (the weight does not); the width, innermost, stays one per thread. 8 accumulators, and per
// step 2 input loads and 4 weight loads for 8 multiply-adds.
// By default (a target of 131072 threads) the same op has a thread per point.
// CHECK-LABEL: func.func @tiled_conv
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2, {{.*}} threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c256,
// CHECK: scf.for {{.*}} -> (f32) {
// TILE-LABEL: func.func @tiled_conv
// TILE-SAME: (%[[X:[^:]*]]: memref<1x4x10x10xf32>, %[[W:[^:]*]]: memref<8x4x3x3xf32>, %[[Y:[^:]*]]: memref<1x8x8x8xf32>)
// TILE: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, {{.*}} threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %c64,
// TILE: %[[COL:.*]] = arith.remui %[[TX]], %c8
// TILE: %[[R:.*]] = arith.divui %[[TX]], %c8
// TILE: %[[ROWS:.*]] = arith.remui %[[R]], %c4
// TILE: %[[R2:.*]] = arith.divui %[[R]], %c4
// TILE: %[[CHANNELS:.*]] = arith.remui %[[R2]], %c2
// TILE: %[[F0:.*]] = arith.muli %[[CHANNELS]], %c4
// TILE: %[[H0:.*]] = arith.muli %[[ROWS]], %c2
// TILE-COUNT-8: memref.load %[[Y]]
// TILE: scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32)
// TILE: scf.for
// TILE: scf.for
// TILE: memref.load %[[X]]
// TILE: memref.load %[[W]]
// TILE: memref.load %[[X]]
// TILE-COUNT-3: memref.load %[[W]]
// TILE-NOT: memref.load
// TILE: scf.yield
// TILE-COUNT-8: memref.store %{{.*}}, %[[Y]]
func.func @tiled_conv(%x: memref<1x4x10x10xf32>, %w: memref<8x4x3x3xf32>, %y: memref<1x8x8x8xf32>) {
  linalg.conv_2d_nchw_fchw ins(%x, %w : memref<1x4x10x10xf32>, memref<8x4x3x3xf32>)
      outs(%y : memref<1x8x8x8xf32>)
  return
}

// -----

// A fill that the reduction after it overwrites completely is folded into it: the accumulator
// starts at the fill's value, and one kernel does what two did.
// CHECK-LABEL: func.func @fill_then_matmul
// CHECK-SAME: %[[C:[^:]*]]: memref<5x3xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch
// CHECK-NOT: memref.load %[[C]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (f32)
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK-NOT: gpu.launch
func.func @fill_then_matmul(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %c: memref<5x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<5x3xf32>)
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%c : memref<5x3xf32>)
  return
}

// -----

// The start of a convolution's accumulators through a copy of a zero-filled buffer (what
// bufferization writes when the zeros are reused): the copy goes, the fill stays (the second
// reduction starts from it too).
// CHECK-LABEL: func.func @copied_zeros
// CHECK-SAME: %[[C:[^:]*]]: memref<5x3xf32>, %[[D:[^:]*]]: memref<5x3xf32>, %[[ZEROS:[^:]*]]: memref<5x3xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: gpu.launch
// CHECK: memref.store %[[ZERO]], %[[ZEROS]]
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (f32)
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (f32)
// CHECK: memref.store %{{.*}}, %[[D]]
// CHECK-NOT: gpu.launch
func.func @copied_zeros(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %c: memref<5x3xf32>,
                        %d: memref<5x3xf32>, %zeros: memref<5x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%zeros : memref<5x3xf32>)
  linalg.copy ins(%zeros : memref<5x3xf32>) outs(%c : memref<5x3xf32>)
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%c : memref<5x3xf32>)
  linalg.copy ins(%zeros : memref<5x3xf32>) outs(%d : memref<5x3xf32>)
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%d : memref<5x3xf32>)
  return
}

// -----

// An empty reduction still writes its output: the start value (the empty loop folds away).
// CHECK-LABEL: func.func @empty_reduction
// CHECK-SAME: %[[S:[^:]*]]: memref<4xf32>
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: gpu.launch
// CHECK: memref.store %[[ONE]], %[[S]]
func.func @empty_reduction(%a: memref<4x0xf32>, %s: memref<4xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%s : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x0xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A fill of another buffer stays a kernel of its own.
// CHECK-LABEL: func.func @fill_elsewhere
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}} : memref<5x3xf32>
// CHECK: scf.for
func.func @fill_elsewhere(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %c: memref<5x3xf32>,
                          %d: memref<5x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%d : memref<5x3xf32>)
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%c : memref<5x3xf32>)
  return
}

// -----

// Bias and ReLU after a matmul run in the matmul's threads, on the value each just computed.
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: %[[C:[^:]*]]: memref<5x3xf32>, %[[D:[^:]*]]: memref<5x3xf32>
// CHECK: gpu.launch
// CHECK: %[[J:.*]] = arith.remui
// CHECK: %[[SUM:.*]] = scf.for
// CHECK: memref.store %[[SUM]], %[[C]]
// CHECK: %[[BIAS:.*]] = memref.load %{{.*}}[%[[J]]] : memref<3xf32>
// CHECK: %[[ADD:.*]] = arith.addf %[[SUM]], %[[BIAS]]
// CHECK: %[[RELU:.*]] = arith.maximumf %[[ADD]]
// CHECK: memref.store %[[RELU]], %[[D]]
// CHECK-NOT: gpu.launch
#rows = affine_map<(i, j) -> (i, j)>
#bias = affine_map<(i, j) -> (j)>
func.func @matmul_bias_relu(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %bias: memref<3xf32>,
                            %c: memref<5x3xf32>, %d: memref<5x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<5x3xf32>)
  linalg.matmul ins(%a, %b : memref<5x7xf32>, memref<7x3xf32>) outs(%c : memref<5x3xf32>)
  linalg.generic {indexing_maps = [#rows, #bias, #rows], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<5x3xf32>, memref<3xf32>) outs(%d : memref<5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %sum = arith.addf %x, %y : f32
    %relu = arith.maximumf %sum, %zero : f32
    linalg.yield %relu : f32
  }
  return
}

// -----

// Combiners a split would break are not split: on index (no neutral element of a known
// width), with nnan (maxnumf's neutral element is NaN), with nsw (a partial sum may overflow
// where the whole does not).
// CHECK-LABEL: func.func @unsplittable_combiners
// CHECK-NOT: gpu.alloc
// CHECK-COUNT-3: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, {{.*}} threads(%{{.*}}, %{{.*}}, %{{.*}}) in (%{{.*}} = %c4,
// CHECK-NOT: gpu.alloc
func.func @unsplittable_combiners(%a: memref<4x4096xindex>, %o: memref<4xindex>,
                                  %f: memref<4x4096xf32>, %m: memref<4xf32>,
                                  %i: memref<4x4096xi32>, %s: memref<4xi32>) {
  linalg.reduce ins(%a : memref<4x4096xindex>) outs(%o : memref<4xindex>) dimensions = [1]
    (%x: index, %acc: index) {
      %r = arith.maxsi %x, %acc : index
      linalg.yield %r : index
    }
  linalg.reduce ins(%f : memref<4x4096xf32>) outs(%m : memref<4xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %r = arith.maxnumf %x, %acc fastmath<nnan> : f32
      linalg.yield %r : f32
    }
  linalg.reduce ins(%i : memref<4x4096xi32>) outs(%s : memref<4xi32>) dimensions = [1]
    (%x: i32, %acc: i32) {
      %r = arith.addi %x, %acc overflow<nsw> : i32
      linalg.yield %r : i32
    }
  return
}

// -----

// A batch norm after a convolution reads its scale broadcast along the channel, through a
// map with constant results ((n, c, h, w) -> (c, 0, 0)): still an epilogue.
// CHECK-LABEL: func.func @broadcast_epilogue
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: memref.load %{{.*}}[%{{.*}}, %c0, %c0] : memref<4x1x1xf32>
// CHECK: arith.mulf
// CHECK-NOT: gpu.launch
func.func @broadcast_epilogue(%x: memref<1x8x6x6xf32>, %w: memref<4x8x1x1xf32>,
                              %y: memref<1x4x6x6xf32>, %scale: memref<4x1x1xf32>,
                              %out: memref<1x4x6x6xf32>) {
  linalg.conv_2d_nchw_fchw ins(%x, %w : memref<1x8x6x6xf32>, memref<4x8x1x1xf32>)
      outs(%y : memref<1x4x6x6xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>,
                                   affine_map<(n, c, h, w) -> (c, 0, 0)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %scale : memref<1x4x6x6xf32>, memref<4x1x1xf32>) outs(%out : memref<1x4x6x6xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %r = arith.mulf %v, %s : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// An epilogue that writes into what the reduction reads would race with the other threads:
// two kernels.
// CHECK-LABEL: func.func @epilogue_overwrites_input
// CHECK: gpu.launch
// CHECK: gpu.launch
#in = affine_map<(i, j) -> (i, j)>
#out = affine_map<(i, j) -> (i)>
#id = affine_map<(i) -> (i)>
func.func @epilogue_overwrites_input(%a: memref<4x8xf32>, %s: memref<4xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  %row = memref.subview %a[0, 0] [1, 4] [1, 1] : memref<4x8xf32> to memref<4xf32, strided<[1]>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%s : memref<4xf32>) outs(%row : memref<4xf32, strided<[1]>>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// Padding (a constant map over the padded buffer, then a copy into its window) is one kernel:
// the source inside the window, the pad value outside.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: %[[SRC:[^:]*]]: memref<1x3x4x4xf32>, %[[PADDED:[^:]*]]: memref<1x3x6x6xf32>
// CHECK-DAG: %[[PAD:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, {{.*}} threads({{.*}}) in (%{{.*}} = %c108,
// CHECK-COUNT-3: arith.andi
// CHECK: %[[VALUE:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK: memref.load %[[SRC]]
// CHECK: } else {
// CHECK: scf.yield %[[PAD]] : f32
// CHECK: memref.store %[[VALUE]], %[[PADDED]]
// CHECK-NOT: gpu.launch
func.func @pad(%src: memref<1x3x4x4xf32>, %padded: memref<1x3x6x6xf32>) {
  %pad = arith.constant -1.0 : f32
  linalg.map outs(%padded : memref<1x3x6x6xf32>)
    (%init: f32) {
      linalg.yield %pad : f32
    }
  %window = memref.subview %padded[0, 0, 1, 1] [1, 3, 4, 4] [1, 1, 1, 1]
      : memref<1x3x6x6xf32> to memref<1x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>
  linalg.copy ins(%src : memref<1x3x4x4xf32>)
      outs(%window : memref<1x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>)
  return
}

// -----

// Concatenation (a copy per input into a window of the result) is one kernel: each element
// comes from the input whose window holds it.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: %[[A:[^:]*]]: memref<2x3xf32>, %[[B:[^:]*]]: memref<2x5xf32>, %[[OUT:[^:]*]]: memref<2x8xf32>
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c1, {{.*}} threads({{.*}}) in (%{{.*}} = %c16,
// CHECK: %[[VALUE:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK: memref.load %[[A]]
// CHECK: } else {
// CHECK: scf.if %{{.*}} -> (f32) {
// CHECK: memref.load %[[B]]
// CHECK: } else {
// CHECK: memref.load %[[OUT]]
// CHECK: memref.store %[[VALUE]], %[[OUT]]
// CHECK-NOT: gpu.launch
func.func @concat(%a: memref<2x3xf32>, %b: memref<2x5xf32>, %out: memref<2x8xf32>) {
  %left = memref.subview %out[0, 0] [2, 3] [1, 1] : memref<2x8xf32> to memref<2x3xf32, strided<[8, 1]>>
  linalg.copy ins(%a : memref<2x3xf32>) outs(%left : memref<2x3xf32, strided<[8, 1]>>)
  %right = memref.subview %out[0, 3] [2, 5] [1, 1] : memref<2x8xf32> to memref<2x5xf32, strided<[8, 1], offset: 3>>
  linalg.copy ins(%b : memref<2x5xf32>) outs(%right : memref<2x5xf32, strided<[8, 1], offset: 3>>)
  return
}

// -----

// Overlapping windows keep their order: two kernels.
// CHECK-LABEL: func.func @overlapping_copies
// CHECK: gpu.launch
// CHECK: gpu.launch
func.func @overlapping_copies(%a: memref<2x4xf32>, %b: memref<2x4xf32>, %out: memref<2x6xf32>) {
  %first = memref.subview %out[0, 0] [2, 4] [1, 1] : memref<2x6xf32> to memref<2x4xf32, strided<[6, 1]>>
  linalg.copy ins(%a : memref<2x4xf32>) outs(%first : memref<2x4xf32, strided<[6, 1]>>)
  %second = memref.subview %out[0, 2] [2, 4] [1, 1] : memref<2x6xf32> to memref<2x4xf32, strided<[6, 1], offset: 2>>
  linalg.copy ins(%b : memref<2x4xf32>) outs(%second : memref<2x4xf32, strided<[6, 1], offset: 2>>)
  return
}

// -----

// Host code that would read device memory is an error, not a crash on the GPU machine.
func.func @host_access(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{fx-linalg-to-gpu: 'memref.load' would touch device memory on the host; it has no GPU mapping}}
  %x = memref.load %a[%c0] : memref<4xf32>
  return %x : f32
}

// -----

func.func @on_tensors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{fx-linalg-to-gpu: expected an op on buffers (run after bufferization)}}
  %r = linalg.copy ins(%a : tensor<4xf32>) outs(%b : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
