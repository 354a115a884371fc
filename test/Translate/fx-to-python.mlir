// gm.code for the module of fx-to-graph-text.mlir: exactly what torch.fx 1.13 generates.
// RUN: fx-translate --fx-to-python %S/fx-to-graph-text.mlir | FileCheck %s --match-full-lines --strict-whitespace

//      CHECK:torch.fx._symbolic_trace.wrap("math_sqrt")
// CHECK-EMPTY:
// CHECK-NEXT:def forward(self, x, y = 2.5):
// CHECK-NEXT:    param = self.param
// CHECK-NEXT:    add = x + param;  x = param = None
// CHECK-NEXT:    linear = self.linear(add);  add = None
// CHECK-NEXT:    clamp = linear.clamp(min = 0.0, max = 1.0);  linear = None
// CHECK-NEXT:    getitem = clamp[(slice(None, None, None), slice(1, y, None), Ellipsis, None)];  y = None
// CHECK-NEXT:    layer1_0 = getattr(self.layer1, "0")(clamp);  clamp = None
// CHECK-NEXT:    sum_1 = torch.sum(layer1_0, dim = -1, keepdim = True, dtype = torch.float32)
// CHECK-NEXT:    size = sum_1.size(0)
// CHECK-NEXT:    sqrt = math_sqrt(size);  size = None
// CHECK-NEXT:    mul = sqrt * 1e-05;  sqrt = None
// CHECK-NEXT:    add_1 = mul + inf;  mul = None
// CHECK-NEXT:    to = layer1_0.to(device(type='cpu'), non_blocking = False);  layer1_0 = None
// CHECK-NEXT:    return (getitem, {'d': sum_1, 'e': add_1}, [to, None, 'str'])
