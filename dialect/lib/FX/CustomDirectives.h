//===- CustomDirectives.h - custom<> directives of the fx ops --*- C++ -*-===//
// Used by the generated op parsers and printers (FXOps.cpp.inc); defined in FXContainers.cpp.
#ifndef FXMLIR_LIB_FX_CUSTOMDIRECTIVES_H
#define FXMLIR_LIB_FX_CUSTOMDIRECTIVES_H

#include "fxmlir/Dialect/FX/FXAttrs.h"
#include "mlir/IR/OpImplementation.h"

namespace mlir::fx {
ParseResult parseHyperparameters(OpAsmParser &parser, DictAttr &hyperparameters);
void printHyperparameters(OpAsmPrinter &p, Operation *op, DictAttr hyperparameters);
ParseResult parseTensorValue(OpAsmParser &parser, TypeAttr type, ElementsAttr &value);
void printTensorValue(OpAsmPrinter &p, Operation *op, TypeAttr type, ElementsAttr value);
ParseResult parseModuleBody(OpAsmParser &parser, Region &body);
void printModuleBody(OpAsmPrinter &p, Operation *op, Region &body);
} // namespace mlir::fx

#endif
