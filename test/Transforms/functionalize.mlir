// RUN: fx-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(fx.graph_module(fx.graph(fx-functionalize)))' | FileCheck %s

// In-place methods and functions become their functional forms, cast back to self's dtype;
// every later node reads the new value, the in-place call's own result included.
// CHECK-LABEL: fx.graph_module @Methods
fx.graph_module @Methods {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %y = fx.placeholder "y" : tensor<3xf64>
    // CHECK: %clone = fx.call_method "clone"(%x)
    // CHECK-NEXT: %mul = fx.call_method "mul"(%clone, 2) : (tensor<2x3xf32>) -> !fx.any
    // CHECK-NEXT: %type_as = fx.call_method "type_as"(%mul, %clone) : (!fx.any, tensor<2x3xf32>) -> tensor<2x3xf32>
    // CHECK-NEXT: %add = fx.call_method "add"(%type_as, %y, alpha = 2) : (tensor<2x3xf32>, tensor<3xf64>) -> !fx.any
    // CHECK-NEXT: %type_as_1 = fx.call_method "type_as"(%add, %type_as)
    // CHECK-NEXT: %relu = fx.call_function "torch.relu"(%type_as_1) : (tensor<2x3xf32>) -> !fx.any
    // CHECK-NEXT: %type_as_2 = fx.call_method "type_as"(%relu, %type_as_1)
    // CHECK-NEXT: %[[ATEN:[a-z_0-9]+]] = fx.call_function "torch.ops.aten.add.Tensor"(%type_as_2, %x)
    // CHECK-NEXT: %type_as_3 = fx.call_method "type_as"(%[[ATEN]], %type_as_2)
    // CHECK-NEXT: %neg = fx.call_function "operator.neg"(%type_as_3)
    // CHECK-NEXT: fx.output (%type_as_3, %neg)
    %clone = fx.call_method "clone"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %mul_ = fx.call_method "mul_"(%clone, 2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %add_ = fx.call_method "add_"(%clone, %y, alpha = 2) : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
    // mul_ returned %clone itself: relu_ updates what add_ left.
    %relu_ = fx.call_function "torch.relu_"(%mul_) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %add__1 = fx.call_function "torch.ops.aten.add_.Tensor"(%clone, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %neg = fx.call_function "operator.neg"(%clone) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    fx.output (%clone, %neg) : tensor<2x3xf32>, tensor<2x3xf32>
  }
}

// -----

// copy_, fill_ and zero_ have forms of their own; placeholders are updated like any value
// (and not written back).
// CHECK-LABEL: fx.graph_module @Fills
fx.graph_module @Fills {
  fx.graph @forward {
    %a = fx.placeholder "a" : tensor<2x3xf32>
    %b = fx.placeholder "b" : tensor<2x3xi64>
    %c = fx.placeholder "c" : tensor<2x3xf32>
    %d = fx.placeholder "d" : tensor<2x3xf32>
    %s = fx.placeholder "s" : tensor<3xf64>
    %t = fx.placeholder "t" : tensor<f32>
    // CHECK: %type_as = fx.call_method "type_as"(%s, %a) : (tensor<3xf64>, tensor<2x3xf32>) -> !fx.any
    // CHECK-NEXT: %expand_as = fx.call_method "expand_as"(%type_as, %a) : (!fx.any, tensor<2x3xf32>) -> tensor<2x3xf32>
    %copy_ = fx.call_method "copy_"(%a, %s) : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
    // CHECK-NEXT: %full_like = fx.call_function "torch.full_like"(%b, 2.5) : (tensor<2x3xi64>) -> tensor<2x3xi64>
    %fill_ = fx.call_function "torch.ops.aten.fill_.Scalar"(%b, 2.5) : (tensor<2x3xi64>) -> tensor<2x3xi64>
    // A 0-d tensor fills as a copy.
    // CHECK-NEXT: %type_as_1 = fx.call_method "type_as"(%t, %c)
    // CHECK-NEXT: %expand_as_1 = fx.call_method "expand_as"(%type_as_1, %c)
    %fill__1 = fx.call_method "fill_"(%c, %t) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    // CHECK-NEXT: %zeros_like = fx.call_function "torch.zeros_like"(%d) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %zero_ = fx.call_method "zero_"(%d) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // CHECK-NEXT: fx.output (%expand_as, %full_like, %expand_as_1, %zeros_like)
    fx.output (%a, %b, %c, %d) : tensor<2x3xf32>, tensor<2x3xi64>, tensor<2x3xf32>, tensor<2x3xf32>
  }
}

// -----

// `x[i] = v` becomes fxmlir.setitem; `x[:, 1:3] += 1` traces as getitem, add, setitem, and the
// getitem view is not read after the update.
// CHECK-LABEL: fx.graph_module @Setitem
fx.graph_module @Setitem {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4x5xf32>
    %v = fx.placeholder "v" : tensor<5xf32>
    // CHECK: %[[SET:[a-z_0-9]+]] = fx.call_function "fxmlir.setitem"(%x, 1, %v) : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
    %setitem = fx.call_function "operator.setitem"(%x, 1, %v) : (tensor<4x5xf32>, tensor<5xf32>) -> !fx.none
    // CHECK-NEXT: %getitem = fx.call_function "operator.getitem"(%[[SET]], (slice(None, None, None), slice(1, 3, None)))
    %getitem = fx.call_function "operator.getitem"(%x, (slice(None, None, None), slice(1, 3, None))) : (tensor<4x5xf32>) -> tensor<4x2xf32>
    // CHECK-NEXT: %add = fx.call_function "operator.add"(%getitem, 1)
    %add = fx.call_function "operator.add"(%getitem, 1) : (tensor<4x2xf32>) -> tensor<4x2xf32>
    // CHECK-NEXT: %[[SET2:[a-z_0-9]+]] = fx.call_function "fxmlir.setitem"(%[[SET]], (slice(None, None, None), slice(1, 3, None)), %add)
    %setitem_1 = fx.call_function "operator.setitem"(%x, (slice(None, None, None), slice(1, 3, None)), %add) : (tensor<4x5xf32>, tensor<4x2xf32>) -> !fx.none
    // CHECK-NEXT: fx.output %[[SET2]]
    fx.output %x : tensor<4x5xf32>
  }
}

