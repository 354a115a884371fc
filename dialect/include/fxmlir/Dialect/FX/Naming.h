//===- Naming.h - torch.fx node naming ----------------------------*- C++ -*-===//
#ifndef FXMLIR_DIALECT_FX_NAMING_H
#define FXMLIR_DIALECT_FX_NAMING_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <string>

namespace mlir::fx {

/// True for a Python keyword (`if`, `None`, `lambda`, ...).
bool isPythonKeyword(llvm::StringRef name);
/// True for a name a node may not take because generated code needs it: keywords, Python
/// builtins, and torch.fx's own globals (`inf`, `nan`, `torch`, `device`, ...).
bool isReservedName(llvm::StringRef name);
/// True if `name` is a valid Python identifier that is not a keyword.
bool isValidNodeName(llvm::StringRef name);

/// torch.fx's `_snake_case`: `MyModule` -> `my_module`.
std::string snakeCase(llvm::StringRef s);
/// The name torch.fx's Graph derives from a target before making it unique: the callable's
/// `__name__` for call_function targets (the last atom of the qualified name), magic-method
/// underscores stripped, snake case.
std::string nameForTarget(llvm::StringRef opcode, llvm::StringRef target);

/// torch.fx's `_Namespace`: hands out unique, legal names (`add`, `add_1`, ...).
class NodeNamespace {
public:
  std::string createName(llvm::StringRef candidate);
  /// Marks a name as taken (e.g. names already in a graph).
  void reserve(llvm::StringRef name) { used.insert(name); }

private:
  llvm::StringSet<> used;
  llvm::StringMap<unsigned> baseCount;
};

} // namespace mlir::fx

#endif
