//===- Compiler.cpp - fx graphs to native code ----------------------------===//
#include "fxmlir/Codegen/Driver/Compiler.h"
#include "fxmlir/Dialect/FX/FXDialect.h"
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Runtime/Entry.h"
#include "fxmlir/Runtime/LibrarySignature.h"
#include "fxmlir/Runtime/PyValue.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/SourceMgr.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::fx;

void mlir::fx::registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<FXDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

LogicalResult mlir::fx::setInputTypes(Operation *op, ArrayRef<Type> types) {
  auto module = dyn_cast<GraphModuleOp>(op);
  GraphOp graph = module ? module.getForward() : GraphOp();
  if (!graph)
    return op->emitError("no forward graph to give input types to");
  SmallVector<PlaceholderOp> placeholders = getPlaceholders(graph);
  if (placeholders.size() != types.size())
    return op->emitError("the graph has ")
           << placeholders.size() << " placeholders, " << types.size() << " input types given";
  for (auto [p, t] : llvm::zip(placeholders, types))
    p.getResult().setType(t);
  return success();
}

CompilerSession::CompilerSession() {
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context = std::make_unique<MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  sourceMgr = std::make_unique<llvm::SourceMgr>();
  handler = std::make_unique<SourceMgrDiagnosticHandler>(*sourceMgr, context.get());
}

CompilerSession::~CompilerSession() = default;

OwningOpRef<ModuleOp> CompilerSession::parse(StringRef path) {
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    llvm::errs() << "error: " << error << "\n";
    return {};
  }
  sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(*sourceMgr, context.get());
}

/// A constant, NUL-terminated string global visible to the loader.
static void addStringGlobal(OpBuilder &b, Location loc, StringRef name, StringRef value) {
  auto type = LLVM::LLVMArrayType::get(b.getI8Type(), value.size() + 1);
  LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true, LLVM::Linkage::External, name,
                         b.getStringAttr(value.str() + std::string(1, '\0')));
}

/// `void <name>_packed(void **buffers)`: loads each pointer and calls the graph.
static LogicalResult addPackedWrapper(OpBuilder &b, LLVM::LLVMFuncOp func) {
  MLIRContext *ctx = b.getContext();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  for (Type t : func.getFunctionType().getParams())
    if (t != ptr)
      return func.emitError("compiled graph '")
             << func.getName() << "' takes " << t << "; entries take bare pointers only";
  Location loc = func.getLoc();
  auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr});
  auto wrapper = LLVM::LLVMFuncOp::create(b, loc, (func.getName() + "_packed").str(), type);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(wrapper.addEntryBlock(b));
  SmallVector<Value> args;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, wrapper.getArgument(0),
                                     ArrayRef<LLVM::GEPArg>{(int32_t)i});
    args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
  }
  LLVM::CallOp::create(b, loc, func, args);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return success();
}

/// Runs a pipeline built by `build`, then adds the entry points.
static FailureOr<std::vector<CompiledEntry>>
lowerAndAddEntries(ModuleOp module, llvm::function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm);
  if (failed(pm.run(module)))
    return failure();
  std::vector<CompiledEntry> entries;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  SmallVector<LLVM::LLVMFuncOp> funcs(module.getOps<LLVM::LLVMFuncOp>());
  for (LLVM::LLVMFuncOp func : funcs) {
    auto signature = func->getAttrOfType<StringAttr>("fx.signature");
    if (!signature)
      continue;
    if (failed(addPackedWrapper(b, func)))
      return failure();
    addStringGlobal(b, func.getLoc(), (func.getName() + "_signature").str(), signature);
    entries.push_back({func.getName().str(), signature.str()});
    auto device = module.lookupSymbol<LLVM::LLVMFuncOp>((func.getName() + "_device").str());
    if (device && device->hasAttr("fx.device_entry")) {
      if (failed(addPackedWrapper(b, device)))
        return failure();
      entries.back().hasDeviceEntry = true;
    }
  }
  if (entries.empty())
    return module.emitError("no fx.graph_module to compile");
  std::string names;
  for (const CompiledEntry &e : entries)
    names += (names.empty() ? "" : ",") + e.name;
  addStringGlobal(b, module.getLoc(), "fx_entries", names);
  return entries;
}

FailureOr<std::vector<CompiledEntry>>
mlir::fx::lowerToLLVMDialect(ModuleOp module, const LowerToCpuOptions &options) {
  return lowerAndAddEntries(
      module, [&](OpPassManager &pm) { buildLowerToCpuPipeline(pm, options); });
}

