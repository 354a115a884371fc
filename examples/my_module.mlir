// torch.fx's MyModule example: self.linear(x + self.param).clamp(min=0.0, max=1.0)
fx.graph_module @MyModule {
  fx.parameter @param : tensor<3x4xf32> = dense<0.5>
  fx.submodule @linear "torch.nn.Linear"(in_features = 4, out_features = 5, bias = True) {
    fx.parameter @weight : tensor<5x4xf32> = dense<0.25>
    fx.parameter @bias : tensor<5xf32> = dense<[0.0, 1.0, 2.0, 3.0, 4.0]>
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<3x4xf32>
    %param = fx.get_attr "param" : tensor<3x4xf32>
    %add = fx.call_function "operator.add"(%x, %param) : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %linear = fx.call_module "linear"(%add) : (tensor<3x4xf32>) -> tensor<3x5xf32>
    %clamp = fx.call_method "clamp"(%linear, min = 0.0, max = 1.0) : (tensor<3x5xf32>) -> tensor<3x5xf32>
    fx.output %clamp : tensor<3x5xf32>
  }
}
