#ifndef FXMLIR_DIALECT_FX_FXATTRS_TD
#define FXMLIR_DIALECT_FX_FXATTRS_TD

include "fxmlir/Dialect/FX/FXBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

// Literal arguments of a node. Python values map to attributes as follows:
//   int -> i64 IntegerAttr, float -> f64 FloatAttr (inf and nan included), bool -> BoolAttr,
//   str -> StringAttr, list -> ArrayAttr, and the attributes below for the rest.
// In an op's custom syntax they print as Python would write them (see docs/dialect.md).

def FX_OperandRefAttr : FX_Attr<"OperandRef", "operand"> {
  let summary = "marks where the next SSA operand stands in a node's arguments";
  let description = [{
    A node's `args` and `kwargs` hold literals and these markers; the N-th marker, in order of
    appearance (args first, then kwargs values), stands for the N-th operand.
  }];
}
def FX_NoneAttr : FX_Attr<"None", "none"> {
  let summary = "Python's None";
}
def FX_EllipsisAttr : FX_Attr<"Ellipsis", "ellipsis"> {
  let summary = "Python's Ellipsis (`...`)";
}
def FX_TupleAttr : FX_Attr<"Tuple", "tuple"> {
  let summary = "a Python tuple of literals";
  let parameters = (ins "::mlir::ArrayAttr":$elements);
  let assemblyFormat = "`<` $elements `>`";
}
def FX_DictAttr : FX_Attr<"Dict", "dict"> {
  let summary = "a Python dict, keeping insertion order (kwargs are one)";
  let parameters = (ins "::mlir::ArrayAttr":$keys, "::mlir::ArrayAttr":$values);
  let assemblyFormat = "`<` $keys `,` $values `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    size_t size() const { return getKeys().size(); }
    /// The value stored under a string key, or null.
    ::mlir::Attribute lookup(::llvm::StringRef key) const;
  }];
}
def FX_SliceAttr : FX_Attr<"Slice", "slice"> {
  let summary = "a Python slice(start, stop, step)";
  let parameters = (ins "::mlir::Attribute":$start, "::mlir::Attribute":$stop,
                        "::mlir::Attribute":$step);
  let assemblyFormat = "`<` $start `,` $stop `,` $step `>`";
}
def FX_DTypeAttr : FX_Attr<"DType", "dtype"> {
  let summary = "a torch.dtype by name (`float32`, `int64`, `bool`, ...)";
  let parameters = (ins StringRefParameter<"dtype name">:$name);
  let assemblyFormat = "`<` $name `>`";
  let genVerifyDecl = 1;
}
def FX_DeviceAttr : FX_Attr<"Device", "device"> {
  let summary = "a torch.device (`cpu`, `cuda:0`, ...)";
  let parameters = (ins StringRefParameter<"device">:$spec);
  let assemblyFormat = "`<` $spec `>`";
}
def FX_QualNameAttr : FX_Attr<"QualName", "qualname"> {
  let summary = "a named Python object, e.g. `torch.contiguous_format` or `torch.strided`";
  let parameters = (ins StringRefParameter<"qualified name">:$name);
  let assemblyFormat = "`<` $name `>`";
}

#endif // FXMLIR_DIALECT_FX_FXATTRS_TD
