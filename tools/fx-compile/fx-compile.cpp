//===- fx-compile.cpp - Ahead-of-time compilation of fx graph modules -----===//
//
//   fx-compile --target=cpu MODEL.mlir -o libmodel.so [--header model.h] [--emit=so|obj|llvm|mlir]
//              [--input-type 1x3x224x224xf32]...
//
// Lowers every top-level fx.graph_module with fx-lower-to-cpu and writes a shared library for
// this machine's CPU (needs only libc and libm at run time) and a C header declaring its
// entry points (see fxmlir/Compiler/Compiler.h). `fx-run libmodel.so --input ...` runs it.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Compiler/Compiler.h"
#include "fxmlir/Runtime/PyValue.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Parser/Parser.h"
#include "fxmlir/Dialect/FX/FXOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"), cl::Required);
static cl::opt<std::string> outputFile("o", cl::desc("output file"), cl::value_desc("path"),
                                       cl::Required);
static cl::opt<std::string> target("target",
                                   cl::desc("cpu (this machine's CPU) or cuda (NVIDIA GPUs: "
                                            "sm_90 cubin + PTX, generic x86-64 host code)"),
                                   cl::init("cpu"));
static cl::opt<std::string> headerFile("header",
                                       cl::desc("C header to write (default: the output with .h)"));
static cl::opt<std::string> emit("emit",
                                 cl::desc("so (shared library), obj, llvm (LLVM IR) or mlir "
                                          "(the LLVM dialect)"),
                                 cl::init("so"));
static cl::list<std::string> inputTypes(
    "input-type", cl::desc("type of a placeholder, e.g. 1x3x224x224xf32 (one per placeholder, "
                           "in order; overrides the IR)"));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3, default 2)"),
                                  cl::Prefix, cl::init(mlir::fx::kDefaultOptLevel));
static cl::opt<bool> noVectorize("no-vectorize", cl::desc("skip the tiled and vectorized stage"));
static cl::opt<bool> weightsAsInputs(
    "weights-as-inputs",
    cl::desc("do not embed parameters and buffers: they become inputs after the placeholders, "
             "named by their qualified names (fx-exec --weights DIR loads them)"));
static cl::opt<int64_t> gpuTargetThreads(
    "gpu-target-threads",
    cl::desc("cuda: threads a reduction kernel aims for (fx-linalg-to-gpu's target-threads)"),
    cl::init(mlir::fx::kGpuTargetThreads));
static cl::opt<bool> printPipeline("print-pipeline", cl::desc("print the pass pipeline used"));

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "fx-compile: error: " << msg << "\n";
  return 1;
}

