fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x?xf32
    fx.output None
  }
}
