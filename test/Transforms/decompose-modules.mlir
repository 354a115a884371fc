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
