//===- fx-compile.cpp - Ahead-of-time compilation of fx graph modules -----===//
//
//   fx-compile --target=cpu MODEL.mlir -o libmodel.so [--header model.h] [--emit=so|obj|llvm|mlir]
//              [--input-type 1x3x224x224xf32]...
//
// Lowers every top-level fx.graph_module with fx-lower-to-cpu and writes a shared library for
// this machine's CPU (needs only libc and libm at run time) and a C header declaring its
// entry points (see fxmlir/Codegen/Driver/Compiler.h). `fx-run libmodel.so --input ...` runs it.
//
//===----------------------------------------------------------------------===//
#include "CompileOptions.h"
#include "ExitOnFatalError.h"

#include "fxmlir/Codegen/Driver/Compiler.h"
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Runtime/PyValue.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory inputCategory("Input");
static cl::OptionCategory outputCategory("Output");
static cl::OptionCategory &compilationCategory = fx::tools::getCompilationCategory();

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"), cl::Required,
                                      cl::cat(inputCategory));
static cl::list<std::string> inputTypes(
    "input-type",
    cl::desc("type of a placeholder, e.g. 1x3x224x224xf32 (one per placeholder, in order; "
             "overrides the IR)"),
    cl::cat(inputCategory));
static cl::opt<std::string> target("target",
                                   cl::desc("cpu (this machine's CPU) or cuda (NVIDIA GPUs: "
                                            "sm_90 cubin + PTX, generic x86-64 host code)"),
                                   cl::init("cpu"), cl::cat(compilationCategory));
static cl::opt<bool> weightsAsInputs(
    "weights-as-inputs",
    cl::desc("do not embed parameters and buffers: they become inputs after the placeholders, "
             "named by their qualified names (fx-exec --weights DIR loads them)"),
    cl::cat(compilationCategory));
static cl::opt<bool> printPipeline("print-pipeline", cl::desc("print the pass pipeline used"),
                                   cl::cat(compilationCategory));
static cl::opt<std::string> outputFile("o", cl::desc("output file"), cl::value_desc("path"),
                                       cl::Required, cl::cat(outputCategory));
static cl::opt<std::string> headerFile("header",
                                       cl::desc("C header to write (default: the output with .h)"),
                                       cl::cat(outputCategory));
static cl::opt<std::string> emit("emit",
                                 cl::desc("so (shared library), obj, llvm (LLVM IR) or mlir "
                                          "(the LLVM dialect)"),
                                 cl::init("so"), cl::cat(outputCategory));

static LogicalResult reportError(const llvm::Twine &msg) {
  llvm::errs() << "fx-compile: error: " << msg << "\n";
  return failure();
}

static bool isCuda() { return target == "cuda"; }

/// Checks --target and --emit, and that -o's directory exists.
static LogicalResult checkOptions() {
  if (target != "cpu" && !isCuda())
    return reportError("unknown target '" + target + "'; use cpu or cuda");
  if (emit != "so" && emit != "obj" && emit != "llvm" && emit != "mlir")
    return reportError("unknown --emit=" + emit + "; use so, obj, llvm or mlir");
  StringRef outputDir = llvm::sys::path::parent_path(outputFile);
  if (!outputDir.empty() && !llvm::sys::fs::is_directory(outputDir))
    return reportError("cannot write '" + outputFile + "': no directory '" + outputDir + "'");
  return success();
}

/// What a library links besides its object: for --target=cuda, the project's CUDA runtime
/// (statically; the driver is resolved at load time).
static FailureOr<std::vector<std::string>> linkArguments(const char *argv0) {
  if (!isCuda())
    return std::vector<std::string>();
#ifdef FX_CUDA_STUB_DIR
  llvm::SmallString<256> runtime(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable(argv0, (void *)&reportError))));
  llvm::sys::path::append(runtime, "lib", "libFxCudaRuntime.a");
  if (!llvm::sys::fs::exists(runtime))
    return reportError("the CUDA runtime '" + runtime + "' is missing");
  return std::vector<std::string>{runtime.str().str(), "-L" FX_CUDA_STUB_DIR, "-lcuda",
                                  "-lpthread"};
#else
  return reportError("--target=cuda needs the CUDA toolkit (cuda.h and the driver stub) at build "
                     "time; this build has none (see docs/gpu-backend.md)");
#endif
}

/// --input-type: the placeholders' types, in every graph module.
static LogicalResult applyInputTypes(ModuleOp module) {
  if (inputTypes.empty())
    return success();
  SmallVector<Type> types;
  for (const std::string &spec : inputTypes) {
    Type type = parseType("tensor<" + spec + ">", module.getContext());
    if (!type)
      return reportError("invalid --input-type '" + spec + "' (expected e.g. 1x3x224x224xf32)");
    types.push_back(type);
  }
  for (auto gm : module.getBody()->getOps<fx::GraphModuleOp>())
    if (failed(fx::setInputTypes(gm, types)))
      return failure();
  return success();
}

