fx.graph_module @M {
  fx.graph @forward {
    %x = fx.get_attr "a..b" : !fx.any
    fx.output None
  }
}
