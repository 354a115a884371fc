fx.graph_module @M {
  fx.graph @forward {
    "fx.call_module"() : () -> ()
    fx.output None
  }
}
