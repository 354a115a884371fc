// A convolution on a 7x7 feature map with a bias and a ReLU, as at the end of a ResNet: 3136
// outputs of 576 products each, few enough points that the GPU lowering splits the reduction.
fx.graph_module @SmallMapConv {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x64x7x7xf32>
    %w = fx.placeholder "w" : tensor<64x64x3x3xf32>
    %b = fx.placeholder "b" : tensor<64xf32>
    %conv = fx.call_function "torch.conv2d"(%x, %w, %b, 1, 1) : (tensor<1x64x7x7xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x7x7xf32>
    %relu = fx.call_function "torch.relu"(%conv) : (tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
    fx.output %relu : tensor<1x64x7x7xf32>
  }
}
