fx.graph_module @M {
  fx.graph @forward {
    %x = "fx.call_function"() <{name = "f", target = "f", args = [#fx.tuple<3>], kwargs = #fx.dict<[], []>}> : () -> !fx.any
    fx.output None
  }
}
