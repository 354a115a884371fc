fx.graph_module @M {
  fx.graph @forward {
    %0 = "fx.call_function"() <{name = "f", target = "f", args = [], kwargs = {a = 1}}> : () -> !fx.any
    fx.output None
  }
}
