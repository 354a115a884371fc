//===- Compiler.h - fx graphs to native code (JIT and AOT) --------*- C++ -*-===//
//
// The driver behind `fx-run --backend=cpu` and `fx-compile`: runs fx-lower-to-cpu, adds the
// entry points every compiled graph exposes, and turns the LLVM dialect into a JIT-compiled
// engine or an object file and a shared library with a C header.
//
// Each graph `@<module>_<graph>` (fx-to-linalg's name) is exported as:
//   void <name>(const T *input0, ..., T *output0, ...)   the compiled graph (bare pointers,
//                                                        row-major, shapes fixed)
//   void <name>_packed(void **buffers)                   the same, buffers in one array
//   const char <name>_signature[]                        "x:f32[1,3,8,8]->output0:f32[1,10]"
// and the library lists its graphs in `const char fx_entries[]` ("name1,name2").
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_CODEGEN_DRIVER_COMPILER_H
#define FXMLIR_CODEGEN_DRIVER_COMPILER_H

#include "fxmlir/Codegen/CPU/Pipeline.h"
#include "fxmlir/Codegen/GPU/Pipeline.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
class SourceMgr;
} // namespace llvm

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace mlir::fx {

struct CompiledEntry {
  std::string name;      // the C symbol of the graph
  std::string signature; // fx-to-linalg's fx.signature
  /// CUDA: `<name>_device` (and `_device_packed`) run the graph on device buffers.
  bool hasDeviceEntry = false;
};

/// Registers what lowering and translation need in `registry` (all dialects, extensions and
/// LLVM IR translations).
void registerCompilerDialects(DialectRegistry &registry);

/// What a tool needs to read a model: a context with the compiler's dialects, and diagnostics
/// printed against the source file.
class CompilerSession {
public:
  CompilerSession();
  ~CompilerSession();
  /// Parses an .mlir or .mlirbc file; null after the error has been printed.
  OwningOpRef<ModuleOp> parse(StringRef path);
  MLIRContext &getContext() { return *context; }

private:
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<llvm::SourceMgr> sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> handler;
};

/// Gives the forward graph's placeholders of `module` the given types, in order (what
/// fx-shape-prop then propagates); reports an error if the counts differ.
LogicalResult setInputTypes(Operation *graphModule, ArrayRef<Type> types);

/// Runs fx-lower-to-cpu on `module` and adds the entry points above. Errors are reported as
/// diagnostics.
FailureOr<std::vector<CompiledEntry>> lowerToLLVMDialect(ModuleOp module,
                                                         const LowerToCpuOptions &options);
/// The same with fx-lower-to-cuda: kernels embedded as a fatbin, host code calling the CUDA
/// runtime (runtime/cuda); the entries take host buffers and copy them to and from the GPU,
/// and `<name>_device` entries (with `_device_packed`) take device buffers.
FailureOr<std::vector<CompiledEntry>> lowerToLLVMDialect(ModuleOp module,
                                                         const LowerToCudaOptions &options);

/// The LLVM optimization level by default. -O3 multiplies compile time by five to ten on the
/// unrolled, vectorized tiles (machine scheduling of huge blocks) for no measured gain.
constexpr unsigned kDefaultOptLevel = 2;

/// JIT-compiles a module lowered by lowerToLLVMDialect for the host CPU.
llvm::Expected<std::unique_ptr<ExecutionEngine>> createJit(ModuleOp module,
                                                           unsigned optLevel = kDefaultOptLevel);

/// LLVM IR optimized at `optLevel` for this machine's CPU (`nativeCpu`, all its features) or a
/// generic x86-64 (host code of GPU libraries, which run on other machines).
std::unique_ptr<llvm::Module> translateForHost(ModuleOp module, llvm::LLVMContext &context,
                                               std::string &error,
                                               unsigned optLevel = kDefaultOptLevel,
                                               bool nativeCpu = true);
/// Writes a position-independent object file (for this CPU or a generic one, as above).
LogicalResult writeObjectFile(llvm::Module &module, StringRef path, std::string &error,
                              bool nativeCpu = true);
/// Links an object into a shared library with the system's C compiler driver, adding
/// `extraArgs` (libraries); without them it needs only libc and libm at run time. Appends
/// fx-compile's trailer (fxmlir/Runtime/LibrarySignature.h), which the runners check.
LogicalResult linkSharedLibrary(StringRef object, StringRef output, std::string &error,
                                ArrayRef<std::string> extraArgs = {});
/// A C header declaring the entries, with a shape-checking call per graph.
std::string cHeader(const std::vector<CompiledEntry> &entries, StringRef guard);

} // namespace mlir::fx

#endif
