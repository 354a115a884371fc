fx.graph_module @m {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %y = fx.call_function "operator.add"(%x, 1) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %y : tensor<2xf32>
  }
}
