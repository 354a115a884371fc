fx.graph_module @M {
  fx.graph @forward {
    %x = "fx.call_function"() <{name = "f", target = "f", args = [#fx.slice<1, 2, affine_map<(d0) -> (d0)>>], kwargs = #fx.dict<[], []>}> : () -> !fx.any
    fx.output None
  }
}
