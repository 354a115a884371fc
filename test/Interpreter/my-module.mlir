// torch.fx's MyModule example with known weights, computed by hand:
// linear(x + param).clamp(0, 1) with param = 0.5, weight = 0.25, bias = [0, 1, 2, 3, 4]:
// for x = 0 every row is 4 * (0.5 * 0.25) + bias = 0.5 + bias, clamped to [0, 1].
// RUN: rm -rf %t.out && mkdir -p %t.out
// RUN: %python -c "import numpy as np; np.save('%t.x.npy', np.zeros((3, 4), np.float32)); np.save('%t.ref.npy', np.tile(np.array([0.5, 1, 1, 1, 1], np.float32), (3, 1)))"
// RUN: fx-run %fx_src_root/examples/my_module.mlir --input %t.x.npy --compare %t.ref.npy --output-dir %t.out | FileCheck %s
// RUN: %python -c "import numpy as np; a = np.load('%t.out/output0.npy'); assert a.shape == (3, 5) and a.dtype == np.float32 and a[0, 0] == 0.5, a"
// CHECK: output0: tensor<3x5xfloat32> [0.5, 1, 1, 1, 1, ...]
// CHECK-NEXT: max abs error 0, max rel error 0, ok
// RUN: %python -c "import numpy as np; np.save('%t.bad.npy', np.zeros((3, 5), np.float32))"
// RUN: not fx-run %fx_src_root/examples/my_module.mlir --input %t.x.npy --compare %t.bad.npy | FileCheck %s --check-prefix=BAD
// BAD: MISMATCH in 15 of 15 elements (rtol 0.0001, atol 1e-05)
