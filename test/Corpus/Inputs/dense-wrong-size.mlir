fx.graph_module @M {
  fx.parameter @w : tensor<2xf32> = dense_resource<missing_blob>
  fx.parameter @v : tensor<2xf32> = dense<[1.0, 2.0, 3.0]>
}
