//===- fx-translate.cpp - fx graphs to torch.fx's text, code and pictures -===//
#include "fxmlir/Export/Export.h"
#include "LibraryOptions.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::fx::registerFxTranslations();
  mlir::fx::tools::hideLibraryOptions();
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "FX-MLIR translation driver\n"))
             ? 1
             : 0;
}
