//===- fx-opt.cpp - mlir-opt with the fx dialect and its passes -----------===//
//
// Everything mlir-opt has (all upstream dialects, passes and extensions, --load-pass-plugin,
// --load-dialect-plugin), plus the fx dialect and its passes.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/FXDialect.h"
#include "fxmlir/InitAllPasses.h"
#include "ExitOnFatalError.h"
#include "LibraryOptions.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::fx::tools::exitOnFatalError("fx-opt");
  mlir::DialectRegistry registry;
  registry.insert<mlir::fx::FXDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::registerAllPasses();
  mlir::fx::registerAllFxPasses();
  mlir::fx::tools::hideLibraryOptions();
  // Create the driver's flags now (MlirOptMain's second registration finds them made) to
  // keep the list of every pass (~400 `--<pass>` flags) out of --help; the flags still work,
  // `--help-hidden` shows them and `--list-passes` describes each.
  mlir::MlirOptMainConfig::registerCLOptions(registry);
  mlir::fx::tools::hidePassList();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "FX-MLIR optimizer driver\n", registry));
}
