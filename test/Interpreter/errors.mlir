// fx-run's errors name the node that failed, or the input that is wrong.
// RUN: not fx-run %s --input 2x3xf32 2>&1 | FileCheck %s --check-prefix=KERNEL
// RUN: not fx-run %s 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not fx-run %s --input 2x3xq9 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not fx-run %s --input %t.nothere.npy 2>&1 | FileCheck %s --check-prefix=NPY
// RUN: not fx-run %s --backend=tpu --input 2x3xf32 2>&1 | FileCheck %s --check-prefix=BACKEND
// RUN: not fx-run %s --graph-module Nope --input 2x3xf32 2>&1 | FileCheck %s --check-prefix=GM

// KERNEL: error: while executing %flat = call_function[target=torch.flatten]: Dimension out of range (expected to be in range of [-2, 1], but got 5)
// MISSING: error: Expected positional argument for parameter x, but one was not passed in!
// SPEC: fx-run: error: input 0 'x': bad --input '2x3xq9': expected a .npy file or a type like 1x3x224x224xf32
// NPY: fx-run: error: input 0 'x': cannot open '{{.*}}nothere.npy'
// BACKEND: fx-run: error: unknown backend 'tpu'; use interp (the reference interpreter), cpu (JIT-compiled for this machine) or gpu-emulated (the CUDA pipeline's kernels run as host loops)
// GM: fx-run: error: no fx.graph_module @Nope

fx.graph_module @Bad {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %flat = fx.call_function "torch.flatten"(%relu, 5) : (tensor<2x3xf32>) -> !fx.any
    fx.output %flat : !fx.any
  }
}
