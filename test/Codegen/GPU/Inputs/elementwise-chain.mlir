// torch.relu(y * 2 + 1).sigmoid() * y: five kernels in eager PyTorch, one fused kernel here.
fx.graph_module @ElementwiseChain {
  fx.graph @forward {
    %y = fx.placeholder "y" : tensor<4096x1024xf32>
    %mul = fx.call_function "operator.mul"(%y, 2) : (tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
    %add = fx.call_function "operator.add"(%mul, 1) : (tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
    %relu = fx.call_function "torch.relu"(%add) : (tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
    %sigmoid = fx.call_method "sigmoid"(%relu) : (tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
    %mul_1 = fx.call_function "operator.mul"(%sigmoid, %y) : (tensor<4096x1024xf32>, tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
    fx.output %mul_1 : tensor<4096x1024xf32>
  }
}
