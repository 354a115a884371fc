fx.graph_module @M {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
