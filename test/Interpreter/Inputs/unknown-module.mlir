fx.graph_module @M {
  fx.submodule @block "my_lib.Block"
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2xf32>
    %block = fx.call_module "block"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    fx.output %block : tensor<2xf32>
  }
}
