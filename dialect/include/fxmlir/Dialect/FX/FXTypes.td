#ifndef FXMLIR_DIALECT_FX_FXTYPES_TD
#define FXMLIR_DIALECT_FX_FXTYPES_TD

include "fxmlir/Dialect/FX/FXBase.td"

// Types of values that are not tensors, or whose kind is not known yet. Tensors use the builtin
// `tensor<...>` type (static or dynamic dims, or unranked).

def FX_AnyType : FX_Type<"Any", "any"> {
  let summary = "a value of unknown Python type";
  let description = [{
    What a node produces before shape propagation has run, e.g. `%y = fx.call_function
    "torch.relu"(%x) : (!fx.any) -> !fx.any`.
  }];
}
def FX_IntType : FX_Type<"Int", "int"> {
  let summary = "a Python int (e.g. `x.size(1)`)";
}
def FX_FloatType : FX_Type<"Float", "float"> {
  let summary = "a Python float";
}
def FX_BoolType : FX_Type<"Bool", "bool"> {
  let summary = "a Python bool";
}
def FX_NoneType : FX_Type<"None", "none"> {
  let summary = "Python's None (e.g. the result of `torch._assert`)";
}
def FX_StrType : FX_Type<"Str", "str"> {
  let summary = "a Python str";
}
def FX_DTypeType : FX_Type<"DType", "dtype"> {
  let summary = "a torch.dtype (e.g. `x.dtype`)";
}
def FX_DeviceType : FX_Type<"Device", "device"> {
  let summary = "a torch.device (e.g. `x.device`)";
}
def FX_ListType : FX_Type<"List", "list"> {
  let summary = "a Python list of unknown length with elements of one type";
  let description = [{ `!fx.list<!fx.int>`, `!fx.list<tensor<?x4xf32>>`. }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}
def FX_TupleType : FX_Type<"Tuple", "tuple"> {
  let summary = "a Python tuple (or torch.Size) with one type per element";
  let description = [{
    What multi-result nodes produce: `torch.split` gives
    `!fx.tuple<tensor<2x4xf32>, tensor<2x4xf32>>`, `x.size()` gives `!fx.tuple<!fx.int, !fx.int>`;
    `operator.getitem` nodes take it apart.
  }];
  let parameters = (ins OptionalArrayRefParameter<"::mlir::Type">:$elementTypes);
  let assemblyFormat = "`<` (`>`) : ($elementTypes^ `>`)?";
}

def FX_DialectType : Type<CPred<"::llvm::isa<::mlir::fx::FXDialect>(&$_self.getDialect())">,
                          "fx dialect type">;
// What a node may produce or consume: a tensor, or one of the Python-level fx types.
def FX_Value : AnyTypeOf<[AnyTensor, FX_DialectType], "tensor or fx value">;

#endif // FXMLIR_DIALECT_FX_FXTYPES_TD
