// relu(a + b) -> torch.add followed by clamp(min=0): two nodes matched by use-def structure.
fx.graph_module @pattern {
  fx.graph @forward {
    %a = fx.placeholder "a" : !fx.any
    %b = fx.placeholder "b" : !fx.any
    %add = fx.call_function "operator.add"(%a, %b) : (!fx.any, !fx.any) -> !fx.any
    %relu = fx.call_function "torch.relu"(%add) : (!fx.any) -> !fx.any
    fx.output %relu : !fx.any
  }
}
fx.graph_module @replacement {
  fx.graph @forward {
    %a = fx.placeholder "a" : !fx.any
    %b = fx.placeholder "b" : !fx.any
    %add = fx.call_function "torch.add"(%a, %b) : (!fx.any, !fx.any) -> !fx.any
    %clamp = fx.call_method "clamp"(%add, min = 0.0) : (!fx.any) -> !fx.any
    fx.output %clamp : !fx.any
  }
}