FailureOr<std::vector<CompiledEntry>>
mlir::fx::lowerToLLVMDialect(ModuleOp module, const LowerToCudaOptions &options) {
  return lowerAndAddEntries(
      module, [&](OpPassManager &pm) { buildLowerToCudaPipeline(pm, options); });
}

static void initializeNativeTarget() {
  static bool done = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)done;
}

llvm::Expected<std::unique_ptr<ExecutionEngine>> mlir::fx::createJit(ModuleOp module,
                                                                     unsigned optLevel) {
  initializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  auto tm = builder->createTargetMachine();
  if (!tm)
    return tm.takeError();
  auto transformer = makeOptimizingTransformer(optLevel, 0, tm->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Default;
  return ExecutionEngine::create(module, options, std::move(*tm));
}

/// The host CPU with all its features (what -march=native means), or a generic x86-64;
/// position-independent code.
static std::unique_ptr<llvm::TargetMachine> hostTargetMachine(std::string &error,
                                                              bool nativeCpu) {
  initializeNativeTarget();
  llvm::Triple triple(llvm::sys::getProcessTriple());
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::SubtargetFeatures features;
  if (nativeCpu)
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      features.AddFeature(f.first(), f.second);
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, nativeCpu ? llvm::sys::getHostCPUName() : "x86-64", features.getString(),
      llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Default));
}

std::unique_ptr<llvm::Module> mlir::fx::translateForHost(ModuleOp module,
                                                         llvm::LLVMContext &context,
                                                         std::string &error, unsigned optLevel,
                                                         bool nativeCpu) {
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, context);
  if (!llvmModule) {
    error = "cannot translate the lowered module to LLVM IR";
    return nullptr;
  }
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(error, nativeCpu);
  if (!tm)
    return nullptr;
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), tm.get());
  if (llvm::Error e = makeOptimizingTransformer(optLevel, 0, tm.get())(llvmModule.get())) {
    error = llvm::toString(std::move(e));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult mlir::fx::writeObjectFile(llvm::Module &module, StringRef path, std::string &error,
                                        bool nativeCpu) {
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(error, nativeCpu);
  if (!tm)
    return failure();
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "the host target cannot emit object files";
    return failure();
  }
  pm.run(module);
  return success();
}

LogicalResult mlir::fx::linkSharedLibrary(StringRef object, StringRef output, std::string &error,
                                          ArrayRef<std::string> extraArgs) {
  std::string driver;
  for (const char *name : {"cc", "clang-22", "clang", "gcc"})
    if (auto path = llvm::sys::findProgramByName(name)) {
      driver = *path;
      break;
    }
  if (driver.empty()) {
    error = "no C compiler driver (cc, clang, gcc) on PATH to link the shared library";
    return failure();
  }
  std::vector<StringRef> args{driver, "-shared", "-o", output, object};
  for (const std::string &a : extraArgs)
    args.push_back(a);
  args.push_back("-lm");
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(driver, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking with '" + driver + "' failed" + (message.empty() ? "" : ": " + message);
    return failure();
  }
  try {
    fxmlir::signLibrary(output.str());
  } catch (const fxmlir::OpError &e) {
    error = e.what();
    return failure();
  }
  return success();
}

static const char *cTypeOf(fxmlir::DType d) {
  switch (d) {
  case fxmlir::DType::F32: return "float";
  case fxmlir::DType::F64: return "double";
  case fxmlir::DType::I64: return "int64_t";
  case fxmlir::DType::I32: return "int32_t";
  case fxmlir::DType::I16: return "int16_t";
  case fxmlir::DType::I8: return "int8_t";
  case fxmlir::DType::F16: return "uint16_t"; // IEEE half bits (C has no portable half type)
  default: return "uint8_t"; // u8 and bool (one byte per element)
  }
}

/// The header's fixed part: includes, fx_buffer, and the CUDA runtime's memory functions when
/// an entry takes device buffers.
static void writeHeaderPrologue(raw_ostream &os, StringRef guard, bool cuda) {
  os << "/* Generated by fx-compile. Do not edit. */\n#ifndef " << guard << "\n#define " << guard
     << "\n\n#include <stddef.h>\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "#ifndef FX_BUFFER_DEFINED\n#define FX_BUFFER_DEFINED\n"
     << "/* A tensor as compiled graphs take it: row-major data and its shape. */\n"
     << "typedef struct fx_buffer {\n  void *data;\n  int64_t rank;\n  const int64_t *shape;\n"
     << "} fx_buffer;\n#endif\n";
  if (cuda)
    os << "\n/* CUDA device memory (the library's runtime; the primary context of GPU 0). */\n"
       << "void *fx_cuda_alloc(size_t bytes);\nvoid fx_cuda_free(void *device);\n"
       << "void fx_cuda_copy_to_device(void *device, const void *host, size_t bytes);\n"
       << "void fx_cuda_copy_to_host(void *host, const void *device, size_t bytes);\n";
}

