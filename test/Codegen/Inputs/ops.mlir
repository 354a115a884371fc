// One graph module per group of lowerings; check_compile.py runs each with the reference
// interpreter and with the JIT (fx-run --backend=cpu) on the same generated inputs.

fx.graph_module @Arithmetic {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3x4xf32>
    %y = fx.placeholder "y" : tensor<3x1xf32>
    %add = fx.call_function "operator.add"(%x, %y) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
    %sub = fx.call_function "torch.sub"(%add, 1.5, alpha = 2) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %mul = fx.call_function "operator.mul"(%sub, %y) : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
    %truediv = fx.call_function "operator.truediv"(%mul, 3) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %rtruediv = fx.call_function "operator.truediv"(1.0, %y) : (tensor<3x1xf32>) -> tensor<3x1xf32>
    %floordiv = fx.call_function "operator.floordiv"(%truediv, 0.7) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %mod = fx.call_function "operator.mod"(%x, 0.3) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %pow = fx.call_function "operator.pow"(%y, 2) : (tensor<3x1xf32>) -> tensor<3x1xf32>
    %neg = fx.call_function "operator.neg"(%mod) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %abs = fx.call_function "torch.abs"(%neg) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %sqrt = fx.call_function "torch.sqrt"(%abs) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %rsqrt = fx.call_method "rsqrt"(%pow) : (tensor<3x1xf32>) -> tensor<3x1xf32>
    %exp = fx.call_function "torch.exp"(%x) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %log = fx.call_function "torch.log"(%exp) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    fx.output (%floordiv, %rtruediv, %sqrt, %rsqrt, %log) : tensor<2x3x4xf32>, tensor<3x1xf32>, tensor<2x3x4xf32>, tensor<3x1xf32>, tensor<2x3x4xf32>
  }
}

fx.graph_module @Activations {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4x8xf32>
    %relu = fx.call_function "torch.relu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %relu6 = fx.call_function "torch.nn.functional.relu6"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %hardtanh = fx.call_function "torch.nn.functional.hardtanh"(%x, -0.5, 0.25) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %gelu = fx.call_function "torch.nn.functional.gelu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %gelu_1 = fx.call_function "torch.nn.functional.gelu"(%x, approximate = "tanh") : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %silu = fx.call_function "torch.nn.functional.silu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %sigmoid = fx.call_function "torch.sigmoid"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %tanh = fx.call_method "tanh"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %hardswish = fx.call_function "torch.nn.functional.hardswish"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %hardsigmoid = fx.call_function "torch.nn.functional.hardsigmoid"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %clamp = fx.call_method "clamp"(%x, min = -0.1) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %clamp_1 = fx.call_function "torch.clamp"(%x, -0.2, 0.3) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %dropout = fx.call_function "torch.nn.functional.dropout"(%clamp_1, 0.5, False) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    fx.output (%relu, %relu6, %hardtanh, %gelu, %gelu_1, %silu, %sigmoid, %tanh, %hardswish, %hardsigmoid, %clamp, %dropout) : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  }
}

fx.graph_module @Comparisons {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<3x5xf32>
    %y = fx.placeholder "y" : tensor<5xf32>
    %gt = fx.call_function "operator.gt"(%x, %y) : (tensor<3x5xf32>, tensor<5xf32>) -> tensor<3x5xi1>
    %le = fx.call_function "operator.le"(%x, 0.1) : (tensor<3x5xf32>) -> tensor<3x5xi1>
    %eq = fx.call_function "operator.eq"(%x, %x) : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xi1>
    %and_ = fx.call_function "operator.and_"(%gt, %le) : (tensor<3x5xi1>, tensor<3x5xi1>) -> tensor<3x5xi1>
    %where = fx.call_function "torch.where"(%gt, %x, %y) : (tensor<3x5xi1>, tensor<3x5xf32>, tensor<5xf32>) -> tensor<3x5xf32>
    %where_1 = fx.call_function "torch.where"(%le, %x, 0.0) : (tensor<3x5xi1>, tensor<3x5xf32>) -> tensor<3x5xf32>
    %masked_fill = fx.call_method "masked_fill"(%x, %and_, -1.0) : (tensor<3x5xf32>, tensor<3x5xi1>) -> tensor<3x5xf32>
    %float = fx.call_method "float"(%eq) : (tensor<3x5xi1>) -> tensor<3x5xf32>
    fx.output (%where, %where_1, %masked_fill, %float, %and_) : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xi1>
  }
}

