//===- Purity.h - Which nodes have side effects ------------------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_PURITY_H
#define FXMLIR_DIALECT_FX_PURITY_H

#include "llvm/ADT/StringRef.h"

namespace mlir::fx {
/// torch.fx's `Node.is_impure()` for call nodes: side-effecting functions (`torch._assert`,
/// `print`, ...) and, beyond torch.fx 1.13, in-place methods (`add_`). DCE keeps such nodes and
/// CSE never merges them.
bool isImpureCall(llvm::StringRef opcode, llvm::StringRef target);
} // namespace mlir::fx

#endif
