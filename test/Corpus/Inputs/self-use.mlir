fx.graph_module @M {
  fx.graph @forward {
    %x = fx.call_module ""(%x) : (!fx.any) -> !fx.any
    fx.output None
  }
}
