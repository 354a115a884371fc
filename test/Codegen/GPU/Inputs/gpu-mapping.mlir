// Ops shaped to take each of fx-linalg-to-gpu's kernel forms at its default target (131072
// threads): reductions split across threads (a point's threads adjacent, or the points
// adjacent), thread tiles, and a short reduction left whole.

// A batch-1 linear layer: 512 points of 2048 products, split 128 ways; the weight is read
// along the reduction, so a point's threads are adjacent.
fx.graph_module @SkinnyLinear {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x2048xf32>
    %w = fx.placeholder "w" : tensor<512x2048xf32>
    %b = fx.placeholder "b" : tensor<512xf32>
    %linear = fx.call_function "torch.nn.functional.linear"(%x, %w, %b) : (tensor<1x2048xf32>, tensor<512x2048xf32>, tensor<512xf32>) -> tensor<1x512xf32>
    %relu = fx.call_function "torch.relu"(%linear) : (tensor<1x512xf32>) -> tensor<1x512xf32>
    fx.output %relu : tensor<1x512xf32>
  }
}

// Column maxima and sums over 4096 rows: 8 points, split; the rows are read across the
// points, so the points are adjacent.
fx.graph_module @LongColumns {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4096x8xf32>
    %amax = fx.call_function "torch.amax"(%x, 0) : (tensor<4096x8xf32>) -> tensor<8xf32>
    %sum = fx.call_function "torch.sum"(%x, 0) : (tensor<4096x8xf32>) -> tensor<8xf32>
    fx.output (%amax, %sum) : tensor<8xf32>, tensor<8xf32>
  }
}

// A softmax over rows of 4096: its max and sum reductions are split.
fx.graph_module @LongSoftmax {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4x4096xf32>
    %softmax = fx.call_function "torch.nn.functional.softmax"(%x, dim = 1) : (tensor<4x4096xf32>) -> tensor<4x4096xf32>
    fx.output %softmax : tensor<4x4096xf32>
  }
}

// A convolution with 262144 outputs (twice the target): two points a thread.
fx.graph_module @BigConv {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x8x130x130xf32>
    %w = fx.placeholder "w" : tensor<16x8x3x3xf32>
    %b = fx.placeholder "b" : tensor<16xf32>
    %conv = fx.call_function "torch.conv2d"(%x, %w, %b) : (tensor<1x8x130x130xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x128x128xf32>
    fx.output %conv : tensor<1x16x128x128xf32>
  }
}

// A global average pool over 7x7: 512 points of 49 elements, too short to split.
fx.graph_module @ShortPool {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x512x7x7xf32>
    %pool = fx.call_function "torch.nn.functional.adaptive_avg_pool2d"(%x, 1) : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
    fx.output %pool : tensor<1x512x1x1xf32>
  }
}
