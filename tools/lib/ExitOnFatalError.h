//===- ExitOnFatalError.h - Errors, not aborts, when all else fails -*- C++ -*-===//
//
// The last line of defence of the LLVM-based tools: a failed allocation (LLVM's handler
// aborts with a stack dump) or an exception nothing caught (std::terminate aborts) prints
// `<tool>: error: ...` and exits with 1. Sizes the input chooses are checked before they are
// allocated (fxmlir/Runtime/Memory.h), with errors that name the tensor; this catches the rest.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_TOOLS_EXITONFATALERROR_H
#define FXMLIR_TOOLS_EXITONFATALERROR_H

namespace mlir::fx::tools {

/// Installs the handlers for `tool` (a string that outlives the program, such as a literal).
/// Call it after llvm::InitLLVM, or before a driver (MlirOptMain) that makes its own.
void exitOnFatalError(const char *tool);

} // namespace mlir::fx::tools

#endif
