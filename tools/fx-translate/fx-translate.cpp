//===- fx-translate.cpp - fx graphs to torch.fx's text, code and pictures -===//
#include "fxmlir/Export/Export.h"
#include "ExitOnFatalError.h"
#include "LibraryOptions.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/Timing.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::fx::tools::exitOnFatalError("fx-translate");
  mlir::fx::registerFxTranslations();
  // The IR printer's and context's flags do not apply to torch.fx's text: registered here
  // (mlirTranslateMain registers them again, which is a no-op), they are hidden with LLVM's.
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  mlir::fx::tools::hideLibraryOptions();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "FX-MLIR translation driver\n"))
             ? 1
             : 0;
}
