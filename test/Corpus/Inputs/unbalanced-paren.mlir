fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    %y = fx.call_function "f"(%x : (!fx.any) -> !fx.any
    fx.output %y : !fx.any
  }
}
