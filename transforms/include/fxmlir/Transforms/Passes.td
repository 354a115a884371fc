//===- Passes.td - torch.fx's graph passes -----------------*- tablegen -*-===//
#ifndef FXMLIR_TRANSFORMS_PASSES_TD
#define FXMLIR_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FxShapeProp : Pass<"fx-shape-prop", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's ShapeProp: type every node, fold shape arithmetic";
  let description = [{
    Runs the forward graph, as torch.fx's ShapeProp does, on zero-filled inputs of the
    placeholders' types (from the IR or `input-types`) with the reference kernels, and sets each
    node's result type from the value it produced: `tensor<1x64x56x56xf32>`, `!fx.int`,
    `!fx.tuple<...>`. With static shapes, Python-level values (`x.size(1)`, getitem of sizes,
    floordiv, `math.sqrt` of ints) are constants: `fold-shapes` writes them into their users as
    literals and removes the nodes. A target without a reference kernel is named in the error.

    ```mlir
    %x = fx.placeholder "x" : tensor<2x8xf32>
    %size = fx.call_method "size"(%x, 1) : (tensor<2x8xf32>) -> !fx.any
    %view = fx.call_method "view"(%x, %size, -1) : (tensor<2x8xf32>, !fx.any) -> !fx.any
    // becomes
    %x = fx.placeholder "x" : tensor<2x8xf32>
    %view = fx.call_method "view"(%x, 8, -1) : (tensor<2x8xf32>) -> tensor<8x2xf32>
    ```
  }];
  let options = [
    ListOption<"inputTypes", "input-types", "std::string",
               "types of the placeholders, e.g. 1x3x224x224xf32 (overrides the IR)">,
    Option<"foldShapes", "fold-shapes", "bool", "true",
           "replace Python-level values computed from static shapes by literals">,
  ];
}

