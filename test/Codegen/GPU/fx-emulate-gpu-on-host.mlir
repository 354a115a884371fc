// RUN: fx-opt %s -split-input-file -verify-diagnostics --fx-emulate-gpu-on-host | FileCheck %s

// A launch becomes loops over blocks and threads; device buffers become host buffers.
// CHECK-LABEL: func.func @scale
// CHECK-NOT: gpu.
// CHECK: %[[DEVICE:.*]] = memref.alloc() : memref<1000xf32>
// CHECK: memref.copy %{{.*}}, %[[DEVICE]] : memref<1000xf32> to memref<1000xf32>
// CHECK: scf.for %[[BX:.*]] = %{{.*}} to %[[GRID:.*]] step
// CHECK-COUNT-2: scf.for
// CHECK: scf.for %[[TX:.*]] = %{{.*}} to %[[BLOCK:.*]] step
// CHECK-COUNT-2: scf.for
// CHECK: %[[BASE:.*]] = arith.muli %[[BX]], %[[BLOCK]] : index
// CHECK: %[[I:.*]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK: memref.load %[[DEVICE]][%[[I]]]
// CHECK: memref.copy %[[DEVICE]], %{{.*}} : memref<1000xf32> to memref<1000xf32>
// CHECK: memref.dealloc %[[DEVICE]] : memref<1000xf32>
func.func @scale(%host: memref<1000xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c256 = arith.constant 256 : index
  %c1000 = arith.constant 1000 : index
  %device = gpu.alloc () : memref<1000xf32>
  gpu.memcpy %device, %host : memref<1000xf32>, memref<1000xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    %base = arith.muli %bx, %sx : index
    %i = arith.addi %base, %tx : index
    %inside = arith.cmpi ult, %i, %c1000 : index
    scf.if %inside {
      %x = memref.load %device[%i] : memref<1000xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %device[%i] : memref<1000xf32>
    }
    gpu.terminator
  }
  gpu.memcpy %host, %device : memref<1000xf32>, memref<1000xf32>
  gpu.dealloc %device : memref<1000xf32>
  return
}

// -----

func.func @barrier(%buffer: memref<256xf32>) {
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  // expected-error @+1 {{fx-emulate-gpu-on-host: kernels with barriers cannot be emulated}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c256, %sy = %c1, %sz = %c1) {
    gpu.barrier
    gpu.terminator
  }
  return
}

// -----

// Resident device constants are the host constants themselves.
// CHECK-LABEL: func.func @weights
// CHECK-NOT: fx_device_constant
// CHECK: %[[W:.*]] = memref.get_global @w
// CHECK: memref.copy %[[W]], %{{.*}}
// CHECK-NOT: func.func private @fx_device_constant_0
memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func private @fx_device_constant_0(memref<4xf32>) -> memref<4xf32> attributes {fx.device_constant_bytes = 16 : i64}
func.func @weights(%out: memref<4xf32>) {
  %host = memref.get_global @w : memref<4xf32>
  %device = func.call @fx_device_constant_0(%host) : (memref<4xf32>) -> memref<4xf32>
  gpu.memcpy %out, %device : memref<4xf32>, memref<4xf32>
  return
}
