//===- ToolSupport.h - What every FX-MLIR tool reports alike -----*- C++ -*-===//
//
// Errors as `tool: error: message` with exit code 1, and timings in milliseconds. Header-only,
// so that tools that need nothing else (fx-trace) link nothing more.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_TOOLS_TOOLSUPPORT_H
#define FXMLIR_TOOLS_TOOLSUPPORT_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

namespace mlir::fx::tools {

using Clock = std::chrono::steady_clock;

/// Prints `<tool>: error: <message>`; the exit code (1).
inline int reportError(const char *tool, const llvm::Twine &message) {
  llvm::errs() << tool << ": error: " << message << "\n";
  return 1;
}

inline double millisBetween(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

} // namespace mlir::fx::tools

#endif