// -----

// A call with inplace=True computes the new value itself: later nodes read its result.
// CHECK-LABEL: fx.graph_module @InplaceFlag
fx.graph_module @InplaceFlag {
  fx.submodule @act "torch.nn.ReLU"(inplace = True)
  fx.submodule @act2 "torch.nn.ReLU"(inplace = False)
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4xf32>
    %y = fx.placeholder "y" : tensor<4xf32>
    // CHECK: %relu = fx.call_function "torch.nn.functional.relu"(%x, inplace = True)
    // CHECK-NEXT: %add = fx.call_function "operator.add"(%relu, %relu)
    %relu = fx.call_function "torch.nn.functional.relu"(%x, inplace = True) : (tensor<4xf32>) -> tensor<4xf32>
    %add = fx.call_function "operator.add"(%x, %relu) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    // CHECK-NEXT: %act = fx.call_module "act"(%y)
    // CHECK-NEXT: %act2 = fx.call_module "act2"(%act)
    // CHECK-NEXT: %mul = fx.call_function "operator.mul"(%act, %act2)
    %act = fx.call_module "act"(%y) : (tensor<4xf32>) -> tensor<4xf32>
    %act2 = fx.call_module "act2"(%y) : (tensor<4xf32>) -> tensor<4xf32>
    %mul = fx.call_function "operator.mul"(%y, %act2) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    fx.output (%add, %mul) : tensor<4xf32>, tensor<4xf32>
  }
}

// -----

