// A matmul, an activation, a softmax and a weight: small enough to read the lowered IR.
fx.graph_module @Chain {
  fx.parameter @bias : tensor<16xf32> = dense<0.25>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<64x32xf32>
    %w = fx.placeholder "w" : tensor<32x16xf32>
    %bias = fx.get_attr "bias" : tensor<16xf32>
    %matmul = fx.call_function "torch.matmul"(%x, %w) : (tensor<64x32xf32>, tensor<32x16xf32>) -> tensor<64x16xf32>
    %add = fx.call_function "operator.add"(%matmul, %bias) : (tensor<64x16xf32>, tensor<16xf32>) -> tensor<64x16xf32>
    %gelu = fx.call_function "torch.nn.functional.gelu"(%add) : (tensor<64x16xf32>) -> tensor<64x16xf32>
    %softmax = fx.call_function "torch.nn.functional.softmax"(%gelu, dim = 1) : (tensor<64x16xf32>) -> tensor<64x16xf32>
    fx.output %softmax : tensor<64x16xf32>
  }
}
