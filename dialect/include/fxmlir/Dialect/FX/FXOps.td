#ifndef FXMLIR_DIALECT_FX_FXOPS_TD
#define FXMLIR_DIALECT_FX_FXOPS_TD

include "fxmlir/Dialect/FX/FXBase.td"
include "fxmlir/Dialect/FX/FXTypes.td"
include "fxmlir/Dialect/FX/FXAttrs.td"
include "fxmlir/Dialect/FX/FXInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Containers: the traced module, its submodules, parameters, buffers and graphs.
//===----------------------------------------------------------------------===//

def FX_GraphModuleOp : FX_Op<"graph_module", [
    IsolatedFromAbove, Symbol, SymbolTable, NoTerminator, SingleBlock, NoRegionArguments]> {
  let summary = "a traced module (torch.fx GraphModule)";
  let description = [{
    Holds everything one traced module owns: `fx.parameter`, `fx.buffer` and `fx.tensor_constant`
    declarations, `fx.submodule`s, and its `fx.graph`s (`@forward`). The symbol is the class name
    of the traced root.

    ```mlir
    fx.graph_module @Net {
      fx.submodule @fc "torch.nn.Linear"(in_features = 4, out_features = 2, bias = True) {
        fx.parameter @weight : tensor<2x4xf32>
        fx.parameter @bias : tensor<2xf32>
      }
      fx.graph @forward { ... }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword `` custom<ModuleBody>($body)";
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The graph that torch.fx traced (`@forward`), or null.
    GraphOp getForward();
  }];
}

def FX_SubmoduleOp : FX_Op<"submodule", [
    IsolatedFromAbove, Symbol, SymbolTable, NoTerminator, SingleBlock, NoRegionArguments,
    HasParent<"GraphModuleOp, SubmoduleOp">]> {
  let summary = "a submodule: its type, hyper-parameters and what it owns";
  let description = [{
    One entry of `named_children()`. `module_type` is the qualified class name
    (`torch.nn.Conv2d`); the hyper-parameters are the constructor's keyword arguments as torch
    stores them. The body declares the submodule's own parameters, buffers and children; a
    submodule that is itself a traced GraphModule (from split_module) holds a `fx.graph` too.
    Qualified names such as `layer1.0.conv1` resolve through nested submodules.

    ```mlir
    fx.submodule @conv1 "torch.nn.Conv2d"(in_channels = 3, out_channels = 64,
        kernel_size = (7, 7), stride = (2, 2), padding = (3, 3), bias = False) {
      fx.parameter @weight : tensor<64x3x7x7xf32>
    }
    fx.submodule @relu "torch.nn.ReLU"(inplace = True)
    ```
    A submodule that owns nothing prints without a body.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$module_type, FX_DictAttr:$hyperparameters);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name $module_type `` custom<Hyperparameters>($hyperparameters) attr-dict-with-keyword
    `` custom<ModuleBody>($body)
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name, "::llvm::StringRef":$moduleType,
                                 CArg<"DictAttr", "{}">:$hyperparameters)>];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// A hyper-parameter by name, or null.
    ::mlir::Attribute getHyperparameter(::llvm::StringRef key) {
      return getHyperparameters().lookup(key);
    }
  }];
}

class FX_TensorDeclOp<string mnemonic, string what> : FX_Op<mnemonic, [
    Symbol, HasParent<"GraphModuleOp, SubmoduleOp">]> {
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyTensor>:$type,
                       OptionalAttr<ElementsAttr>:$value);
  let assemblyFormat = "$sym_name `:` $type `` custom<TensorValue>(ref($type), $value) attr-dict";
  let hasVerifier = 1;
  let description = "Declares " # what # [{ of its module, with its type and, where known, its
    values (`dense<...>` or `dense_resource<...>`, so that real weights fit). A `fx.get_attr`
    names it by its qualified path.

    ```mlir
    fx.parameter @weight : tensor<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]>
    fx.buffer @running_mean : tensor<64xf32> = dense_resource<bn1.running_mean>
    ```
  }];
  let extraClassDeclaration = [{
    ::mlir::TensorType getTensorType() { return ::llvm::cast<::mlir::TensorType>(getType()); }
  }];
}

def FX_ParameterOp : FX_TensorDeclOp<"parameter", "a parameter (torch.nn.Parameter)"> {
  let summary = "a module parameter";
}
def FX_BufferOp : FX_TensorDeclOp<"buffer", "a registered buffer"> {
  let summary = "a module buffer (e.g. BatchNorm's running statistics)";
}
def FX_TensorConstantOp : FX_TensorDeclOp<"tensor_constant",
    "a plain tensor attribute (torch.fx's `_tensor_constantN`)"> {
  let summary = "a tensor attribute that is neither parameter nor buffer";
}

def FX_GraphOp : FX_Op<"graph", [
    IsolatedFromAbove, Symbol, SingleBlock, NoRegionArguments,
    HasParent<"GraphModuleOp, SubmoduleOp">]> {
  let summary = "a torch.fx Graph: placeholders, nodes, and one output";
  let description = [{
    The nodes of one traced method, in topological order. Placeholders come first, in the order of
    the method's parameters; `fx.output` ends the graph. The verifier is torch.fx's `Graph.lint()`:
    unique node names, declared targets, well-formed literal arguments.

    Besides `@forward`, a graph module may hold the recorded bodies of `torch.fx.wrap`ped
    functions, one graph per function and argument structure, named after the function
    (`@"torchvision.models.swin_transformer._patch_merging_pad"`, then `#1`, `#2`, ... for
    further structures); the calls name them in `fx.body` (see `fx.call_function`). A body's
    placeholders are named after the function's parameters.

    ```mlir
    fx.graph @forward {
      %x = fx.placeholder "x" : tensor<2x4xf32>
      %relu = fx.call_function "torch.relu"(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
      fx.output %relu : tensor<2x4xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The module-like op (graph_module or submodule) whose attributes the graph's
    /// get_attr and call_module nodes name.
    ::mlir::Operation *getOwner() { return (*this)->getParentOp(); }
    OutputOp getOutput();
  }];
}

//===----------------------------------------------------------------------===//
// Nodes: one op per torch.fx opcode.
//===----------------------------------------------------------------------===//

class FX_NodeOp<string mnemonic, list<Trait> traits = []> : FX_Op<mnemonic, traits # [
    HasParent<"GraphOp">, DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>,
    DeclareOpInterfaceMethods<FX_NodeOpInterface>]> {
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def FX_PlaceholderOp : FX_NodeOp<"placeholder"> {
  let summary = "an input of the graph (torch.fx placeholder)";
  let description = [{
    One per parameter of the traced method, in order. `target` is the parameter's name
    (`*args` for a star parameter); a default value is kept as a literal.

    ```mlir
    %x = fx.placeholder "x" : tensor<1x3x224x224xf32>
    %scale = fx.placeholder "scale" default 2.0 : !fx.float
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$target, OptionalAttr<AnyAttr>:$default_value);
  let results = (outs FX_Value:$result);
}

