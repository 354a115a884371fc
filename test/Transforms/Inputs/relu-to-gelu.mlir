// torch.fx's classic rewrite, as a pattern and a replacement.
fx.graph_module @pattern {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    %relu = fx.call_function "torch.relu"(%x) : (!fx.any) -> !fx.any
    fx.output %relu : !fx.any
  }
}
fx.graph_module @replacement {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    %gelu = fx.call_function "torch.nn.functional.gelu"(%x) : (!fx.any) -> !fx.any
    fx.output %gelu : !fx.any
  }
}
