// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(fx.graph_module(fx-decompose-modules))' | FileCheck %s

// CHECK-LABEL: fx.graph_module @Net
fx.graph_module @Net {
  fx.submodule @conv "torch.nn.Conv2d"(in_channels = 3, out_channels = 4, kernel_size = (3, 3), stride = (2, 2), padding = (1, 1), bias = False) {
    fx.parameter @weight : tensor<4x3x3x3xf32>
  }
  fx.submodule @bn "torch.nn.BatchNorm2d"(num_features = 4, eps = 1.0e-03) {
    fx.parameter @weight : tensor<4xf32>
    fx.parameter @bias : tensor<4xf32>
    fx.buffer @running_mean : tensor<4xf32>
    fx.buffer @running_var : tensor<4xf32>
  }
  fx.submodule @act "torch.nn.ReLU6"(inplace = True)
  fx.submodule @drop "torch.nn.Dropout"(p = 0.5)
  fx.submodule @fc "torch.nn.Linear"(in_features = 4, out_features = 2, bias = True) {
    fx.parameter @weight : tensor<2x4xf32>
    fx.parameter @bias : tensor<2xf32>
  }
  fx.submodule @custom "my_lib.Block"
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x3x8x8xf32>
    // CHECK: %conv_weight = fx.get_attr "conv.weight" : tensor<4x3x3x3xf32>
    // CHECK-NEXT: %conv2d = fx.call_function "torch.conv2d"(%x, %conv_weight, None, (2, 2), (1, 1), 1, 1) : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
    %conv = fx.call_module "conv"(%x) : (tensor<1x3x8x8xf32>) -> tensor<1x4x4x4xf32>
    // CHECK: %bn_running_mean = fx.get_attr "bn.running_mean"
    // CHECK: %batch_norm = fx.call_function "torch.nn.functional.batch_norm"(%conv2d, %bn_running_mean, %bn_running_var, %bn_weight, %bn_bias, False, 0.1, 0.001)
    %bn = fx.call_module "bn"(%conv) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    // CHECK: %relu6 = fx.call_function "torch.nn.functional.relu6"(%batch_norm)
    %act = fx.call_module "act"(%bn) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    // Dropout in eval is the identity: no node at all.
    // CHECK-NOT: "drop"
    %drop = fx.call_module "drop"(%act) : (tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    %mean = fx.call_method "mean"(%drop, [2, 3]) : (tensor<1x4x4x4xf32>) -> tensor<1x4xf32>
    // CHECK: %linear = fx.call_function "torch.nn.functional.linear"(%mean, %fc_weight, %fc_bias) : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    %fc = fx.call_module "fc"(%mean) : (tensor<1x4xf32>) -> tensor<1x2xf32>
    // Module types without a registered decomposition stay calls.
    // CHECK: %custom = fx.call_module "custom"(%linear)
    %custom = fx.call_module "custom"(%fc) : (tensor<1x2xf32>) -> tensor<1x2xf32>
    fx.output %custom : tensor<1x2xf32>
  }
}

// -----

fx.graph_module @BadHyperparameter {
  fx.submodule @fc "torch.nn.Linear"(in_features = 4, out_features = 2, bias = True, colour = "red") {
    fx.parameter @weight : tensor<2x4xf32>
    fx.parameter @bias : tensor<2xf32>
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x4xf32>
    // expected-error@+1 {{cannot decompose %fc = call_module[target=fc] (torch.nn.Linear): Linear() got an unexpected keyword argument 'colour'}}
    %fc = fx.call_module "fc"(%x) : (tensor<1x4xf32>) -> tensor<1x2xf32>
    fx.output %fc : tensor<1x2xf32>
  }
}

// -----

// A module returning a tuple ((h, c) of LSTMCell): each operator.getitem of its result becomes
// the element it names.
// CHECK-LABEL: fx.graph_module @TupleResult
fx.graph_module @TupleResult {
  fx.submodule @cell "torch.nn.LSTMCell"(input_size = 4, hidden_size = 3, bias = True) {
    fx.parameter @weight_ih : tensor<12x4xf32>
    fx.parameter @weight_hh : tensor<12x3xf32>
    fx.parameter @bias_ih : tensor<12xf32>
    fx.parameter @bias_hh : tensor<12xf32>
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x4xf32>
    // Without hx, the state starts at zeros of the input's batch size and dtype.
    // CHECK: %zeros = fx.call_function "torch.zeros"(2, 3,
    // CHECK: %zeros_1 = fx.call_function "torch.zeros"(2, 3,
    // CHECK: %linear = fx.call_function "torch.nn.functional.linear"(%x, %cell_weight_ih, %cell_bias_ih)
    // CHECK: %linear_1 = fx.call_function "torch.nn.functional.linear"(%zeros, %cell_weight_hh, %cell_bias_hh)
    // CHECK: %add = fx.call_function "operator.add"(%linear, %linear_1)
    // CHECK: %chunk = fx.call_function "torch.chunk"(%add, 4, 1)
    // CHECK: %mul = fx.call_function "operator.mul"(%sigmoid_1, %zeros_1)
    // CHECK: %add_1 = fx.call_function "operator.add"(%mul, %mul_1) {{.*}}-> tensor<2x3xf32>
    // CHECK: %mul_2 = fx.call_function "operator.mul"(%sigmoid_2, %tanh_1) {{.*}}-> tensor<2x3xf32>
    // CHECK-NOT: call_module
    // CHECK-NOT: getitem"(%cell
    // CHECK: fx.output (%mul_2, %add_1)
    %cell = fx.call_module "cell"(%x) : (tensor<2x4xf32>) -> !fx.any
    %h = fx.call_function "operator.getitem"(%cell, 0) : (!fx.any) -> tensor<2x3xf32>
    %c = fx.call_function "operator.getitem"(%cell, 1) : (!fx.any) -> tensor<2x3xf32>
    fx.output (%h, %c) : tensor<2x3xf32>, tensor<2x3xf32>
  }
}

// -----

// An untyped graph (fx-trace's) with typed placeholders: shapes are propagated first, since the
// attention decomposition splits heads by the input's shape.
// CHECK-LABEL: fx.graph_module @UntypedAttention
fx.graph_module @UntypedAttention {
  fx.submodule @attn "torch.nn.MultiheadAttention"(embed_dim = 4, num_heads = 2, dropout = 0.0, batch_first = True) {
    fx.parameter @in_proj_weight : tensor<12x4xf32> = dense<0.1>
    fx.parameter @in_proj_bias : tensor<12xf32> = dense<0.0>
    fx.submodule @out_proj "torch.nn.modules.linear.NonDynamicallyQuantizableLinear"(in_features = 4, out_features = 4, bias = True) {
      fx.parameter @weight : tensor<4x4xf32> = dense<0.1>
      fx.parameter @bias : tensor<4xf32> = dense<0.0>
    }
  }
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<1x3x4xf32>
    %y = fx.call_function "torch.relu"(%x) : (tensor<1x3x4xf32>) -> !fx.any
    // CHECK-NOT: fx.call_module
    %attn = fx.call_module "attn"(%y, %y, %y) : (!fx.any, !fx.any, !fx.any) -> !fx.any
    fx.output %attn : !fx.any
  }
}
