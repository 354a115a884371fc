fx.graph_module @M {
  fx.graph @forward {
    %x = fx.call_function "f"(#fx.dict<[1], []>) : () -> !fx.any
    fx.output None
  }
}