/// `void name(const float *x, ..., float *output0);` and its packed form.
static void declareEntry(raw_ostream &os, const std::string &name,
                         const fxmlir::EntrySignature &sig,
                         const std::vector<fxmlir::TensorSpec> &all) {
  os << "void " << name << "(";
  for (size_t i = 0; i < all.size(); ++i) {
    std::string param = all[i].name;
    for (char &c : param)
      if (!std::isalnum((unsigned char)c))
        c = '_';
    os << (i ? ", " : "") << (i < sig.inputs.size() ? "const " : "") << cTypeOf(all[i].dtype)
       << " *" << param;
  }
  os << ");\nvoid " << name << "_packed(void **buffers);\n";
}

/// `name_call`: checks each fx_buffer's rank and shape, then calls the packed entry.
static void defineCheckedCall(raw_ostream &os, const std::string &name,
                              const fxmlir::EntrySignature &sig,
                              const std::vector<fxmlir::TensorSpec> &all) {
  os << "/* Checks each buffer's rank and shape, then runs the graph. Returns 0, or 1 + the\n"
     << "   index of the first buffer that does not match (inputs first, then outputs). */\n";
  os << "static inline int " << name
     << "_call(const fx_buffer *inputs, const fx_buffer *outputs) {\n";
  for (size_t i = 0; i < all.size(); ++i) {
    os << "  static const int64_t shape" << i << "[] = {";
    for (size_t d = 0; d < all[i].shape.size(); ++d)
      os << (d ? ", " : "") << all[i].shape[d];
    os << (all[i].shape.empty() ? "0" : "") << "};\n";
  }
  os << "  static const int64_t ranks[] = {";
  for (size_t i = 0; i < all.size(); ++i)
    os << (i ? ", " : "") << all[i].shape.size();
  os << "};\n  static const int64_t *const shapes[] = {";
  for (size_t i = 0; i < all.size(); ++i)
    os << (i ? ", " : "") << "shape" << i;
  os << "};\n  void *buffers[" << all.size() << "];\n"
     << "  for (int i = 0; i < " << all.size() << "; ++i) {\n"
     << "    const fx_buffer *b = i < " << sig.inputs.size() << " ? &inputs[i] : &outputs[i - "
     << sig.inputs.size() << "];\n"
     << "    if (b->rank != ranks[i])\n      return i + 1;\n"
     << "    for (int64_t d = 0; d < ranks[i]; ++d)\n"
     << "      if (b->shape[d] != shapes[i][d])\n        return i + 1;\n"
     << "    buffers[i] = b->data;\n  }\n  " << name << "_packed(buffers);\n  return 0;\n}\n";
}

std::string mlir::fx::cHeader(const std::vector<CompiledEntry> &entries, StringRef guard) {
  std::string s;
  llvm::raw_string_ostream os(s);
  writeHeaderPrologue(os, guard, llvm::any_of(entries, [](const CompiledEntry &e) {
                        return e.hasDeviceEntry;
                      }));
  for (const CompiledEntry &e : entries) {
    fxmlir::EntrySignature sig = fxmlir::EntrySignature::parse(e.signature);
    std::vector<fxmlir::TensorSpec> all(sig.inputs);
    all.insert(all.end(), sig.outputs.begin(), sig.outputs.end());
    os << "\n/* " << e.name << ": " << e.signature << " */\n";
    declareEntry(os, e.name, sig, all);
    if (e.hasDeviceEntry) {
      os << "/* The same on device buffers (fx_cuda_alloc): no copies between host and GPU. */\n";
      declareEntry(os, e.name + "_device", sig, all);
    }
    os << "extern const char " << e.name << "_signature[];\n";
    os << "enum { " << e.name << "_num_inputs = " << sig.inputs.size() << ", " << e.name
       << "_num_outputs = " << sig.outputs.size() << " };\n\n";
    defineCheckedCall(os, e.name, sig, all);
  }
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return s;
}