// Updates through views are exact when nothing sharing the memory is read afterwards; the
// items of a tuple from a call that makes no views are tensors of their own. Names such as
// operator.and_ are not updates.
// CHECK-LABEL: fx.graph_module @UnobservedViews
fx.graph_module @UnobservedViews {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %z = fx.placeholder "z" : tensor<2x3xf32>
    %m = fx.placeholder "m" : tensor<2x3xi1>
    // CHECK: %view = fx.call_method "view"(%x, 6)
    // CHECK-NEXT: %add = fx.call_method "add"(%view, 1)
    // CHECK-NEXT: %type_as = fx.call_method "type_as"(%add, %view)
    %view = fx.call_method "view"(%x, 6) : (tensor<2x3xf32>) -> tensor<6xf32>
    %add_ = fx.call_method "add_"(%view, 1) : (tensor<6xf32>) -> tensor<6xf32>
    // CHECK: %max = fx.call_function "torch.max"(%z, 1)
    %max = fx.call_function "torch.max"(%z, 1) : (tensor<2x3xf32>) -> !fx.tuple<tensor<2xf32>, tensor<2xi64>>
    %values = fx.call_function "operator.getitem"(%max, 0) : (!fx.tuple<tensor<2xf32>, tensor<2xi64>>) -> tensor<2xf32>
    %indices = fx.call_function "operator.getitem"(%max, 1) : (!fx.tuple<tensor<2xf32>, tensor<2xi64>>) -> tensor<2xi64>
    // CHECK: %mul = fx.call_method "mul"(%values, 2)
    %mul_ = fx.call_method "mul_"(%values, 2) : (tensor<2xf32>) -> tensor<2xf32>
    // CHECK: %and_ = fx.call_function "operator.and_"(%m, %m)
    %and_ = fx.call_function "operator.and_"(%m, %m) : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
    fx.output (%view, %values, %indices, %and_) : tensor<6xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2x3xi1>
  }
}

// -----

// An update through views that index their base (getitem with a basic index, aten slice and
// select, Tensor.select) is written back into the bases later nodes read, innermost first, by
// fxmlir.setitem with the index each view took (rank-free: `...` before a negative dim); the
// views read later read their new values too.
// CHECK-LABEL: fx.graph_module @WriteThroughIndexing
fx.graph_module @WriteThroughIndexing {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<4x5xf32>
    %v = fx.placeholder "v" : tensor<f32>
    %mask = fx.call_function "torch.zeros"(4, 5) : () -> tensor<4x5xf32>
    // CHECK: %slice_1 = fx.call_function "torch.ops.aten.slice.Tensor"(%mask, 0, 0, -1)
    // CHECK-NEXT: %slice_2 = fx.call_function "torch.ops.aten.slice.Tensor"(%slice_1, -1, 1, 9223372036854775807, 2)
    // CHECK-NEXT: %type_as = fx.call_method "type_as"(%v, %slice_2)
    // CHECK-NEXT: %expand_as = fx.call_method "expand_as"(%type_as, %slice_2)
    // CHECK-NEXT: %setitem = fx.call_function "fxmlir.setitem"(%slice_1, (..., slice(1, 9223372036854775807, 2)), %expand_as) : (tensor<3x5xf32>, tensor<3x2xf32>) -> tensor<3x5xf32>
    // CHECK-NEXT: %setitem_1 = fx.call_function "fxmlir.setitem"(%mask, (slice(0, -1, None),), %setitem) : (tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
    %slice_1 = fx.call_function "torch.ops.aten.slice.Tensor"(%mask, 0, 0, -1) : (tensor<4x5xf32>) -> tensor<3x5xf32>
    %slice_2 = fx.call_function "torch.ops.aten.slice.Tensor"(%slice_1, -1, 1, 9223372036854775807, 2) : (tensor<3x5xf32>) -> tensor<3x2xf32>
    %fill_ = fx.call_function "torch.ops.aten.fill_.Tensor"(%slice_2, %v) : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
    // CHECK-NEXT: %select = fx.call_method "select"(%setitem_1, 1, 2)
    // CHECK-NEXT: %getitem = fx.call_function "operator.getitem"(%select, slice(None, 2, None))
    // CHECK-NEXT: %add = fx.call_method "add"(%getitem, 1)
    // CHECK-NEXT: %type_as_1 = fx.call_method "type_as"(%add, %getitem)
    // CHECK-NEXT: %setitem_2 = fx.call_function "fxmlir.setitem"(%select, slice(None, 2, None), %type_as_1)
    // CHECK-NEXT: %setitem_3 = fx.call_function "fxmlir.setitem"(%setitem_1, (slice(None, None, None), 2), %setitem_2)
    %select = fx.call_method "select"(%mask, 1, 2) : (tensor<4x5xf32>) -> tensor<4xf32>
    %getitem = fx.call_function "operator.getitem"(%select, slice(None, 2, None)) : (tensor<4xf32>) -> tensor<2xf32>
    %add_ = fx.call_method "add_"(%getitem, 1) : (tensor<2xf32>) -> tensor<2xf32>
    // `x[1][0] = v` through a getitem: only the base is read later.
    // CHECK-NEXT: %clone = fx.call_method "clone"(%x)
    // CHECK-NEXT: %getitem_1 = fx.call_function "operator.getitem"(%clone, 1)
    // CHECK-NEXT: %setitem_4 = fx.call_function "fxmlir.setitem"(%getitem_1, 0, %v)
    // CHECK-NEXT: %setitem_5 = fx.call_function "fxmlir.setitem"(%clone, 1, %setitem_4)
    %clone = fx.call_method "clone"(%x) : (tensor<4x5xf32>) -> tensor<4x5xf32>
    %getitem_1 = fx.call_function "operator.getitem"(%clone, 1) : (tensor<4x5xf32>) -> tensor<5xf32>
    %assign = fx.call_function "operator.setitem"(%getitem_1, 0, %v) : (tensor<5xf32>, tensor<f32>) -> !fx.none
    // CHECK-NEXT: fx.output (%setitem_3, %setitem_2, %setitem_5)
    fx.output (%mask, %select, %clone) : tensor<4x5xf32>, tensor<4xf32>, tensor<4x5xf32>
  }
}

