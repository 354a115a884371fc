fx.graph_module @M {
  fx.graph @forward {
    fx.output None
  }
}
fx.graph_module @M {
}
