fx.graph_module @M {
  fx.parameter @w : tensor<2xf32> = 3
}
