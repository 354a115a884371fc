//===- fx_parser_fuzzer.cpp - The fx dialect's parser and verifier --------===//
//
// Text in: parsed with the fx dialect registered and verified. What parses and verifies must
// print and parse again (the printer writes only what the parser reads), in the custom and in
// the generic form.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

static void checkReparses(mlir::ModuleOp module, bool generic,
                          const fxfuzz::QuietDiagnostics &diags) {
  std::string printed;
  llvm::raw_string_ostream os(printed);
  mlir::OpPrintingFlags flags;
  if (generic)
    flags.printGenericOpForm();
  module->print(os, flags);
  mlir::ParserConfig config(module.getContext());
  auto reparsed = mlir::parseSourceString<mlir::ModuleOp>(printed, config, "printed");
  fxfuzz::fuzzCheck(bool(reparsed),
                    generic ? "the generic form of a valid module does not parse again"
                            : "the printed form of a valid module does not parse again",
                    module, diags);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = fxfuzz::getContext();
  fxfuzz::QuietDiagnostics diags(context);
  mlir::OwningOpRef<mlir::ModuleOp> module = fxfuzz::parseModule(data, size, context);
  if (!module)
    return 0;
  // Not checked: that a module which parsed reported no error. Upstream MLIR's parser reports
  // an unterminated string after a dialect type (`-> !llvm.ptr` then `"abc` on the next line)
  // and still returns the module without it (mlir-opt-22 exits 0).
  checkReparses(*module, /*generic=*/false, diags);
  checkReparses(*module, /*generic=*/true, diags);
  return 0;
}
