fx.graph_module @M {
  fx.graph @forward {
    "fx.output"() <{args = []}> : () -> ()
  }
}