def FxFunctionalize : Pass<"fx-functionalize", "::mlir::fx::GraphOp"> {
  let summary = "in-place updates become functional calls; later nodes read their results";
  let description = [{
    PyTorch programs mutate tensors; the interpreter's kernels and the compiled code compute
    values. In graph order, each in-place update of a tensor `x` is replaced by a call that
    computes x's new value, and every later node (the output included) reads that value
    where it read `x`:

    - a Tensor method or torch function named with one trailing underscore (`x.mul_(2)`,
      `torch.relu_(x)`, `torch.ops.aten.add_.Tensor(x, y)`) becomes its registered functional
      form with the same arguments (`mul`, `torch.relu`, `torch.ops.aten.add.Tensor`; for aten,
      else the overload packet or the Tensor method), followed by `type_as(result, x)`: an
      in-place op keeps x's dtype where the functional one would promote. A name whose
      functional form the registry does not know is an error;
    - `x.copy_(src)` becomes `src.type_as(x).expand_as(x)`, `x.fill_(v)`
      `torch.full_like(x, v)` (or the copy form where `v` is a tensor), `x.zero_()`
      `torch.zeros_like(x)`;
    - `operator.setitem(x, index, v)` (`x[index] = v`) becomes `fxmlir.setitem(x, index, v)`,
      x with that assignment done (the setitem node's None becomes a literal None);
    - a call with `inplace=True` (`F.relu(x, inplace=True)`, a call_module of
      `nn.ReLU(inplace=True)`) already computes the new value: later nodes read its result.

    An update is only renamed where nothing else could observe it. Its tensor may share memory
    with others: the value it is a view of (through getitem, view, reshape, transpose, permute,
    expand, squeeze, unsqueeze, flatten, split, chunk, unbind, narrow, select, as_strided,
    detach, contiguous, dtype conversions that may return self, `x.T`, ...; conservatively,
    whether or not the call copies), that value's other views, and other `get_attr`s of the
    same parameter or buffer. An update through basic indexing (getitem with ints, slices,
    None, Ellipsis; aten select/slice), possibly chained, is written back into each base with
    `fxmlir.setitem`, so later reads of the bases see it (the mask assignment of swin's
    shifted windows). Otherwise, if any of those is read after the update, the update is an
    error ("in-place update of %v, a view of %x, is not supported yet: %x, which shares its
    memory, is read after it"): views that do not just index their base (view, transpose,
    ...), another view of the same base read later, and advanced (list/tensor) indexing.
    Where nothing reads them later, renaming is exact, since no later node can tell the
    difference. The values this pass creates are fresh tensors.

    Updates of placeholders, parameters and buffers are not written back: the graph's inputs
    and the module's state are as they were after it runs; only its output changes.

    ```mlir
    %y = fx.call_method "clone"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %mul_ = fx.call_method "mul_"(%y, 2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %setitem = fx.call_function "operator.setitem"(%y, 0, 5.0) : (tensor<2x3xf32>) -> !fx.none
    fx.output %y : tensor<2x3xf32>
    // becomes
    %y = fx.call_method "clone"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %mul = fx.call_method "mul"(%y, 2) : (tensor<2x3xf32>) -> !fx.any
    %type_as = fx.call_method "type_as"(%mul, %y) : (!fx.any, tensor<2x3xf32>) -> tensor<2x3xf32>
    %setitem_1 = fx.call_function "fxmlir.setitem"(%type_as, 0, 5.0)
        : (tensor<2x3xf32>) -> tensor<2x3xf32>
    fx.output %setitem_1 : tensor<2x3xf32>
    ```
  }];
}

def FxAttachWeights : Pass<"fx-attach-weights", "::mlir::ModuleOp"> {
  let summary = "give the module's dense_resource weights their bytes from a raw weights file";
  let description = [{
    The importer's fast path for bytecode: instead of writing the weights as hex text (slow to
    write, parse and hold), it writes the IR without a `dialect_resources` section and the
    weights raw into a file beside it; this pass maps that file and makes each blob the module
    references point into it, without copying, so that `--emit-bytecode` writes them at disk
    speed. The file holds the blobs (each at a 64-byte aligned offset), an index of lines
    `key<TAB>offset<TAB>size<TAB>alignment`, and a 32-byte trailer
    `FXWEIGHTS1 <index offset, 20 digits>\n`. Entries the module does not reference are
    ignored; a malformed file is an error.

    ```sh
    fx-opt model.mlir --fx-attach-weights=file=model.weights --emit-bytecode -o model.mlirbc
    ```
  }];
  let options = [Option<"file", "file", "std::string", "", "the raw weights file">];
}

def FxDeadCodeElimination : Pass<"fx-dce", "::mlir::fx::GraphOp"> {
  let summary = "torch.fx's eliminate_dead_code: remove unused pure nodes";
  let description = [{
    Removes nodes whose results are unused and that have no side effects, last node first.
    Placeholders and impure calls (`torch._assert`, `print`, in-place methods such as `add_`)
    stay, as `Node.is_impure()` says. Upstream `-canonicalize` removes the same nodes, through
    the ops' side-effect interface.
  }];
}

def FxCommonSubexpressionElimination : Pass<"fx-cse", "::mlir::fx::GraphOp"> {
  let summary = "merge pure nodes that compute the same thing";
  let description = [{
    Two pure nodes with the same opcode, target, arguments and operands compute the same value;
    uses of the later one go to the earlier one and the later is erased. Unlike upstream `-cse`,
    node names do not take part in the comparison.
  }];
}

def FxNormalizeArgs : Pass<"fx-normalize-args", "::mlir::fx::GraphOp"> {
  let summary = "one canonical call form per target: defaults filled in, aliases merged";
  let description = [{
    Binds each call_function and call_method with a registered signature, as Python would, and
    rewrites it in the canonical form: the canonical target (`torch.relu`, `x.relu()` and
    `torch.nn.functional.relu` all become `torch.nn.functional.relu`, the most general
    spelling), positional parameters positionally, keyword-only ones by keyword, every default
    filled in. Targets the registry does not know
    are left as they are.
  }];
}

