// A tensor larger than the memory the machine has is an error that names it, with exit code 1,
// in every tool: never LLVM's "out of memory" abort, nor a process the kernel kills later.
// The input: generated (every backend), given as a graph's type (compilation), or made by a node.
// RUN: not fx-run %s --input 100000000000xf32 2>&1 | FileCheck %s --check-prefix=INPUT --implicit-check-not='Stack dump'
// RUN: not fx-run %s --input 100000000000xf32 --backend=cpu 2>&1 | FileCheck %s --check-prefix=INPUT --implicit-check-not='Stack dump'
// RUN: not fx-run %s --input 100000000000xf32 --backend=gpu-emulated 2>&1 | FileCheck %s --check-prefix=INPUT --implicit-check-not='Stack dump'
// RUN: not fx-run %s --input 100000000000x100000000000xf32 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// INPUT: fx-run: error: input 0 'x': cannot allocate tensor<100000000000xfloat32>: it needs {{[0-9]+}} bytes ({{.*}} GiB), more than the {{.*}} GiB of memory available
// OVERFLOW: fx-run: error: input 0 'x': cannot allocate tensor<100000000000x100000000000xfloat32>: it needs more than 2^64 bytes

// Compiling runs shape propagation on the placeholders' types.
// RUN: not fx-run %s --backend=cpu 2>&1 | FileCheck %s --check-prefix=TYPE --implicit-check-not='Stack dump'
// RUN: not fx-compile %s -o %t.so 2>&1 | FileCheck %s --check-prefix=TYPE --implicit-check-not='Stack dump'
// RUN: not fx-opt %s --pass-pipeline='builtin.module(fx.graph_module(fx-shape-prop))' 2>&1 | FileCheck %s --check-prefix=TYPE --implicit-check-not='Stack dump'
// TYPE: error: placeholder 'x': cannot allocate tensor<100000000000xfloat32>: it needs

// A node: the interpreter, constant folding and compilation name it.
// RUN: not fx-run %S/Inputs/huge-node.mlir --input 2xf32 2>&1 | FileCheck %s --check-prefix=NODE --implicit-check-not='Stack dump'
// RUN: not fx-compile %S/Inputs/huge-node.mlir -o %t.so 2>&1 | FileCheck %s --check-prefix=NODE --implicit-check-not='Stack dump'
// RUN: not fx-opt %S/Inputs/huge-node.mlir --pass-pipeline='builtin.module(fx.graph_module(fx-const-fold))' 2>&1 | FileCheck %s --check-prefix=FOLD --implicit-check-not='Stack dump'
// NODE: error: while executing %big = call_function[target=torch.zeros]: cannot allocate tensor<100000x1000000xfloat32>: it needs
// FOLD: error: while folding %big: cannot allocate tensor<100000x1000000xfloat32>: it needs

// fx-exec: a generated input, and a .npy whose header promises more than the file holds.
// RUN: fx-compile %S/Inputs/add.mlir -o %t.lib.so
// RUN: not fx-exec %t.lib.so --input 100000000000xf32 2>&1 | FileCheck %s --check-prefix=EXEC
// EXEC: fx-exec: error: input 0 'x': cannot allocate tensor<100000000000xfloat32>: it needs
// RUN: %python -c "import numpy as np; f = open('%t.x.npy', 'wb'); np.lib.format.write_array_header_1_0(f, {'descr': '<f4', 'fortran_order': False, 'shape': (100000000000,)}); f.write(bytes(8))"
// RUN: not fx-exec %t.lib.so --input %t.x.npy 2>&1 | FileCheck %s --check-prefix=NPY
// NPY: fx-exec: error: input 0 'x': '{{.*}}.x.npy': truncated data (shape [100000000000], 8 bytes of data)
// A translation reads no tensor: it works.
// RUN: fx-translate --fx-to-graph-text %s | FileCheck %s --check-prefix=TRANSLATE
// TRANSLATE: %x : [num_users=1] = placeholder[target=x]

fx.graph_module @m {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<100000000000xf32>
    %y = fx.call_function "torch.relu"(%x) : (tensor<100000000000xf32>) -> tensor<100000000000xf32>
    fx.output %y : tensor<100000000000xf32>
  }
}
