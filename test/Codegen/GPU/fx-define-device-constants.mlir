// RUN: fx-opt %s -split-input-file -verify-diagnostics --fx-define-device-constants | FileCheck %s

// A device-constant declaration gets a body on the runtime's cache of resident constants.
// CHECK: llvm.func @fx_cuda_resident(!llvm.ptr, i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func internal @fx_device_constant_0
// CHECK-SAME: (%[[HOST:.*]]: !llvm.ptr) -> !llvm.ptr
// CHECK-NOT: fx.device_constant_bytes
// CHECK: %[[BYTES:.*]] = llvm.mlir.constant(128 : i64) : i64
// CHECK: %[[DEVICE:.*]] = llvm.call @fx_cuda_resident(%[[HOST]], %[[BYTES]]) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK: llvm.return %[[DEVICE]] : !llvm.ptr
llvm.func @fx_device_constant_0(!llvm.ptr) -> !llvm.ptr attributes {fx.device_constant_bytes = 128 : i64, sym_visibility = "private"}

// -----

// expected-error @+1 {{fx-define-device-constants: expected a declaration taking and returning a bare pointer}}
llvm.func @fx_device_constant_1(i64) -> !llvm.ptr attributes {fx.device_constant_bytes = 8 : i64}