/// Writes what `print` prints to `path` ('-': stdout).
static LogicalResult writeText(StringRef path, llvm::function_ref<void(raw_ostream &)> print) {
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> out = openOutputFile(path, &message);
  if (!out)
    return reportError(message);
  print(out->os());
  out->keep();
  return success();
}

/// --emit=obj writes the object at -o; --emit=so links a temporary one into a library.
static LogicalResult writeBinary(llvm::Module &llvmModule, ArrayRef<std::string> linkArgs) {
  std::string message;
  if (emit == "obj")
    return failed(fx::writeObjectFile(llvmModule, outputFile, message, /*nativeCpu=*/!isCuda()))
               ? reportError(message)
               : success();
  llvm::SmallString<128> object;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("fx-compile", "o", object))
    return reportError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeObject(object);
  if (failed(fx::writeObjectFile(llvmModule, object, message, /*nativeCpu=*/!isCuda())) ||
      failed(fx::linkSharedLibrary(object, outputFile, message, linkArgs)))
    return reportError(message);
  return success();
}

static std::string headerGuard(StringRef path) {
  std::string guard = llvm::sys::path::filename(path).upper();
  for (char &c : guard)
    if (!std::isalnum((unsigned char)c))
      c = '_';
  return "FX_" + guard;
}

/// The C header declaring the entries: at --header, or beside -o with .h; its path.
static FailureOr<std::string> writeHeader(const std::vector<fx::CompiledEntry> &entries) {
  std::string path = headerFile;
  if (path.empty()) {
    llvm::SmallString<128> beside(outputFile);
    llvm::sys::path::replace_extension(beside, "h");
    path = beside.str().str();
  }
  try {
    if (failed(writeText(path,
                         [&](raw_ostream &os) { os << fx::cHeader(entries, headerGuard(path)); })))
      return failure();
  } catch (const fxmlir::OpError &e) {
    return reportError(e.what());
  }
  return path;
}

/// The line saying what was compiled into which files, and in how long.
static void printSummary(const std::vector<fx::CompiledEntry> &entries, StringRef header,
                         std::chrono::steady_clock::time_point start) {
  std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  llvm::outs() << "compiled";
  for (const fx::CompiledEntry &e : entries)
    llvm::outs() << " " << e.name << " (" << e.signature << ")";
  llvm::outs() << " into " << outputFile << " and " << header << " in "
               << llvm::format("%.2f", seconds.count()) << " s\n";
}

/// Writes the lowered `module` in the --emit form; a library or an object with its header and
/// a summary line.
static LogicalResult emitOutput(ModuleOp module, const std::vector<fx::CompiledEntry> &entries,
                                ArrayRef<std::string> linkArgs,
                                std::chrono::steady_clock::time_point start) {
  if (emit == "mlir")
    return writeText(outputFile, [&](raw_ostream &os) { module.print(os); });
  llvm::LLVMContext llvmContext;
  std::string message;
  std::unique_ptr<llvm::Module> llvmModule = fx::translateForHost(
      module, llvmContext, message, fx::tools::getOptLevel(), /*nativeCpu=*/!isCuda());
  if (!llvmModule)
    return reportError(message);
  if (emit == "llvm")
    return writeText(outputFile, [&](raw_ostream &os) { llvmModule->print(os, nullptr); });
  FailureOr<std::string> header = failure();
  if (failed(writeBinary(*llvmModule, linkArgs)) || failed(header = writeHeader(entries)))
    return failure();
  printSummary(entries, *header, start);
  return success();
}

/// Reads the model, lowers every graph module and writes the output.
static LogicalResult compile(ArrayRef<std::string> linkArgs) {
  fx::tools::LoweringPipeline lowering(target, weightsAsInputs);
  fx::CompilerSession session;
  if (printPipeline)
    lowering.printPipeline(&session.getContext(), llvm::outs());
  auto start = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = session.parse(inputFile);
  if (!module || failed(applyInputTypes(*module)))
    return failure();
  FailureOr<std::vector<fx::CompiledEntry>> entries = lowering.lower(*module);
  if (failed(entries))
    return failure();
  return emitOutput(*module, *entries, linkArgs, start);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  fx::tools::exitOnFatalError("fx-compile");
  cl::HideUnrelatedOptions({&inputCategory, &compilationCategory, &outputCategory});
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR ahead-of-time compiler\n");
  if (failed(checkOptions()))
    return 1;
  FailureOr<std::vector<std::string>> linkArgs = linkArguments(argv[0]);
  return failed(linkArgs) || failed(compile(*linkArgs)) ? 1 : 0;
}
