//===- fx_bytecode_fuzzer.cpp - The MLIR bytecode reader on fx modules ----===//
//
// Bytes in: read as MLIR bytecode (mlir::readBytecodeFile) with the fx dialect registered, then
// verified. A module that reads and verifies must write and read back.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Block.h"
#include "llvm/Support/MemoryBufferRef.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = fxfuzz::getContext();
  fxfuzz::QuietDiagnostics diags(context);
  llvm::MemoryBufferRef buffer(llvm::StringRef(reinterpret_cast<const char *>(data), size),
                               "fuzz-input");
  if (!mlir::isBytecode(buffer))
    return 0;
  mlir::Block block;
  mlir::ParserConfig config(&context);
  if (mlir::failed(mlir::readBytecodeFile(buffer, &block, config)))
    return 0;
  for (mlir::Operation &op : block) {
    if (mlir::failed(mlir::verify(&op)))
      continue;
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    fxfuzz::fuzzCheck(mlir::succeeded(mlir::writeBytecodeToFile(&op, os)),
                      "a valid module does not write as bytecode", &op, diags);
    mlir::Block reread;
    fxfuzz::fuzzCheck(mlir::succeeded(mlir::readBytecodeFile(
                          llvm::MemoryBufferRef(bytes, "written"), &reread, config)),
                      "written bytecode does not read back", &op, diags);
  }
  return 0;
}