def FxInlineFunctions : Pass<"fx-inline-functions", "::mlir::fx::GraphModuleOp"> {
  let summary = "calls of torch.fx.wrap'ped functions become copies of their recorded bodies";
  let description = [{
    Each `fx.call_function` that names a recorded body (`fx.body`, see `fx.call_function`) is
    replaced by a copy of the body's nodes: the placeholders take the call's operands in order,
    the copies get names unique in the caller's graph (torch.fx's `mul` -> `mul_1`), and the
    call's users read what the body's output returns. Calls of bodies among the copies are
    inlined in turn; then the bodies, no longer called, are erased, so that shape propagation
    and fx-to-linalg see registered ops only. A call whose body the importer could not record
    (`fx.body_error`) is an error that gives torch.fx's reason.

    ```mlir
    fx.graph @forward {
      %x = fx.placeholder "x" : tensor<2xf32>
      %scale = fx.call_function "m.scale"(%x, 2.0) {fx.body = @"m.scale", fx.wrapped}
          : (tensor<2xf32>) -> tensor<2xf32>
      fx.output %scale : tensor<2xf32>
    }
    fx.graph @"m.scale" {
      %x = fx.placeholder "x" : !fx.any
      %mul = fx.call_function "operator.mul"(%x, 2.0) : (!fx.any) -> !fx.any
      fx.output %mul : !fx.any
    }
    // becomes
    fx.graph @forward {
      %x = fx.placeholder "x" : tensor<2xf32>
      %mul = fx.call_function "operator.mul"(%x, 2.0) : (tensor<2xf32>) -> tensor<2xf32>
      fx.output %mul : tensor<2xf32>
    }
    ```
  }];
}

def FxDecomposeModules : Pass<"fx-decompose-modules", "::mlir::fx::GraphModuleOp"> {
  let summary = "call_module of library modules becomes call_functions on their parameters";
  let description = [{
    Each `fx.call_module` of a registered torch.nn module type (Linear, Conv2d, BatchNorm2d in
    eval, LayerNorm, activations, pooling, Dropout as identity, ...) is replaced by its
    decomposition from the op registry, with `fx.get_attr` nodes for its parameters. Modules of
    other types stay.

    ```mlir
    %fc = fx.call_module "fc"(%x) : (tensor<1x4xf32>) -> tensor<1x2xf32>
    // becomes
    %fc_weight = fx.get_attr "fc.weight" : tensor<2x4xf32>
    %fc_bias = fx.get_attr "fc.bias" : tensor<2xf32>
    %linear = fx.call_function "torch.nn.functional.linear"(%x, %fc_weight, %fc_bias) : ...
    ```
  }];
}

def FxConstFold : Pass<"fx-const-fold", "::mlir::fx::GraphModuleOp"> {
  let summary = "evaluate subgraphs that depend only on parameters and constants";
  let description = [{
    Nodes whose inputs are all `get_attr`s and literals (transitively) are evaluated with the
    reference kernels; each value still used by the rest of the graph becomes a new
    `fx.tensor_constant @_folded_N` read by a `get_attr`. Impure nodes are never folded.
  }];
}

def FxReplacePattern : Pass<"fx-replace-pattern", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's subgraph rewriter (replace_pattern)";
  let description = [{
    Reads `pattern-file`, which holds two graph modules, `@pattern` and `@replacement`, whose
    forward graphs take the same placeholders. Every non-overlapping match of the pattern in the
    forward graph (by use-def structure from the pattern's output; placeholders match any
    value; targets and literal arguments must be equal; inner nodes may not be used outside the
    match) is replaced by a copy of the replacement. The number of matches is reported as a
    remark.
  }];
  let options = [
    Option<"patternFile", "pattern-file", "std::string", "\"\"",
           "file with fx.graph_module @pattern and @replacement">,
  ];
}

def FxSplitModule : Pass<"fx-split-module", "::mlir::fx::GraphModuleOp"> {
  let summary = "torch.fx's split_module, by the partition number on each node";
  let description = [{
    Every node but placeholders and the output carries an integer `fx.partition` attribute.
    Each partition becomes a submodule `submod_N` with its own `fx.graph @forward` (and copies of
    the parameters and submodules it uses); the forward graph then calls the submodules in
    topological order, passing values between partitions.
  }];
}

#endif // FXMLIR_TRANSFORMS_PASSES_TD