def FX_GetAttrOp : FX_NodeOp<"get_attr", [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads a parameter, buffer or constant of the module (torch.fx get_attr)";
  let description = [{
    `target` is the qualified path of a `fx.parameter`, `fx.buffer` or `fx.tensor_constant`
    declared in the graph's module.

    ```mlir
    %layer1_0_conv1_weight = fx.get_attr "layer1.0.conv1.weight" : tensor<64x64x3x3xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$target);
  let results = (outs FX_Value:$result);
}

class FX_CallOp<string mnemonic, list<Trait> traits = []> : FX_NodeOp<mnemonic, traits # [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let arguments = (ins Variadic<FX_Value>:$inputs, StrAttr:$name, StrAttr:$target,
                       ArrayAttr:$args, FX_DictAttr:$kwargs);
  let results = (outs FX_Value:$result);
  let builders = [
    // From torch.fx-style arguments: values and literals, nested (see NodeArgs.h).
    OpBuilder<(ins "::mlir::Type":$resultType, "::llvm::StringRef":$name,
                   "::llvm::StringRef":$target, "::llvm::ArrayRef<Arg>":$args,
                   CArg<"::llvm::ArrayRef<std::pair<std::string, Arg>>", "{}">:$kwargs), [{
      EncodedArgs encoded = encodeArgs($_builder.getContext(), args, kwargs);
      build($_builder, $_state, resultType, encoded.operands, name, target, encoded.args,
            encoded.kwargs);
    }]>
  ];
}

def FX_CallFunctionOp : FX_CallOp<"call_function", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "calls a free function (torch.fx call_function)";
  let description = [{
    `target` is the function's qualified name: `operator.add`, `torch.flatten`,
    `torch.nn.functional.relu`, `math.sqrt`, `getattr`, or a wrapped user function. Arguments are
    SSA values and literals in torch.fx's order; keyword arguments follow by name. The op has side
    effects only when its target does (`torch._assert`, ...), so DCE and CSE treat it as torch.fx
    does.

    ```mlir
    %flatten = fx.call_function "torch.flatten"(%avgpool, 1)
        : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
    %getitem = fx.call_function "operator.getitem"(%x, (slice(None, None, None), 0, ...))
        : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
    ```

    A call of a `torch.fx.wrap`ped function (no registered op) may name the graph that records
    the function's body in `fx.body`, a symbol of the graph module: the body's placeholders take
    the node's SSA operands in order (positional, then keyword arguments), its literal arguments
    are constants of the body. The interpreter runs the body; `fx-inline-functions` replaces the
    call by a copy of it. `fx.body_error` says why the importer could not record a body.

    ```mlir
    %gated = fx.call_function "models.gated"(%x, %weight, 2.0, shift = -1.0)
        {fx.body = @"models.gated", fx.wrapped} : (tensor<3x4xf32>, tensor<6x4xf32>) -> tensor<3x6xf32>
    %clamp = fx.call_function "models.clamp_positive"(%x)
        {fx.body_error = "TraceError: symbolically traced variables cannot be used as inputs to control flow",
         fx.wrapped} : (tensor<3x4xf32>) -> tensor<3x4xf32>
    ```
  }];
}

def FX_CallMethodOp : FX_CallOp<"call_method"> {
  let summary = "calls a method on its first argument (torch.fx call_method)";
  let description = [{
    `target` is the method name; the first argument is `self`. In-place methods (a name ending in
    `_`, such as `add_`) have side effects.

    ```mlir
    %view = fx.call_method "view"(%x, %size, -1) : (tensor<2x8xf32>, !fx.int) -> tensor<2x8xf32>
    ```
  }];
}

def FX_CallModuleOp : FX_CallOp<"call_module", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "calls a submodule's forward (torch.fx call_module)";
  let description = [{
    `target` is the qualified path of a `fx.submodule` of the graph's module; arguments are those
    of its forward, without self.

    ```mlir
    %layer1_0_conv1 = fx.call_module "layer1.0.conv1"(%maxpool)
        : (tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let extraClassDeclaration = [{
    /// The submodule this node calls (resolved through the graph's module), or null.
    SubmoduleOp getCallee();
  }];
}

def FX_OutputOp : FX_Op<"output", [
    Terminator, HasParent<"GraphOp">, Pure,
    DeclareOpInterfaceMethods<FX_NodeOpInterface>]> {
  let summary = "returns the graph's result, a value or a nested structure (torch.fx output)";
  let description = [{
    The single argument is what the traced method returns: one value, or nested tuples, lists and
    dicts of values and literals.

    ```mlir
    fx.output %fc : tensor<1x1000xf32>
    fx.output (%logits, {"loss": %loss}) : tensor<2x10xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Variadic<FX_Value>:$inputs, ArrayAttr:$args);
  let builders = [
    OpBuilder<(ins "const Arg &":$result), [{
      ::llvm::SmallVector<::mlir::Value> operands;
      ::mlir::Attribute encoded = encodeArg($_builder.getContext(), result, operands);
      build($_builder, $_state, operands, $_builder.getArrayAttr({encoded}));
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

#endif // FXMLIR_DIALECT_FX_FXOPS_TD