// -----

// A view that does not index its base (view, transpose, ...) cannot be written back.
fx.graph_module @ViewReadLater {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %view = fx.call_method "view"(%x, 6) : (tensor<2x3xf32>) -> tensor<6xf32>
    // expected-error@+1 {{in-place update of %view, a view of %x, is not supported yet: %x, which shares its memory, is read after it}}
    %add_ = fx.call_method "add_"(%view, 1) : (tensor<6xf32>) -> tensor<6xf32>
    fx.output %x : tensor<2x3xf32>
  }
}

// -----

// Nor can another view of the same base read later (it would not see the update), nor a view
// taken by advanced indexing (a list index copies).
fx.graph_module @SiblingViewReadLater {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %a = fx.call_function "operator.getitem"(%x, 0) : (tensor<2x3xf32>) -> tensor<3xf32>
    %b = fx.call_function "operator.getitem"(%x, slice(None, 1, None)) : (tensor<2x3xf32>) -> tensor<1x3xf32>
    // expected-error@+1 {{in-place update of %a, a view of %x, is not supported yet: %b, which shares its memory, is read after it}}
    %add_ = fx.call_method "add_"(%a, 1) : (tensor<3xf32>) -> tensor<3xf32>
    fx.output (%x, %b) : tensor<2x3xf32>, tensor<1x3xf32>
  }
}

// -----

fx.graph_module @AdvancedIndexReadLater {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %a = fx.call_function "operator.getitem"(%x, [0, 1]) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    // expected-error@+1 {{in-place update of %a, a view of %x, is not supported yet: %x, which shares its memory, is read after it}}
    %add_ = fx.call_method "add_"(%a, 1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    fx.output %x : tensor<2x3xf32>
  }
}

// -----

fx.graph_module @BaseUpdatedUnderView {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<2x3xf32>
    %transpose = fx.call_method "transpose"(%x, 0, 1) : (tensor<2x3xf32>) -> tensor<3x2xf32>
    // expected-error@+1 {{in-place update of %x is not supported yet: %transpose, which shares its memory, is read after it}}
    %mul_ = fx.call_method "mul_"(%x, 2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    fx.output %transpose : tensor<3x2xf32>
  }
}

// -----

fx.graph_module @BufferReadAgain {
  fx.buffer @buf : tensor<3xf32>
  fx.graph @forward {
    %buf = fx.get_attr "buf" : tensor<3xf32>
    // expected-error@+1 {{in-place update of %buf is not supported yet: %buf_1, which shares its memory, is read after it}}
    %add_ = fx.call_method "add_"(%buf, 1) : (tensor<3xf32>) -> tensor<3xf32>
    %buf_1 = fx.get_attr "buf" : tensor<3xf32>
    fx.output %buf_1 : tensor<3xf32>
  }
}

// -----

fx.graph_module @NoFunctionalForm {
  fx.graph @forward {
    %x = fx.placeholder "x" : tensor<3xf32>
    // expected-error@+1 {{cannot functionalize %uniform_ = call_method[target=uniform_]: the registry has no functional form of 'uniform_'}}
    %uniform_ = fx.call_method "uniform_"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    fx.output %uniform_ : tensor<3xf32>
  }
}
