//===- LiteralSyntax.h - Printing and parsing node arguments ---*- C++ -*-===//
//
// A node's arguments are a tree of literals with operand markers (see FXAttrs.td). This file
// prints such a tree in three dialects of Python syntax and parses the one used in MLIR text.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_DIALECT_FX_LITERALSYNTAX_H
#define FXMLIR_DIALECT_FX_LITERALSYNTAX_H

#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::fx {

enum class LiteralStyle {
  /// The fx dialect's text: `1`, `1.0e-05`, `"s"`, `torch.float32`, `device("cpu")`, `...`.
  Mlir,
  /// torch.fx's `_format_arg` (graph printing): leaves through `str()`, so strings unquoted.
  FxFormatArg,
  /// Python `repr()` (generated code, `return` lines): `'s'`, `device(type='cpu')`.
  PythonRepr,
};

/// Prints SSA operand number `index` of the node being printed, in `style` (torch.fx writes a
/// node as `%name` in graph text and as `name` in Python code and inside slices).
using OperandPrinter =
    llvm::function_ref<void(raw_ostream &, unsigned index, LiteralStyle style)>;

/// Prints `literal`, calling `printOperand` for each operand marker (numbered from `nextOperand`,
/// which is advanced).
void printLiteral(raw_ostream &os, Attribute literal, LiteralStyle style,
                  OperandPrinter printOperand, unsigned &nextOperand);

/// Python's repr() of a float: the shortest string that reads back to the same double.
std::string formatPythonFloat(double value);

/// Parses one literal in the Mlir style, appending SSA operands found inside to `operands`.
ParseResult parseLiteral(OpAsmParser &parser, Attribute &literal,
                         SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands);

/// Parses `(arg, arg, key = value, ...)` into an args array and kwargs dict. `allowOperands`
/// false rejects SSA values (hyper-parameters).
ParseResult parseArgumentList(OpAsmParser &parser, ArrayAttr &args, Attribute &kwargs,
                              SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands);

/// Prints `(args..., key = value, ...)` in the Mlir style.
void printArgumentList(OpAsmPrinter &printer, ArrayAttr args, Attribute kwargs,
                       ValueRange operands);

} // namespace mlir::fx

#endif