static std::string headerGuard(llvm::StringRef path) {
  std::string guard = llvm::sys::path::filename(path).upper();
  for (char &c : guard)
    if (!std::isalnum((unsigned char)c))
      c = '_';
  return "FX_" + guard;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR ahead-of-time compiler\n");
  bool cuda = target == "cuda";
  if (target != "cpu" && !cuda)
    return fail("unknown target '" + target + "'; use cpu or cuda");
  std::vector<std::string> cudaLinkArgs;
  if (cuda) {
#ifdef FX_CUDA_STUB_DIR
    // The project's CUDA runtime, linked in statically; the driver resolved at load time.
    llvm::SmallString<256> runtime(llvm::sys::path::parent_path(
        llvm::sys::path::parent_path(llvm::sys::fs::getMainExecutable(argv[0], (void *)&fail))));
    llvm::sys::path::append(runtime, "lib", "libFxCudaRuntime.a");
    if (!llvm::sys::fs::exists(runtime))
      return fail("the CUDA runtime '" + runtime + "' is missing");
    cudaLinkArgs = {runtime.str().str(), "-L" FX_CUDA_STUB_DIR, "-lcuda", "-lpthread"};
#else
    return fail("--target=cuda needs the CUDA toolkit (cuda.h and the driver stub) at build "
                "time; this build has none (see docs/gpu-backend.md)");
#endif
  }
  if (emit != "so" && emit != "obj" && emit != "llvm" && emit != "mlir")
    return fail("unknown --emit=" + emit + "; use so, obj, llvm or mlir");

  llvm::StringRef outputDir = llvm::sys::path::parent_path(outputFile);
  if (!outputDir.empty() && !llvm::sys::fs::is_directory(outputDir))
    return fail("cannot write '" + outputFile + "': no directory '" + outputDir + "'");
  fx::LowerToCpuOptions options;
  options.vectorize = !noVectorize;
  options.weightsAsInputs = weightsAsInputs;
  fx::LowerToCudaOptions cudaOptions;
  cudaOptions.weightsAsInputs = weightsAsInputs;
  cudaOptions.targetThreads = gpuTargetThreads;
  if (printPipeline)
    llvm::outs() << (cuda ? fx::cudaPipeline(cudaOptions) : fx::cpuPipeline(options)) << "\n";

  fx::CompilerSession session;
  MLIRContext &context = session.getContext();
  std::string error;
  auto t0 = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = session.parse(inputFile);
  if (!module)
    return 1;
  if (!inputTypes.empty()) {
    SmallVector<Type> types;
    for (const std::string &spec : inputTypes) {
      Type t = parseType("tensor<" + spec + ">", &context);
      if (!t)
        return fail("invalid --input-type '" + spec + "' (expected e.g. 1x3x224x224xf32)");
      types.push_back(t);
    }
    for (Operation &op : *module->getBody())
      if (isa<fx::GraphModuleOp>(op) && failed(fx::setInputTypes(&op, types)))
        return 1;
  }
  FailureOr<std::vector<fx::CompiledEntry>> entries =
      cuda ? fx::lowerToLLVMDialect(*module, cudaOptions) : fx::lowerToLLVMDialect(*module, options);
  if (failed(entries))
    return 1;

  auto writeText = [&](const std::string &path, auto print) -> bool {
    auto out = openOutputFile(path, &error);
    if (!out)
      return false;
    print(out->os());
    out->keep();
    return true;
  };
  if (emit == "mlir")
    return writeText(outputFile, [&](llvm::raw_ostream &os) { module->print(os); }) ? 0
                                                                                   : fail(error);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = fx::translateForHost(*module, llvmContext, error, optLevel,
                                                                   /*nativeCpu=*/!cuda);
  if (!llvmModule)
    return fail(error);
  if (emit == "llvm")
    return writeText(outputFile, [&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); })
               ? 0
               : fail(error);
  std::string object = outputFile;
  llvm::SmallString<128> tempObject;
  if (emit == "so") {
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile("fx-compile", "o", tempObject))
      return fail("cannot create a temporary file: " + ec.message());
    object = tempObject.str().str();
  }
  if (failed(fx::writeObjectFile(*llvmModule, object, error, /*nativeCpu=*/!cuda)))
    return fail(error);
  if (emit == "so") {
    LogicalResult linked = fx::linkSharedLibrary(object, outputFile, error, cudaLinkArgs);
    llvm::sys::fs::remove(object);
    if (failed(linked))
      return fail(error);
  }
  std::string header = headerFile;
  if (header.empty()) {
    llvm::SmallString<128> path(outputFile);
    llvm::sys::path::replace_extension(path, "h");
    header = path.str().str();
  }
  try {
    if (!writeText(header, [&](llvm::raw_ostream &os) {
          os << fx::cHeader(*entries, headerGuard(header));
        }))
      return fail(error);
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  auto t1 = std::chrono::steady_clock::now();
  llvm::outs() << "compiled";
  for (const fx::CompiledEntry &e : *entries)
    llvm::outs() << " " << e.name << " (" << e.signature << ")";
  llvm::outs() << " into " << outputFile << " and " << header << " in "
               << llvm::format("%.2f", std::chrono::duration<double>(t1 - t0).count()) << " s\n";
  return 0;
}
