// A replicate pad 1000 wide was lowered as one slice per padded position and a 1003-way concat,
// which took the CPU pipeline over ten minutes (found by fuzz/fx_lowering_fuzzer); many runs
// are now one gather through a constant table. Checked against the interpreter.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(9, dtype=np.float64).reshape(3, 3))"
// RUN: fx-run %s --input %t/x.npy --output-dir %t/interp
// RUN: fx-run %s --backend=cpu --input %t/x.npy --compare %t/interp/output0.npy | FileCheck %s
// RUN: fx-run %s --backend=gpu-emulated --input %t/x.npy --compare %t/interp/output0.npy | FileCheck %s
// CHECK: output0: tensor<3x1003xfloat64> [0, 0, 0, 0, 0, ...]
// CHECK-NEXT: max abs error 0, max rel error 0, ok
fx.graph_module @WidePad {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<3x3xf64>
    %pad = fx.call_function "torch.ops.aten.replication_pad1d.default"(%x, [1000, 0]) : (tensor<3x3xf64>) -> tensor<3x1003xf64>
    fx.output %pad : tensor<3x1003xf64>
  }
}
