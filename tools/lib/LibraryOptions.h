//===- LibraryOptions.h - Keep LLVM's internal flags out of --help -*- C++ -*-===//
//
// libLLVM registers hundreds of backend tuning flags (--amdgpu-*, --arm-*, ...) in the general
// category when it is loaded. The MLIR drivers (MlirOptMain, mlirTranslateMain) create their
// own flags later, inside the call. Hiding every flag registered before that call leaves --help
// with the driver's options (and the passes); --help-hidden still lists everything, and hidden
// flags still work.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_TOOLS_LIBRARYOPTIONS_H
#define FXMLIR_TOOLS_LIBRARYOPTIONS_H

#include "llvm/Support/CommandLine.h"

namespace mlir::fx::tools {

/// Hides the flags registered so far, except LLVM's own --help/--version ("Generic Options")
/// and --color.
inline void hideLibraryOptions() {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *option = entry.second;
    bool generic = llvm::any_of(option->Categories, [](llvm::cl::OptionCategory *category) {
      return category->getName() == "Generic Options" || category->getName() == "Color Options";
    });
    if (!generic)
      option->setHiddenFlag(llvm::cl::Hidden);
  }
}

/// Hides MlirOptMain's pass list ("Compiler passes to run"); its `--<pass>` flags still work.
inline void hidePassList() {
  for (auto &entry : llvm::cl::getRegisteredOptions())
    if (entry.second->HelpStr == "Compiler passes to run")
      entry.second->setHiddenFlag(llvm::cl::Hidden);
}

} // namespace mlir::fx::tools

#endif
