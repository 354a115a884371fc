// int64 keeps all 64 bits end to end: .npy in, the interpreter's kernels, the compiled code,
// .npy out, printing and --compare (integers compared exactly unless a tolerance is given).
// 2^62 + 1 and 2^53 + 1 are not doubles: any path through a double rounds them.
// RUN: %python -c "import numpy as np; np.save('%t.x.npy', np.array([2**62 + 1, 2**53 + 1, -2**63, 7], np.int64)); np.save('%t.ref.npy', np.array([2**62 + 4, 2**53 + 4, -2**63 + 3, 2**63 - 1], np.int64)); np.save('%t.off.npy', np.array([2**62 + 5, 2**53 + 4, -2**63 + 3, 2**63 - 1], np.int64))"
// RUN: fx-run %s --input %t.x.npy --compare %t.ref.npy --backend=interp --output-dir %t.interp | FileCheck %s
// RUN: fx-run %s --input %t.x.npy --compare %t.ref.npy --backend=cpu --output-dir %t.cpu | FileCheck %s
// RUN: fx-run %s --input %t.x.npy --compare %t.ref.npy --backend=gpu-emulated | FileCheck %s
// RUN: %python -c "import numpy as np; r = np.load('%t.ref.npy'); assert (np.load('%t.interp/output0.npy') == r).all() and (np.load('%t.cpu/output0.npy') == r).all()"
// CHECK: output0: tensor<4xint64> [4611686018427387908, 9007199254740996, -9223372036854775805, 9223372036854775807]
// CHECK-NEXT: max abs error 0, max rel error 0, ok

// One off by one in 2^62 is a mismatch: integers are compared exactly by default.
// RUN: not fx-run %s --input %t.x.npy --compare %t.off.npy | FileCheck %s --check-prefix=OFF
// OFF: MISMATCH in 1 of 4 elements (integers compared exactly)
// RUN: fx-run %s --input %t.x.npy --compare %t.off.npy --atol 1 | FileCheck %s --check-prefix=TOL
// TOL: max abs error 1, {{.*}}, ok

// The dtype is compared too: a float64 reference does not match an int64 output.
// RUN: %python -c "import numpy as np; np.save('%t.f64.npy', np.load('%t.ref.npy').astype(np.float64))"
// RUN: not fx-run %s --input %t.x.npy --compare %t.f64.npy | FileCheck %s --check-prefix=DTYPE
// DTYPE: MISMATCH: dtype int64 vs reference float64

fx.graph_module @m {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xi64>
    // (2^63 - 2) + True is int64's largest value; nothing wraps.
    %add = fx.call_function "operator.add"(%x, 3) : (tensor<4xi64>) -> tensor<4xi64>
    %big = fx.call_function "torch.full"([4], 9223372036854775806, dtype = torch.int64) : () -> tensor<4xi64>
    %mask = fx.call_function "operator.eq"(%x, 7) : (tensor<4xi64>) -> tensor<4xi1>
    %where = fx.call_function "torch.where"(%mask, %big, %add) : (tensor<4xi1>, tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
    %sum = fx.call_function "operator.add"(%where, %mask) : (tensor<4xi64>, tensor<4xi1>) -> tensor<4xi64>
    fx.output %sum : tensor<4xi64>
  }
}
