fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    "fx.output"(%x) <{args = [#fx.slice<#fx.operand, 1, 2>, #fx.operand]}> : (!fx.any) -> ()
  }
}
