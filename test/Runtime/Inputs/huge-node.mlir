// A small input and a node whose result needs 800 GB.
fx.graph_module @m {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %big = fx.call_function "torch.zeros"(100000, 1000000) : () -> tensor<100000x1000000xf32>
    %add = fx.call_function "operator.add"(%big, %x) : (tensor<100000x1000000xf32>, tensor<2xf32>) -> tensor<100000x1000000xf32>
    fx.output %add : tensor<100000x1000000xf32>
  }
}