fx.graph_module @LinearAlgebra {
  fx.parameter @w : tensor<6x5xf32> = dense<[[0.1, -0.2, 0.3, 0.4, 0.5], [0.6, 0.7, -0.8, 0.9, 1.0], [0.1, 0.2, 0.3, -0.4, 0.5], [-0.6, 0.7, 0.8, 0.9, 1.0], [0.5, 0.5, -0.5, 0.5, 0.5], [0.25, -0.25, 0.25, 0.25, 0.75]]>
  fx.parameter @b : tensor<6xf32> = dense<[0.5, -0.5, 1.0, 0.0, 2.0, -1.0]>
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3x5xf32>
    %m = fx.placeholder "m" : tensor<5x4xf32>
    %z = fx.placeholder "z" : tensor<2x4x3xf32>
    %w = fx.get_attr "w" : tensor<6x5xf32>
    %b = fx.get_attr "b" : tensor<6xf32>
    %linear = fx.call_function "torch.nn.functional.linear"(%x, %w, %b) : (tensor<2x3x5xf32>, tensor<6x5xf32>, tensor<6xf32>) -> tensor<2x3x6xf32>
    %matmul = fx.call_function "operator.matmul"(%x, %m) : (tensor<2x3x5xf32>, tensor<5x4xf32>) -> tensor<2x3x4xf32>
    %bmm = fx.call_function "torch.bmm"(%matmul, %z) : (tensor<2x3x4xf32>, tensor<2x4x3xf32>) -> tensor<2x3x3xf32>
    %matmul_1 = fx.call_function "torch.matmul"(%bmm, %x) : (tensor<2x3x3xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
    %getitem = fx.call_function "operator.getitem"(%x, 0) : (tensor<2x3x5xf32>) -> tensor<3x5xf32>
    %t = fx.call_method "t"(%w) : (tensor<6x5xf32>) -> tensor<5x6xf32>
    %addmm = fx.call_function "torch.addmm"(%b, %getitem, %t, beta = 0.5, alpha = 2) : (tensor<6xf32>, tensor<3x5xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
    fx.output (%linear, %matmul_1, %addmm) : tensor<2x3x6xf32>, tensor<2x3x5xf32>, tensor<3x6xf32>
  }
}

fx.graph_module @Convolutions {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x4x9x9xf32>
    %w = fx.placeholder "w" : tensor<6x4x3x3xf32>
    %wg = fx.placeholder "wg" : tensor<6x2x3x3xf32>
    %wd = fx.placeholder "wd" : tensor<4x1x3x3xf32>
    %b = fx.placeholder "b" : tensor<6xf32>
    %conv2d = fx.call_function "torch.conv2d"(%x, %w, %b, 2, 1) : (tensor<2x4x9x9xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<2x6x5x5xf32>
    %conv2d_1 = fx.call_function "torch.conv2d"(%x, %wg, None, 1, (2, 1), (2, 1), 2) : (tensor<2x4x9x9xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x9x9xf32>
    %conv2d_2 = fx.call_function "torch.conv2d"(%x, %wd, None, 1, 1, 1, 4) : (tensor<2x4x9x9xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x9x9xf32>
    fx.output (%conv2d, %conv2d_1, %conv2d_2) : tensor<2x6x5x5xf32>, tensor<2x6x9x9xf32>, tensor<2x4x9x9xf32>
  }
}

fx.graph_module @Pooling {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x3x10x10xf32>
    %max_pool2d = fx.call_function "torch.nn.functional.max_pool2d"(%x, 3, 2, 1) : (tensor<1x3x10x10xf32>) -> tensor<1x3x5x5xf32>
    %max_pool2d_1 = fx.call_function "torch.nn.functional.max_pool2d"(%x, 3, 2, ceil_mode = True) : (tensor<1x3x10x10xf32>) -> tensor<1x3x5x5xf32>
    %max_pool2d_2 = fx.call_function "torch.nn.functional.max_pool2d"(%x, 2, 1, 0, 2) : (tensor<1x3x10x10xf32>) -> tensor<1x3x8x8xf32>
    %avg_pool2d = fx.call_function "torch.nn.functional.avg_pool2d"(%x, 3, 2, 1) : (tensor<1x3x10x10xf32>) -> tensor<1x3x5x5xf32>
    %avg_pool2d_1 = fx.call_function "torch.nn.functional.avg_pool2d"(%x, 3, 2, 1, True, False) : (tensor<1x3x10x10xf32>) -> tensor<1x3x6x6xf32>
    %avg_pool2d_2 = fx.call_function "torch.nn.functional.avg_pool2d"(%x, 2) : (tensor<1x3x10x10xf32>) -> tensor<1x3x5x5xf32>
    %adaptive_avg_pool2d = fx.call_function "torch.nn.functional.adaptive_avg_pool2d"(%x, (3, 4)) : (tensor<1x3x10x10xf32>) -> tensor<1x3x3x4xf32>
    %adaptive_avg_pool2d_1 = fx.call_function "torch.nn.functional.adaptive_avg_pool2d"(%x, 1) : (tensor<1x3x10x10xf32>) -> tensor<1x3x1x1xf32>
    fx.output (%max_pool2d, %max_pool2d_1, %max_pool2d_2, %avg_pool2d, %avg_pool2d_1, %avg_pool2d_2, %adaptive_avg_pool2d, %adaptive_avg_pool2d_1) : tensor<1x3x5x5xf32>, tensor<1x3x5x5xf32>, tensor<1x3x8x8xf32>, tensor<1x3x5x5xf32>, tensor<1x3x6x6xf32>, tensor<1x3x5x5xf32>, tensor<1x3x3x4xf32>, tensor<1x3x1x1xf32>
  }
}

fx.graph_module @Normalization {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3x4x4xf32>
    %mean = fx.placeholder "mean" : tensor<3xf32>
    %var = fx.placeholder "var" : tensor<3xf32>
    %w = fx.placeholder "w" : tensor<4x4xf32>
    %abs = fx.call_function "torch.abs"(%var) : (tensor<3xf32>) -> tensor<3xf32>
    %batch_norm = fx.call_function "torch.nn.functional.batch_norm"(%x, %mean, %abs, %mean, %var, False, 0.1, 0.001) : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
    %layer_norm = fx.call_function "torch.nn.functional.layer_norm"(%x, (4, 4), %w, %w) : (tensor<2x3x4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<2x3x4x4xf32>
    %layer_norm_1 = fx.call_function "torch.nn.functional.layer_norm"(%x, (4,)) : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
    %softmax = fx.call_function "torch.nn.functional.softmax"(%x, dim = 1) : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
    %log_softmax = fx.call_method "log_softmax"(%x, -1) : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
    fx.output (%batch_norm, %layer_norm, %layer_norm_1, %softmax, %log_softmax) : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
  }
}

fx.graph_module @Shapes {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3x4xf32>
    %flatten = fx.call_function "torch.flatten"(%x, 1) : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    %view = fx.call_method "view"(%flatten, 4, -1) : (tensor<2x12xf32>) -> tensor<4x6xf32>
    %permute = fx.call_method "permute"(%x, 2, 0, 1) : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
    %transpose = fx.call_method "transpose"(%x, -1, 0) : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
    %contiguous = fx.call_method "contiguous"(%transpose) : (tensor<4x3x2xf32>) -> tensor<4x3x2xf32>
    %unsqueeze = fx.call_function "torch.unsqueeze"(%x, 1) : (tensor<2x3x4xf32>) -> tensor<2x1x3x4xf32>
    %expand = fx.call_method "expand"(%unsqueeze, 2, 5, 3, 4) : (tensor<2x1x3x4xf32>) -> tensor<2x5x3x4xf32>
    %cat = fx.call_function "torch.cat"([%x, %x], 1) : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x6x4xf32>
    %stack = fx.call_function "torch.stack"([%x, %x], -1) : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4x2xf32>
    %split = fx.call_method "split"(%cat, (1, 5), 1) : (tensor<2x6x4xf32>) -> !fx.tuple<tensor<2x1x4xf32>, tensor<2x5x4xf32>>
    %getitem = fx.call_function "operator.getitem"(%split, 1) : (!fx.tuple<tensor<2x1x4xf32>, tensor<2x5x4xf32>>) -> tensor<2x5x4xf32>
    %chunk = fx.call_function "torch.chunk"(%getitem, 2, -1) : (tensor<2x5x4xf32>) -> !fx.tuple<tensor<2x5x2xf32>, tensor<2x5x2xf32>>
    %getitem_1 = fx.call_function "operator.getitem"(%chunk, -1) : (!fx.tuple<tensor<2x5x2xf32>, tensor<2x5x2xf32>>) -> tensor<2x5x2xf32>
    %getitem_2 = fx.call_function "operator.getitem"(%x, (..., None, slice(1, None, 2))) : (tensor<2x3x4xf32>) -> tensor<2x3x1x2xf32>
    %getitem_3 = fx.call_function "operator.getitem"(%x, (slice(None, None, None), -1)) : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
    %narrow = fx.call_function "torch.narrow"(%x, 2, 1, 2) : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
    %squeeze = fx.call_method "squeeze"(%unsqueeze, 1) : (tensor<2x1x3x4xf32>) -> tensor<2x3x4xf32>
    %size = fx.call_method "size"(%x, -1) : (tensor<2x3x4xf32>) -> !fx.int
    %reshape = fx.call_function "torch.reshape"(%squeeze, (%size, -1)) : (tensor<2x3x4xf32>, !fx.int) -> tensor<4x6xf32>
    fx.output (%view, %permute, %contiguous, %expand, %stack, %getitem_1, %getitem_2, %getitem_3, %narrow, %reshape) : tensor<4x6xf32>, tensor<4x2x3xf32>, tensor<4x3x2xf32>, tensor<2x5x3x4xf32>, tensor<2x3x4x2xf32>, tensor<2x5x2xf32>, tensor<2x3x1x2xf32>, tensor<2x4xf32>, tensor<2x3x2xf32>, tensor<4x6xf32>
  }
}

fx.graph_module @ReductionsAndCreation {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3x4xf32>
    %idx = fx.placeholder "idx" : tensor<2x5xi64>
    %table = fx.placeholder "table" : tensor<10x3xf32>
    %sum = fx.call_function "torch.sum"(%x, (0, 2)) : (tensor<2x3x4xf32>) -> tensor<3xf32>
    %mean = fx.call_method "mean"(%x, -1, keepdim = True) : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
    %amax = fx.call_function "torch.amax"(%x, 1) : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
    %sum_1 = fx.call_method "sum"(%x) : (tensor<2x3x4xf32>) -> tensor<f32>
    %cumsum = fx.call_function "torch.cumsum"(%x, dim = 2) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %ones_like = fx.call_function "torch.ones_like"(%x) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %tril = fx.call_function "torch.tril"(%x, 1) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %triu = fx.call_method "triu"(%ones_like) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
    %remainder = fx.call_function "operator.mod"(%idx, 10) : (tensor<2x5xi64>) -> tensor<2x5xi64>
    %abs = fx.call_function "torch.abs"(%remainder) : (tensor<2x5xi64>) -> tensor<2x5xi64>
    %embedding = fx.call_function "torch.nn.functional.embedding"(%abs, %table) : (tensor<2x5xi64>, tensor<10x3xf32>) -> tensor<2x5x3xf32>
    %cumsum_1 = fx.call_function "torch.cumsum"(%abs, 1) : (tensor<2x5xi64>) -> tensor<2x5xi64>
    fx.output (%sum, %mean, %amax, %sum_1, %cumsum, %tril, %triu, %embedding, %cumsum_1) : tensor<3xf32>, tensor<2x3x1xf32>, tensor<2x4xf32>, tensor<f32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x5x3xf32>, tensor<2x5xi64>
  }
}
