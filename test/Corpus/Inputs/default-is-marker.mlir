fx.graph_module @M {
  fx.graph @forward {
    %x = "fx.placeholder"() <{name = "x", target = "x", default_value = #fx.operand}> : () -> !fx.any
    fx.output None
  }
}
