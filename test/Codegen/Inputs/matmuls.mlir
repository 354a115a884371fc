// Matmuls on the tiled and vectorized path: sizes that divide the tiles, sizes that leave
// peeled remainders (masked vectors), batches, and a fused bias + relu consumer.

fx.graph_module @Square {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<128x256xf32>
    %b = fx.placeholder "b" : tensor<256x128xf32>
    %matmul = fx.call_function "torch.matmul"(%a, %b) : (tensor<128x256xf32>, tensor<256x128xf32>) -> tensor<128x128xf32>
    fx.output %matmul : tensor<128x128xf32>
  }
}

fx.graph_module @Odd {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<100x200xf32>
    %b = fx.placeholder "b" : tensor<200x300xf32>
    %c = fx.placeholder "c" : tensor<300xf32>
    %matmul = fx.call_function "torch.matmul"(%a, %b) : (tensor<100x200xf32>, tensor<200x300xf32>) -> tensor<100x300xf32>
    %add = fx.call_function "operator.add"(%matmul, %c) : (tensor<100x300xf32>, tensor<300xf32>) -> tensor<100x300xf32>
    %relu = fx.call_function "torch.relu"(%add) : (tensor<100x300xf32>) -> tensor<100x300xf32>
    fx.output %relu : tensor<100x300xf32>
  }
}

fx.graph_module @Batched {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<3x2x37x64xf32>
    %b = fx.placeholder "b" : tensor<3x2x64x45xf32>
    %matmul = fx.call_function "torch.matmul"(%a, %b) : (tensor<3x2x37x64xf32>, tensor<3x2x64x45xf32>) -> tensor<3x2x37x45xf32>
    fx.output %matmul : tensor<3x2x37x45xf32>
  }
}
