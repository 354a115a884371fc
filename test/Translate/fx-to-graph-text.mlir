// print(gm.graph) for torch.fx's richer example: defaults, slices with nodes, Ellipsis, kwargs
// with dtypes, builtin-shadowing names, math autowrap, devices and a nested return. The
// expected text is what torch.fx 1.13 prints (with --fx-graph-text-style=1) for the Python
// module in the comment at the end; style 2 differs only in `[num_users=N]`.
// RUN: fx-translate --fx-to-graph-text --fx-graph-text-style=1 %s | FileCheck %s --check-prefix=TORCH1 --match-full-lines --strict-whitespace
// RUN: fx-translate --fx-to-graph-text %s | FileCheck %s --check-prefix=TORCH2
// RUN: not fx-translate --fx-to-graph-text --fx-graph-text-style=3 %s 2>&1 | FileCheck %s --check-prefix=BADSTYLE

// TORCH1:graph():
// TORCH1-NEXT:    %x : [#users=1] = placeholder[target=x]
// TORCH1-NEXT:    %y : [#users=1] = placeholder[target=y](default=2.5)
// TORCH1-NEXT:    %param : [#users=1] = get_attr[target=param]
// TORCH1-NEXT:    %add : [#users=1] = call_function[target=operator.add](args = (%x, %param), kwargs = {})
// TORCH1-NEXT:    %linear : [#users=1] = call_module[target=linear](args = (%add,), kwargs = {})
// TORCH1-NEXT:    %clamp : [#users=2] = call_method[target=clamp](args = (%linear,), kwargs = {min: 0.0, max: 1.0})
// TORCH1-NEXT:    %getitem : [#users=1] = call_function[target=operator.getitem](args = (%clamp, (slice(None, None, None), slice(1, y, None), Ellipsis, None)), kwargs = {})
// TORCH1-NEXT:    %layer1_0 : [#users=2] = call_module[target=layer1.0](args = (%clamp,), kwargs = {})
// TORCH1-NEXT:    %sum_1 : [#users=2] = call_function[target=torch.sum](args = (%layer1_0,), kwargs = {dim: -1, keepdim: True, dtype: torch.float32})
// TORCH1-NEXT:    %size : [#users=1] = call_method[target=size](args = (%sum_1, 0), kwargs = {})
// TORCH1-NEXT:    %sqrt : [#users=1] = call_function[target=math.sqrt](args = (%size,), kwargs = {})
// TORCH1-NEXT:    %mul : [#users=1] = call_function[target=operator.mul](args = (%sqrt, 1e-05), kwargs = {})
// TORCH1-NEXT:    %add_1 : [#users=1] = call_function[target=operator.add](args = (%mul, inf), kwargs = {})
// TORCH1-NEXT:    %to : [#users=1] = call_method[target=to](args = (%layer1_0, cpu), kwargs = {non_blocking: False})
// TORCH1-NEXT:    return (getitem, {'d': sum_1, 'e': add_1}, [to, None, 'str'])

// TORCH2: %clamp : [num_users=2] = call_method[target=clamp](args = (%linear,), kwargs = {min: 0.0, max: 1.0})
// BADSTYLE: --fx-graph-text-style must be 1 or 2, got '3'

fx.graph_module @MyModule {
  fx.parameter @param : tensor<3x4xf32>
  fx.submodule @linear "torch.nn.Linear"(in_features = 4, out_features = 5, bias = True) {
    fx.parameter @weight : tensor<5x4xf32>
    fx.parameter @bias : tensor<5xf32>
  }
  fx.submodule @layer1 "torch.nn.Sequential" {
    fx.submodule @"0" "torch.nn.Linear"(in_features = 5, out_features = 5, bias = True) {
      fx.parameter @weight : tensor<5x5xf32>
      fx.parameter @bias : tensor<5xf32>
    }
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    %y = fx.placeholder "y" default 2.5 : !fx.any
    %param = fx.get_attr "param" : tensor<3x4xf32>
    %add = fx.call_function "operator.add"(%x, %param) : (!fx.any, tensor<3x4xf32>) -> !fx.any
    %linear = fx.call_module "linear"(%add) : (!fx.any) -> !fx.any
    %clamp = fx.call_method "clamp"(%linear, min = 0.0, max = 1.0) : (!fx.any) -> !fx.any
    %getitem = fx.call_function "operator.getitem"(%clamp, (slice(None, None, None), slice(1, %y, None), ..., None)) : (!fx.any, !fx.any) -> !fx.any
    %layer1_0 = fx.call_module "layer1.0"(%clamp) : (!fx.any) -> !fx.any
    %sum_1 = fx.call_function "torch.sum"(%layer1_0, dim = -1, keepdim = True, dtype = torch.float32) : (!fx.any) -> !fx.any
    %size = fx.call_method "size"(%sum_1, 0) : (!fx.any) -> !fx.any
    %sqrt = fx.call_function "math.sqrt"(%size) : (!fx.any) -> !fx.any
    %mul = fx.call_function "operator.mul"(%sqrt, 1.0e-05) : (!fx.any) -> !fx.any
    %add_1 = fx.call_function "operator.add"(%mul, inf) : (!fx.any) -> !fx.any
    %to = fx.call_method "to"(%layer1_0, device("cpu"), non_blocking = False) : (!fx.any) -> !fx.any
    fx.output (%getitem, {"d": %sum_1, "e": %add_1}, [%to, None, "str"]) : !fx.any, !fx.any, !fx.any, !fx.any
  }
}

// class MyModule(torch.nn.Module):
//     def __init__(self):
//         super().__init__()
//         self.param = torch.nn.Parameter(torch.rand(3, 4))
//         self.linear = torch.nn.Linear(4, 5)
//         self.layer1 = torch.nn.Sequential(torch.nn.Linear(5, 5))
//     def forward(self, x, y=2.5):
//         a = self.linear(x + self.param).clamp(min=0.0, max=1.0)
//         b = a[:, 1:y, ..., None]
//         c = getattr(self.layer1, "0")(a)
//         d = torch.sum(c, dim=-1, keepdim=True, dtype=torch.float32)
//         e = math.sqrt(d.size(0)) * 1e-5 + float('inf')
//         f = c.to(torch.device('cpu'), non_blocking=False)
//         return (b, {"d": d, "e": e}, [f, None, 'str'])
