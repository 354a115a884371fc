fx.graph_module @M {
  fx.graph @forward {
    %0 = "fx.call_function"() <{name = "f", target = "f", args = 3, kwargs = #fx.dict<[], []>}> : () -> !fx.any
    fx.output None
  }
}
