fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %relu : tensor<2xf32>
  }
}
